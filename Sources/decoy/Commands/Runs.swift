import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the stored runs.")

    @Option(help: "Only the runs of this sweep (its id, as `decoy sweep` prints it).")
    var sweep: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let runs = try database.openExisting().runs().filter { sweep == nil || $0.sweep?.sweep == sweep }
        switch output.resolved(fallback: .csv) {
        case .json:
            print(JSONValue.array(runs.map { run in
                .object([
                    ("run_id", .integer(run.id)), ("name", .string(run.name)), ("source", .string(run.source.rawValue)),
                    ("status", .string(RunLiveness.effectiveStatus(run).rawValue)), ("contacts", .integer(Int64(run.contacts))),
                    ("postings", .integer(Int64(run.postings))), ("digest", run.digest.map(JSONValue.string) ?? .null),
                    ("started_at", .string(run.startedAt)), ("sweep", run.sweep.map { .string($0.sweep) } ?? .null),
                    ("sweep_point", run.sweep.map { .string($0.point) } ?? .null),
                ])
            }).pretty)
        case .csv:
            print("run_id,name,source,status,contacts,postings,digest,started_at,sweep,sweep_point")
            for run in runs {
                print(CSV.row([String(run.id), run.name, run.source.rawValue, RunLiveness.effectiveStatus(run).rawValue, String(run.contacts),
                               String(run.postings), run.digest ?? "", run.startedAt, run.sweep?.sweep ?? "", run.sweep?.point ?? ""]))
            }
        case .table:
            if runs.isEmpty { print("no runs in \(database.path)"); return }
            print(TextTable.render(
                header: ["run", "name", "source", "status", "contacts", "postings", "digest", "started", "sweep point"],
                rows: runs.map { run in
                    [String(run.id), run.name, run.source.rawValue, RunLiveness.effectiveStatus(run).rawValue, String(run.contacts), String(run.postings),
                     run.digest.map { String($0.prefix(12)) } ?? "-", run.startedAt, run.sweep.map { "\($0.sweep): \($0.point)" } ?? ""]
                },
                rightAligned: [0, 4, 5]))
        }
    }
}
