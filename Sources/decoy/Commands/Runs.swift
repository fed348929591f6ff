import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the stored runs.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let runs = try database.openExisting().runs()
        switch output.resolved(fallback: .csv) {
        case .json:
            print(JSONValue.array(runs.map { run in
                .object([
                    ("run_id", .integer(run.id)), ("name", .string(run.name)), ("source", .string(run.source.rawValue)),
                    ("status", .string(run.status.rawValue)), ("contacts", .integer(Int64(run.contacts))),
                    ("postings", .integer(Int64(run.postings))), ("digest", run.digest.map(JSONValue.string) ?? .null),
                    ("started_at", .string(run.startedAt)),
                ])
            }).pretty)
        case .csv:
            print("run_id,name,source,status,contacts,postings,digest,started_at")
            for run in runs {
                print(CSV.row([String(run.id), run.name, run.source.rawValue, run.status.rawValue, String(run.contacts),
                               String(run.postings), run.digest ?? "", run.startedAt]))
            }
        case .table:
            if runs.isEmpty { print("no runs in \(database.path)"); return }
            print(TextTable.render(
                header: ["run", "name", "source", "status", "contacts", "postings", "digest", "started"],
                rows: runs.map { run in
                    [String(run.id), run.name, run.source.rawValue, run.status.rawValue, String(run.contacts), String(run.postings),
                     run.digest.map { String($0.prefix(12)) } ?? "-", run.startedAt]
                },
                rightAligned: [0, 4, 5]))
        }
    }
}
