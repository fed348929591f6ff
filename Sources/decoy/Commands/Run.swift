import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyWorkflows
import DecoyStore
import DecoyModel
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate an experiment and store the run; prints run id, contacts, postings and digest.")

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @Option(parsing: .unconditional, help: "Simulation threads (default: all cores). Results do not depend on it.")
    var jobs: String?

    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Flag(help: "Run even if more than 100 million contacts are expected.")
    var allowLarge = false

    @Option(help: ArgumentHelp("Store only the K-th of N contiguous slices of the canonical posting order (K from 1; `auto/N` reads $SLURM_ARRAY_TASK_ID).", valueName: "K/N"))
    var shard: String?

    func validate() throws {
        _ = try JobsOption.parse(jobs)
    }

    func run() throws {
        let slice = try shard.map { try ShardOption.parse($0) }
        let loaded = try ConfigLoader.load(path: config, overrides: try overrides.overrides())
        try RunCommandSupport.guardSize(loaded, allowLarge: allowLarge)
        let outcome = try RunCommandSupport.simulate(loaded, configPath: config, database: database, jobs: try JobsOption.parse(jobs), quiet: quiet,
                                                     shard: slice)
        output.emit(outcome.presentation(database: database.path), fallback: .table)
    }
}

/// `decoy quickstart`: the embedded example experiment, run, summarised per arm and reported.
struct Quickstart: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the built-in example (adult decoy ads vs a control ad), print a per-arm summary and write its report.",
        discussion: """
            The experiment is experiments/quickstart.yaml, built into the tool. The run is stored in \
            the database like any other, and its report (decoy report) is written to \
            decoy-report.html beside the database.
            """)

    @Option(help: ArgumentHelp("Grid of the report's curves, a duration (default: the config's 1h).", valueName: "duration"))
    var grid: String?

    @OptionGroup var database: DatabaseOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        var step: Double?
        if let grid {
            guard let hours = Units.hours(fromDuration: grid), hours > 0 else {
                throw ValidationError("--grid expects a duration such as `4h`, found \(TypedValue.described(grid))")
            }
            step = hours
        }
        let reportPath = URL(fileURLWithPath: database.path).deletingLastPathComponent().appendingPathComponent("decoy-report.html").path
        let shownReport = database.path.contains("/") ? reportPath : "decoy-report.html"
        // Refused before anything runs: the report must never land on a database.
        let sink = try OutputSink(path: shownReport, database: database.path)
        let loaded = try ConfigLoader.load(text: Examples.quickstartText, file: Examples.quickstartFile)
        let outcome = try RunCommandSupport.simulate(loaded, configPath: Examples.quickstartFile, database: database, jobs: nil, quiet: quiet)
        print("run \(outcome.runID) stored in \(database.path): \(outcome.postings) postings, \(outcome.contacts) contacts")
        print("digest \(outcome.digest)\n")
        let db = try database.openExisting()
        let run = try StoredRun(try db.run(String(outcome.runID)), in: db)
        let report = try RunReport(run, database: db, grid: step, cancellation: Interruption.shared.install())
        Console.write(Renderer.render(report.summaryPresentation, as: .table))
        try sink.write(report.html)
        try sink.close()
        let flag = database.path == "decoy.sqlite" ? "" : " --db \(database.path)"
        print("\nreport: \(shownReport) (open it in a browser, e.g. xdg-open \(shownReport))")
        print("curves as CSV: decoy curves \(outcome.runID)\(flag) --out curves.csv")
    }
}

/// `--shard K/N` or `auto/N`: the K-th (1-based) of N slices.
///
/// With `auto`, K comes from `$SLURM_ARRAY_TASK_ID`: an array submitted as `--array=1-N` gives
/// K directly; one submitted as `--array=0-(N-1)` (Slurm sets `$SLURM_ARRAY_TASK_MIN` to 0) gives
/// K = id + 1.
enum ShardOption {
    static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let n = Int(parts[1]), n >= 1, n <= 100_000 else {
            throw ValidationError("--shard expects K/N with 1 ≤ K ≤ N ≤ 100000, or auto/N, such as `2/4`, found \(TypedValue.described(text))")
        }
        if parts[0] == "auto" {
            guard let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) else {
                throw ValidationError("--shard auto/\(n) reads $SLURM_ARRAY_TASK_ID, which is not set to a number here; give K/\(n) instead")
            }
            let zeroBased = environment["SLURM_ARRAY_TASK_MIN"].flatMap { Int($0) } == 0
            let k = zeroBased ? id + 1 : id
            guard k >= 1, k <= n else {
                throw ValidationError("--shard auto/\(n): $SLURM_ARRAY_TASK_ID \(id) (\(zeroBased ? "0" : "1")-based) is not a shard from 1 to \(n)")
            }
            return (k, n)
        }
        guard let k = Int(parts[0]), k >= 1, k <= n else {
            throw ValidationError("--shard expects K/N with 1 ≤ K ≤ N ≤ 100000, or auto/N, such as `2/4`, found \(TypedValue.described(text))")
        }
        return (k, n)
    }
}

enum RunCommandSupport {
    /// Contacts a run may be expected to produce without `--allow-large`.
    static let largeRunContacts = 100_000_000.0

    static func guardSize(_ loaded: LoadedConfig, allowLarge: Bool) throws {
        let expected = ExperimentRunner(loaded: loaded, configPath: nil).expectedContacts
        guard allowLarge || expected <= largeRunContacts else {
            throw CLIError(message: "this run is expected to produce about \(Int(expected.rounded())) contacts (about \(Int((expected * 25 / 1e9).rounded())) GB of database), more than 100 million; pass --allow-large to run it anyway")
        }
    }

    static func simulate(_ loaded: LoadedConfig, configPath: String, database: DatabaseOption, jobs: Int?, quiet: Bool,
                         shard: (index: Int, count: Int)? = nil) throws -> RunOutcome {
        let cancellation = Interruption.shared.install()
        let db = try database.openForWriting()
        let whole = loaded.config.replicates * loaded.config.arms.reduce(0) { $0 + $1.postings }
        if let shard, shard.count > whole {
            throw ValidationError("--shard \(shard.index)/\(shard.count): the run has \(whole) postings, fewer than \(shard.count) shards; use at most \(whole)")
        }
        let progress = Progress(quiet: quiet)
        var runner = ExperimentRunner(
            loaded: loaded, configPath: configPath, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, shard: shard)
        runner.cancellation = cancellation
        let total = runner.shard.map { $0.end - $0.first } ?? whole
        let outcome = try runner.run(into: db) { done, contacts in
            let rate = Double(contacts) / max(progress.elapsedSeconds, 1e-9)
            let left = done > 0 ? progress.elapsedSeconds * Double(total - done) / Double(done) : 0
            progress.update("simulated \(done)/\(total) postings, \(contacts) contacts, \(Int(rate)) contacts/s, about \(Int(left.rounded())) s left")
        }
        progress.finish()
        return outcome
    }
}
