import ArgumentParser
import DecoyOutput
import DecoyWorkflows
import DecoyModel
import DecoyStore
import Foundation

struct Rerun: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-simulate a stored run from its resolved config and seed and compare event by event.",
        discussion: "Prints `reproduced` and exits 0 when every event and the digest match; otherwise names the first differing event and exits 3.")

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
        let cancellation = Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let progress = Progress(quiet: quiet)
        let report: ReproductionReport
        do {
            report = try Reproduction.check(record, in: db, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount,
                                            cancellation: cancellation) { done, contacts in
                progress.update("re-simulated \(done)/\(record.postings) postings, \(contacts) contacts")
            }
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        output.emit(report.presentation, fallback: .table)
        if !report.reproduced { throw RunNotReproduced(run: report.runID) }
    }
}

/// `rerun` found differences; the report says where.
struct RunNotReproduced: DecoyFailure {
    var run: Int64
    var exitStatus: ExitStatus { .mismatch }
    var description: String { "run \(run) was not reproduced (see the report above)" }
}
