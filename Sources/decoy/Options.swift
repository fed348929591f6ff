public import ArgumentParser
import DecoyModel
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

    @Option(help: "Override the config's seed.")
    var seed: UInt64?

    @Option(help: "Override the number of replicates.")
    var replicates: Int?

    /// The overrides in the order they apply: `--set` first, then `--seed` and `--replicates`.
    func overrides() throws -> [Override] {
        var result: [Override] = []
        for text in settings {
            guard let override = Override(text) else {
                throw ValidationError("--set expects KEY=VALUE such as `arms.adult.response.initial=200/h`, found `\(text)`")
            }
            result.append(override)
        }
        if let seed { result.append(Override(path: ["seed"], value: String(seed))) }
        if let replicates {
            guard replicates >= 1 else { throw ValidationError("--replicates must be at least 1, found \(replicates)") }
            result.append(Override(path: ["replicates"], value: String(replicates)))
        }
        return result
    }
}

/// Warns on standard error that a run is not complete, so its numbers cover only what was stored.
func warnIfIncomplete(_ run: RunRecord) {
    let status = RunLiveness.effectiveStatus(run)
    guard status != .complete else { return }
    Console.note("warning: run \(run.id) is \(status.rawValue): its results cover only the postings and contacts stored so far (\(run.postings) postings, \(run.contacts) contacts)")
}
