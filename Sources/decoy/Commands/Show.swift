import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a run's provenance and per-arm summary.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Flag(help: "Also print the config text as it was given.")
    var config = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let arms = try db.arms(run: record.id)
        let totals = try db.armTotals(run: record.id)
        let armRows: [[String]] = arms.map { arm in
            let total = totals.first { $0.arm == arm.id }
            let postings = total?.postings ?? 0, contacts = total?.contacts ?? 0
            return [arm.name, String(postings), String(contacts),
                    postings > 0 ? CSV.number((Double(contacts) / Double(postings) * 100).rounded() / 100) : "",
                    String(total?.removed ?? 0), arm.population]
        }
        let fields: [(String, String)] = [
            ("run_id", String(record.id)), ("name", record.name), ("source", record.source.rawValue),
            ("status", RunLiveness.effectiveStatus(record).rawValue), ("config_path", record.configPath ?? ""),
            ("config_sha256", record.configSHA256), ("seed", String(record.seed)), ("replicates", String(record.replicates)),
            ("overrides", record.overrides), ("sweep", record.sweep?.sweep ?? ""), ("sweep_point", record.sweep?.point ?? ""), ("postings", String(record.postings)), ("contacts", String(record.contacts)),
            ("digest", record.digest ?? ""), ("tool_version", record.provenance.toolVersion),
            ("swift_version", record.provenance.swiftVersion), ("os", record.provenance.os), ("host", record.provenance.host),
            ("pid", String(record.provenance.pid)), ("started_at", record.startedAt), ("finished_at", record.finishedAt ?? ""),
            ("wall_seconds", CSV.number(record.wallSeconds)), ("message", record.message ?? ""),
        ]
        switch output.resolved(fallback: .table) {
        case .json:
            print(JSONValue.object(fields.map { ($0.0, .string($0.1)) } + [
                ("config_text", .string(record.configText)), ("resolved_config", .string(record.resolvedConfig)),
                ("arms", .array(armRows.map { row in
                    .object(zip(["name", "postings", "contacts", "contacts_per_posting", "removed", "population"], row).map { ($0.0, .string($0.1)) })
                })),
            ]).pretty)
        case .csv:
            print("field,value")
            for (key, value) in fields { print(CSV.row([key, value])) }
        case .table:
            let width = fields.map(\.0.count).max() ?? 0
            for (key, value) in fields where !value.isEmpty {
                print(key + String(repeating: " ", count: width - key.count + 2) + value)
            }
            print("resolved_config" + "  " + record.resolvedConfig)
            print("")
            print(TextTable.render(header: ["arm", "postings", "contacts", "per posting", "removed", "population"], rows: armRows, rightAligned: [1, 2, 3, 4]))
            if config { print("\n" + record.configText) }
        }
    }
}
