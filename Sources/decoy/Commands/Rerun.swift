import ArgumentParser
import DecoyKit
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
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let progress = Progress(quiet: quiet)
        let report: ReproductionReport
        do {
            report = try Reproduction.check(record, in: db, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount) { done, contacts in
                progress.update("re-simulated \(done)/\(record.postings) postings, \(contacts) contacts")
            }
        } catch let error as ReproductionError {
            progress.finish()
            throw CLIError(message: error.message)
        }
        progress.finish()
        switch output.resolved(fallback: .table) {
        case .json:
            print(JSONValue.object([
                ("run_id", .integer(report.runID)), ("reproduced", .bool(report.reproduced)),
                ("contacts", .integer(Int64(report.contacts))), ("postings", .integer(Int64(report.postings))),
                ("digest", .string(report.recomputedDigest)), ("stored_digest", report.storedDigest.map(JSONValue.string) ?? .null),
                ("digest_of_stored_events", .string(report.digestOfStoredEvents)),
                ("first_difference", report.firstDifference.map { d in
                    .object([("replicate", .integer(Int64(d.replicate))), ("arm", .string(d.arm)), ("posting", .integer(Int64(d.posting))),
                             ("seq", d.seq.map { .integer(Int64($0)) } ?? .null), ("stored", .string(d.stored)), ("recomputed", .string(d.recomputed))])
                } ?? .null),
                ("problem", report.problem.map(JSONValue.string) ?? .null),
            ]).pretty)
        case .csv:
            print("run_id,reproduced,contacts,postings,digest,problem")
            print(CSV.row([String(report.runID), report.reproduced ? "true" : "false", String(report.contacts), String(report.postings),
                           report.recomputedDigest, report.problem ?? ""]))
        case .table:
            if report.reproduced {
                print("reproduced")
                print("run \(report.runID): \(report.postings) postings, \(report.contacts) contacts, digest \(report.recomputedDigest)")
            } else {
                print("not reproduced")
                print(report.problem ?? "")
                print("stored digest    \(report.storedDigest ?? "(none)")")
                print("stored events    \(report.digestOfStoredEvents)")
                print("recomputed       \(report.recomputedDigest)")
            }
        }
        if !report.reproduced { throw ExitCode(3) }
    }
}
