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

    @Option(help: "Simulation threads (default: all cores).")
    var jobs: Int?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @Flag(help: "Take over a run marked running by a process on another host (you assert that process is gone); never overrides a live process on this host.")
    var force = false

    func run() throws {
        Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let progress = Progress(quiet: quiet)
        let total = ExperimentPlanCount.postings(record)
        let outcome: RunOutcome
        do {
            outcome = try Resumption.resume(record, in: db, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, force: force) { done, contacts in
                progress.update("simulated \(done)/\(total) postings, \(contacts) contacts")
            }
        } catch let error as ReproductionError {
            progress.finish()
            throw CLIError(message: error.message)
        } catch let error as RunClaimError {
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

    @Flag(help: "Delete a run marked running by a process on another host (you assert that process is gone); never deletes under a live process on this host.")
    var force = false

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let db = try database.openExisting()
        let record = try db.run(runReference)
        do {
            // Judged inside the deleting transaction: a `resume` that claimed the run first wins.
            try db.deleteRun(record.id) { current in try RunLiveness.checkTakeover(current, force: force) }
        } catch let error as RunClaimError {
            throw CLIError(message: error.message)
        }
        print("deleted run \(record.id) (\(record.name), \(record.contacts) contacts)")
    }
}
