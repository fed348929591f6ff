import ArgumentParser
import DecoyOutput
import DecoyWorkflows
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

    @Option(help: ArgumentHelp("Run only the grid points dealt to the K-th of N shards (point i to shard i mod N + 1; `auto/N` reads $SLURM_ARRAY_TASK_ID).", valueName: "K/N"))
    var shard: String?

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
        if let shard { _ = try ShardOption.parse(shard) }
        let total = plan.points.count
        _ = try plan.loadPoints()   // every point's config is valid before the database is touched
        let progress = Progress(quiet: quiet)
        let cancellation = Interruption.shared.install()
        let db = try database.openForWriting()
        let slice = try shard.map { try ShardOption.parse($0) }
        var runner = SweepRunner(plan: plan, keepGoing: keepGoing, jobs: try JobsOption.parse(jobs) ?? ProcessInfo.processInfo.activeProcessorCount,
                                 shard: slice)
        runner.cancellation = cancellation
        let result = try runner
            .run(into: db) { index, label in progress.update("point \(index + 1)/\(total): \(label)", force: true) }
        progress.finish()
        output.emit(SweepSummary(sweep: result.sweep, outcomes: result.outcomes, database: database.path).presentation, fallback: .table)
        if result.outcomes.contains(where: { $0.state == .failed }) {
            throw CLIError(message: "\(result.outcomes.filter { $0.state == .failed }.count) of \(total) points failed")
        }
    }
}
