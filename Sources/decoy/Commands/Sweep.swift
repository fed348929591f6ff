import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore
import Foundation

struct Sweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one config over a grid of overrides, one run per point; resumable.",
        discussion: """
            Every point's config is checked before anything runs. Calling the same command again \
            skips points already finished and redoes interrupted ones. Runs are tagged with the \
            sweep id and their point; `decoy runs --sweep ID` lists them.
            """)

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @Option(help: ArgumentHelp("A grid axis: a config key and comma-separated values, e.g. arms.adult.response.initial=100/h,200/h (repeatable).", valueName: "key=v1,v2,…"))
    var grid: [String] = []

    @Flag(help: "Go on with the next points when one fails (default: stop at the first failure).")
    var keepGoing = false

    @Option(parsing: .unconditional, help: "Simulation threads (default: all cores).")
    var jobs: String?

    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws { _ = try JobsOption.parse(jobs) }

    func run() throws {
        guard !grid.isEmpty else { throw ValidationError("--grid: give at least one axis, e.g. --grid seed=1,2,3") }
        let text: String
        do {
            text = try String(contentsOfFile: config, encoding: .utf8)
        } catch {
            _ = try ConfigLoader.load(path: config)
            throw CLIError(message: "cannot read \(config)")
        }
        let plan = SweepPlan(configPath: config, text: text, base: try overrides.overrides(), axes: try SweepPlan.axes(from: grid))
        let total = plan.points.count
        _ = try plan.loadPoints()   // every point's config is valid before the database is touched
        let progress = Progress(quiet: quiet)
        let db = try database.openForWriting()
        let result = try SweepRunner(plan: plan, keepGoing: keepGoing, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount)
            .run(into: db) { index, label in progress.update("point \(index + 1)/\(total): \(label)", force: true) }
        progress.finish()
        let rows = result.outcomes.map { o in
            [o.point, o.state.rawValue, o.runID.map(String.init) ?? "", o.contacts.map(String.init) ?? "", o.digest ?? "", o.message ?? ""]
        }
        switch output.resolved(fallback: .table) {
        case .json:
            print(JSONValue.object([
                ("sweep", .string(result.sweep)),
                ("points", .array(result.outcomes.map { o in
                    .object([("point", .string(o.point)), ("state", .string(o.state.rawValue)), ("run_id", o.runID.map { .integer($0) } ?? .null),
                             ("contacts", o.contacts.map { .integer(Int64($0)) } ?? .null), ("digest", o.digest.map(JSONValue.string) ?? .null),
                             ("message", o.message.map(JSONValue.string) ?? .null)])
                })),
            ]).pretty)
        case .csv:
            print("sweep,point,state,run_id,contacts,digest,message")
            for row in rows { print(CSV.row([result.sweep] + row)) }
        case .table:
            print("sweep \(result.sweep) in \(database.path)")
            print(TextTable.render(header: ["point", "state", "run", "contacts", "digest", "message"],
                                   rows: rows.map { r in [r[0], r[1], r[2], r[3], String(r[4].prefix(12)), r[5]] }, rightAligned: [2, 3]))
        }
        if result.outcomes.contains(where: { $0.state == .failed }) {
            throw CLIError(message: "\(result.outcomes.filter { $0.state == .failed }.count) of \(total) points failed")
        }
    }
}
