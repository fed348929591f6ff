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

    func validate() throws {
        _ = try JobsOption.parse(jobs)
    }

    func run() throws {
        let loaded = try ConfigLoader.load(path: config, overrides: try overrides.overrides())
        try RunCommandSupport.guardSize(loaded, allowLarge: allowLarge)
        let outcome = try RunCommandSupport.simulate(loaded, configPath: config, database: database, jobs: try JobsOption.parse(jobs), quiet: quiet)
        output.emit(outcome.presentation(database: database.path), fallback: .table)
    }
}

/// `decoy quickstart`: the embedded example experiment, run and summarised as curves.
struct Quickstart: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the built-in example (adult decoy ads vs a control ad) and print its curves.",
        discussion: "The experiment is experiments/quickstart.yaml, built into the tool. The run is stored in the database like any other.")

    @Option(help: ArgumentHelp("Grid of the printed curves, a duration.", valueName: "duration"))
    var grid = "4h"

    @OptionGroup var database: DatabaseOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func run() throws {
        guard let step = Units.hours(fromDuration: grid), step > 0 else {
            throw ValidationError("--grid expects a duration such as `4h`, found `\(grid)`")
        }
        let loaded = try ConfigLoader.load(text: try Examples.quickstartText(), file: Examples.quickstartFile)
        let outcome = try RunCommandSupport.simulate(loaded, configPath: Examples.quickstartFile, database: database, jobs: nil, quiet: quiet)
        print("run \(outcome.runID) stored in \(database.path): \(outcome.postings) postings, \(outcome.contacts) contacts")
        print("digest \(outcome.digest)\n")
        let db = try database.openExisting()
        let run = try db.run(String(outcome.runID))
        let rows = try CurveBuilder.curves(of: try StoredRun(run, in: db), request: CurveRequest(grid: step))
        Console.write(Renderer.render(CurveTable(rows).presentation, as: .table))
        print("\nAll curves as CSV: decoy curves \(outcome.runID) --db \(database.path) --out curves.csv")
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

    static func simulate(_ loaded: LoadedConfig, configPath: String, database: DatabaseOption, jobs: Int?, quiet: Bool) throws -> RunOutcome {
        Interruption.shared.install()
        let db = try database.openForWriting()
        let total = loaded.config.replicates * loaded.config.arms.reduce(0) { $0 + $1.postings }
        let progress = Progress(quiet: quiet)
        let runner = ExperimentRunner(
            loaded: loaded, configPath: configPath, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let outcome = try runner.run(into: db) { done, contacts in
            let rate = Double(contacts) / max(progress.elapsedSeconds, 1e-9)
            let left = done > 0 ? progress.elapsedSeconds * Double(total - done) / Double(done) : 0
            progress.update("simulated \(done)/\(total) postings, \(contacts) contacts, \(Int(rate)) contacts/s, about \(Int(left.rounded())) s left")
        }
        progress.finish()
        return outcome
    }
}
