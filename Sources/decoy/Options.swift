public import ArgumentParser
import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import DecoyStudies
import DecoyOutput
import DecoyStore
import DecoyWorkflows
import Foundation

/// `--db PATH`: the database file, default `$DECOY_DB` or `./decoy.sqlite`.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The SQLite database file (default: $DECOY_DB, else ./decoy.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["DECOY_DB"], !env.isEmpty { return env }
        return "decoy.sqlite"
    }

    /// Opens the database for reading; it must exist.
    func openExisting() throws -> Database { try Database(path: path, create: false) }

    /// Opens the database for writing, creating it if needed.
    func openForWriting() throws -> Database { try Database(path: path, create: true) }
}

extension OutputFormat: ExpressibleByArgument {}

extension IntervalMethod: ExpressibleByArgument {}

/// `--intervals corrected|classic`: small-sample corrected intervals (default) or R's classic ones.
struct IntervalsOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "corrected (default): cluster-robust variances corrected for few postings with t quantiles; classic: R's numbers (survival's robust variance with normal quantiles, Garwood rate bins, HC0 rate ratio).",
        valueName: "corrected|classic"))
    var intervals: IntervalMethod = .corrected
}

/// `--format table|csv|json`: table by default on a terminal, `fallback` otherwise.
struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json (default: table on a terminal).")
    var format: OutputFormat?

    func resolved(fallback: OutputFormat) -> OutputFormat {
        format ?? (Console.stdoutIsTerminal ? .table : fallback)
    }

    /// Prints a result in the chosen format.
    func emit(_ presentation: Presentation, fallback: OutputFormat) {
        Console.write(Renderer.render(presentation, as: resolved(fallback: fallback)))
    }
}

/// Progress on standard error, only on a terminal and without `--quiet`, at most 5 times a second.
final class Progress {
    private let enabled: Bool
    private var last = ContinuousClock.now
    private let started = ContinuousClock.now
    private var shown = false

    init(quiet: Bool) { enabled = !quiet && Console.stderrIsTerminal }

    func update(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard force || now - last >= .milliseconds(200) else { return }
        last = now
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text())".utf8))
    }

    var elapsedSeconds: Double {
        let d = ContinuousClock.now - started
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// `--set KEY=VALUE` (repeatable), `--seed N`, `--replicates N`: overrides of config keys.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, arms by name: --set arms.adult.response.initial=200/h (repeatable).", valueName: "key=value"))
    var settings: [String] = []

    // Read as text (`parsing: .unconditional` so that `-1` is a value, not a flag) and checked
    // by the config loader like any other value, so a bad seed is an invalid config (exit 2).
    @Option(parsing: .unconditional, help: "Override the config's seed.")
    var seed: String?

    @Option(parsing: .unconditional, help: "Override the number of replicates.")
    var replicates: String?

    /// The overrides in the order they apply: `--set` first, then `--seed` and `--replicates`.
    func overrides() throws -> [Override] { try Self.overrides(settings: settings, seed: seed, replicates: replicates) }

    /// The same for a command that takes only some of these flags.
    static func overrides(settings: [String], seed: String?, replicates: String? = nil) throws -> [Override] {
        var result: [Override] = []
        for text in settings {
            guard let override = Override(text) else {
                throw ConfigError(issues: [ConfigIssue(setting: .overrides, column: 1, path: "",
                                                       message: "expected KEY=VALUE such as `arms.adult.response.initial=200/h`")])
            }
            result.append(override)
        }
        if let seed { result.append(Override(path: ["seed"], value: seed, origin: .seed)) }
        if let replicates { result.append(Override(path: ["replicates"], value: replicates, origin: .replicates)) }
        return result
    }
}

/// Warns on standard error that a run is not complete, so its numbers cover only what was stored.
func warnIfIncomplete(_ run: RunRecord) {
    let status = RunLiveness.effectiveStatus(run)
    guard status != .complete else { return }
    Console.note("warning: run \(run.id) is \(status.rawValue): its results cover only the postings and contacts stored so far (\(run.postings) postings, \(run.contacts) contacts)")
}

/// `--jobs N`: simulation threads, at least 1; read as text so that `-1` gets this message and
/// not ArgumentParser's "Missing value".
enum JobsOption {
    static func parse(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let jobs = Int(text), jobs >= 1 else {
            throw ValidationError("--jobs expects a number of threads of at least 1, found \(TypedValue.described(text))")
        }
        return jobs
    }
}

/// A duration flag (`--grid`, `--until`): hours > 0.
enum DurationOption {
    static func hours(_ text: String, flag: String) throws -> Double {
        guard let hours = Units.hours(fromDuration: text), hours > 0 else {
            throw ValidationError("\(flag) expects a duration > 0 such as `1h` or `30m`, found \(TypedValue.described(text))")
        }
        return hours
    }
}

/// `--confidence LEVEL`, checked by the library's one rule (``ComparisonSettings/check(confidence:)``).
enum ConfidenceLevel {
    static func check(_ level: Double) throws {
        do {
            try ComparisonSettings.check(confidence: level)
        } catch {
            let range = ComparisonSettings.confidenceRange
            throw ValidationError("--confidence expects a level from \(range.lowerBound) to \(range.upperBound) such as 0.95 (its normal quantile must be finite); the value given is outside that range")
        }
    }
}

extension Ties: ExpressibleByArgument {}

extension ArmTest: ExpressibleByArgument {}

extension CoverageStudy.Part: ExpressibleByArgument {}

/// How two arms are compared (`compare`, `report`): ties, the time of the mcf difference, and the
/// randomization draws; the library validates the settings, and this maps each to its flag.
struct ComparisonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How contacts at one instant enter the proportional-rates model: efron (default, as R) or breslow.", valueName: "efron|breslow"))
    var ties: Ties = .efron

    @Option(parsing: .unconditional, help: ArgumentHelp("Read the mcf difference at this time since going live, such as `6h` (default: the latest time each arm still has max(3, ⌈n/4⌉) postings at risk).", valueName: "duration"))
    var at: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Re-assignments the randomization tests draw when there are more than 200,000 (at least 999; default 9999).", valueName: "N"))
    var draws = "9999"

    @Option(name: .customLong("seed"), parsing: .unconditional, help: ArgumentHelp("Seed of the randomization draws (default 1).", valueName: "N"))
    var seed = "1"

    func settings(confidence: Double, intervals: IntervalMethod) throws -> ComparisonSettings {
        let mcfAt = try at.map { try DurationOption.hours($0, flag: "--at") }
        guard let draws = Int(draws) else { throw ValidationError("--draws expects a number of draws such as 9999, found \(TypedValue.described(self.draws))") }
        guard let seed = UInt64(seed) else { throw ValidationError("--seed expects an unsigned 64-bit integer, found \(TypedValue.described(self.seed))") }
        let settings = ComparisonSettings(confidence: confidence, intervals: intervals, ties: ties, mcfAt: mcfAt,
                                          randomization: .init(draws: draws, seed: seed))
        do {
            try settings.validate()
        } catch {
            switch error {
            case .confidence: try ConfidenceLevel.check(confidence)
            case .mcfAt: throw ValidationError("--at expects a duration > 0 such as `6h`, found \(TypedValue.described(at ?? ""))")
            case .draws: throw ValidationError("--draws expects from \(ComparisonSettings.Randomization.minimumDraws) to \(ComparisonSettings.Randomization.maximumDraws) draws; the value given is outside that range")
            }
        }
        return settings
    }
}
