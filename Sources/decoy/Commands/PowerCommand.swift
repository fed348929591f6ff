import ArgumentParser
import DecoyAnalysis
import DecoyModel
import DecoyOutput
import DecoyStatistics
import DecoyStudies
import DecoyWorkflows
import Foundation

struct Power: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How many postings per arm: power and type I error of a test of two arms, by simulation.",
        discussion: """
            For each n (postings of the first arm; the second gets max(1, round(R·n))), simulates --sims \
            experiments from the config's models, applies the two-sided test at --alpha as compare \
            computes it, and reports the power (rejections among the experiments where the test is \
            defined; the others are counted as failed, apart) with its Clopper–Pearson 95% interval, \
            the median effect estimate, and the type I error of the same design with both arms given \
            the null arm's response (each keeps its removal and schedule). Zhu and Lakkis's closed form is shown beside it where counts are \
            Poisson (no hawkes, no removal). Simulation j draws from streams of (seed, j, arm, \
            posting), so the table is the same for any --jobs and every n shares its draws. \
            CSV columns: postings,postings_b,sims,rejections,failed,power,lower,upper,median_effect,\
            type_one_error,type_one_lower,type_one_upper,type_one_rejections,type_one_failed,formula_power.
            """)

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @Option(help: "The two arms, first,second: the test compares the first with the second (not with --terms).")
    var arms: String?

    @Option(help: ArgumentHelp("Plan a regression instead: its terms, as `regress --terms` (every arm of the config gets n postings).", valueName: "terms"))
    var terms: String?

    @Option(help: ArgumentHelp("With --terms: the term whose joint Wald test is counted (default: the first).", valueName: "term"))
    var term: String?

    @Option(help: ArgumentHelp("With --terms: a label whose levels each get a baseline of their own (an arm attribute).", valueName: "name"))
    var strata: String?

    @Option(help: ArgumentHelp("With --terms: a label's reference level, NAME=LEVEL (repeatable).", valueName: "name=level"))
    var reference: [String] = []

    @Option(help: ArgumentHelp("With --terms: read this covariate as a label (repeatable).", valueName: "name"))
    var factor: [String] = []

    @Option(help: "proportional-rates (default), randomization, rate-ratio, exact-poisson, logrank or mcf-difference.")
    var test = ArmTest.proportionalRates

    @Option(parsing: .unconditional, help: "Two-sided level of the test, in (0, 1) (default 0.05).")
    var alpha = 0.05

    @Option(parsing: .unconditional, help: "The power to reach, in (0, 1) (default 0.8).")
    var target = 0.8

    @Option(parsing: .unconditional, help: ArgumentHelp("Comma-separated postings of the first arm (default 2,4,…,20).", valueName: "list"))
    var postings: PostingCounts?

    @Option(name: .customLong("max-postings"), parsing: .unconditional, help: ArgumentHelp("Choose the postings by doubling and bisection, up to N.", valueName: "N"))
    var maxPostings: Int?

    @Option(parsing: .unconditional, help: "Postings of the second arm per posting of the first, > 0 (default 1).")
    var ratio = 1.0

    @Option(parsing: .unconditional, help: "Simulated experiments per point (the most, with --precision).")
    var sims = 1000

    @Option(parsing: .unconditional, help: ArgumentHelp("Add simulations 100 at a time until every power interval's half-width is below W.", valueName: "W"))
    var precision: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("Re-assignments a randomization test draws in each simulated experiment (every one when there are no more; at least 999, default 999).", valueName: "N"))
    var draws = PowerAnalysis.defaultDraws

    @Option(name: .customLong("null-arm"), help: ArgumentHelp("The arm whose response both arms get for the type I error (default: the first).", valueName: "arm"))
    var nullArm: String?

    @OptionGroup var intervalsOption: IntervalsOption

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, arms by name (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    @Option(parsing: .unconditional, help: "Override the config's seed.")
    var seed: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Simulation threads (default: the processors). Results do not depend on it.", valueName: "N"))
    var jobs: Int?

    @Option(help: "Write the result to this file instead of standard output.")
    var out: String?

    @Option(help: ArgumentHelp("Simulate only the K-th of N slices of the simulations and write them as a part for `decoy merge` (`auto/N` reads $SLURM_ARRAY_TASK_ID).", valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Also draw the power curve into this HTML page.", valueName: "file"))
    var report: String?

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    /// The settings' ranges are the library's (``PowerAnalysis/Settings/validate()``), checked
    /// here before the config is read; arms are checked against the config later.
    func validate() throws {
        var settings = PowerAnalysis.Settings(arms: ("", ""), test: test, alpha: alpha, target: target, ratio: ratio, sims: sims,
                                              precision: precision, draws: draws, jobs: jobs ?? 1)
        settings.shard = try shard.map { try ShardOption.parse($0) }
        do {
            try settings.validate()
            try grid().validate()
        } catch {
            throw ValidationError(SettingFlags.message(of: error))
        }
    }

    /// The postings to evaluate; their counts' range is checked by ``PowerAnalysis/Grid/validate()``.
    func grid() throws -> PowerAnalysis.Grid {
        if let maxPostings {
            guard postings == nil else { throw ValidationError("--postings and --max-postings: give one of them, not both") }
            return .search(maximum: maxPostings)
        }
        guard let postings else { return .postings(Array(stride(from: 2, through: 20, by: 2))) }
        return .postings(postings.counts)
    }

    /// The regression planned with --terms, if any.
    func regression() throws -> RegressionPower? {
        guard let terms else {
            if term != nil || strata != nil || !reference.isEmpty || !factor.isEmpty {
                throw ValidationError("--term, --strata, --reference and --factor plan a regression: give --terms too")
            }
            return nil
        }
        guard arms == nil else { throw ValidationError("--arms and --terms: a regression uses every arm of the config; give one of them") }
        guard nullArm == nil, ratio == 1 else {
            throw ValidationError("--null-arm and --ratio belong to a test of two arms; with --terms every arm gets n postings and the null is the term's reference counterpart")
        }
        let model = try Regress.model(terms: terms, strata: strata, reference: reference, factor: factor, arms: nil, ties: .efron,
                                      intervals: intervalsOption.intervals, confidence: 0.95)
        let tested = try term.map { text -> RegressionTerm in
            guard let parsed = RegressionTerm(parsing: text), model.terms.contains(parsed) else {
                throw ValidationError("--term expects one of the terms of --terms")
            }
            return parsed
        } ?? model.terms[0]
        guard test == .proportionalRates else { throw ValidationError("--terms plans the proportional-rates regression: --test proportional-rates only") }
        return RegressionPower(model: model, term: tested)
    }

    func settings(jobs: Int, config: ExperimentConfig) throws -> PowerAnalysis.Settings {
        let regression = try regression()
        let names: [String]
        if regression != nil {
            names = Array(config.arms.map(\.name).prefix(2))
            guard names.count == 2 else { throw ValidationError("--terms needs a config with at least two arms") }
        } else {
            guard let arms else { throw ValidationError("--arms expects two arm names, first,second (or --terms to plan a regression)") }
            names = arms.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard names.count == 2, !names[0].isEmpty, !names[1].isEmpty else {
                throw ValidationError("--arms expects two arm names, first,second, found \(TypedValue.described(arms))")
            }
        }
        var settings = PowerAnalysis.Settings(
            arms: (names[0], names[1]), test: test, alpha: alpha, target: target, ratio: ratio, sims: sims, precision: precision,
            nullArm: nullArm, method: intervalsOption.intervals, draws: draws, jobs: jobs)
        settings.regression = regression
        return settings
    }

    func run() throws {
        let grid = try grid()
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let overrides = try OverrideOptions.overrides(settings: self.settings, seed: seed)
        _ = try regression()
        let loaded = try ConfigLoader.load(path: config, overrides: overrides)
        var settings = try settings(jobs: jobs, config: loaded.config)
        settings.shard = try shard.map { try ShardOption.parse($0) }
        if settings.shard != nil, let format = output.format, format != .json {
            throw ValidationError("--shard writes a part for `decoy merge`, which is JSON; leave out --format, or format the merged result")
        }
        if settings.shard != nil, report != nil { throw ValidationError("--report draws the whole analysis; give it to `decoy merge … --into`'s result, not to a --shard part") }
        if settings.shard != nil, settings.regression != nil { throw ValidationError("--shard and --terms: a regression's power is not sharded; run it whole") }
        try OutputSink.refuseClashes(outputs: [("--out", out), ("--report", report)], inputs: [("the config", config)])
        let sink = try OutputSink(path: out, database: database.path)
        let page = try report.map { try OutputSink(path: $0, database: database.path, option: "--report") }
        let cancellation = Interruption.shared.install()
        let progress = Progress(quiet: quiet)
        let display = ProgressDisplay(progress)
        let analysis = try PowerAnalysis.run(loaded, settings: settings, grid: grid, cancellation: cancellation) { done, total, points in
            display.show(done: done, total: total, points: points)
        }
        progress.finish()
        if settings.shard != nil {
            try sink.write(PowerPart(analysis, loaded: loaded).json)
            try sink.close()
            return
        }
        let format = out != nil ? (output.format ?? .json) : output.resolved(fallback: .json)
        if let page {
            try page.write(analysis.html)
            try page.close()
        }
        try sink.write(Renderer.render(analysis.presentation, as: format))
        try sink.close()
    }
}

/// `--postings 5,10,20`: comma-separated counts (their range is the library's to check).
struct PostingCounts: ExpressibleByArgument {
    var counts: [Int]

    init?(argument: String) {
        var counts: [Int] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            counts.append(n)
        }
        self.counts = counts
    }
}

/// The provisional power of each point, on one line of standard error.
private final class ProgressDisplay: @unchecked Sendable {
    let progress: Progress
    let lock = NSLock()
    init(_ progress: Progress) { self.progress = progress }

    func show(done: Int, total: Int, points: [PowerAnalysis.Point]) {
        lock.withLock {
            let powers = points.map { point in "\(point.postings): \(point.power.map { String(format: "%.3f", $0) } ?? "-")" }
            progress.update("power \(done)/\(total) sims  " + powers.joined(separator: "  "))
        }
    }
}
