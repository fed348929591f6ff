import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore
import Foundation

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Finish an interrupted simulated run; its digest then equals an uninterrupted run's.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(parsing: .unconditional, help: "Simulation threads (default: all cores).")
    var jobs: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws { _ = try JobsOption.parse(jobs) }

    func run() throws {
        Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let progress = Progress(quiet: quiet)
        let total = ExperimentPlanCount.postings(record)
        let outcome: RunOutcome
        do {
            outcome = try Resumption.resume(record, in: db, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount) { done, contacts in
                progress.update("simulated \(done)/\(total) postings, \(contacts) contacts")
            }
        } catch let error as ReproductionError {
            progress.finish()
            throw CLIError(message: error.message)
        }
        progress.finish()
        RunCommandSupport.print(outcome, format: output.resolved(fallback: .table), database: database.path)
    }
}

/// The number of postings of a stored run's plan, for progress.
enum ExperimentPlanCount {
    static func postings(_ run: RunRecord) -> Int {
        guard let loaded = try? ConfigLoader.load(text: run.resolvedConfig, file: "run") else { return 0 }
        return loaded.config.replicates * loaded.config.arms.reduce(0) { $0 + $1.postings }
    }
}

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Remove a run and all its rows.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let db = try database.openExisting()
        let record = try db.run(runReference)
        if RunLiveness.effectiveStatus(record) == .running {
            throw CLIError(message: "run \(record.id) is being written by process \(record.provenance.pid) on \(record.provenance.host); stop it first")
        }
        try db.deleteRun(record.id)
        print("deleted run \(record.id) (\(record.name), \(record.contacts) contacts)")
    }
}
