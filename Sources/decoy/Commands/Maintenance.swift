import ArgumentParser
import DecoyOutput
import DecoyWorkflows
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

    @Flag(help: "Take over a run marked running by a process on another host (you assert that process is gone); never overrides a live process on this host.")
    var force = false

    func validate() throws { _ = try JobsOption.parse(jobs) }

    func run() throws {
        let cancellation = Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let progress = Progress(quiet: quiet)
        let total = try StoredConfig.load(record).config.postingCount
        let outcome: RunOutcome
        do {
            outcome = try Resumption.resume(record, in: db, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount, force: force,
                                         cancellation: cancellation) { done, contacts in
                progress.update("simulated \(done)/\(total) postings, \(contacts) contacts")
            }
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        output.emit(outcome.presentation(database: database.path), fallback: .table)
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
        // Judged inside the deleting transaction: a `resume` that claimed the run first wins.
        try db.deleteRun(record.id) { current in try RunLiveness.checkTakeover(current, force: force) }
        print("deleted run \(record.id) (\(record.name), \(record.contacts) contacts)")
    }
}
