import ArgumentParser
import DecoyModel
import DecoyOutput
import DecoyStore
import DecoyWorkflows
import Foundation

/// `decoy merge runs|sweep|power`: what to merge is named, never guessed from the files.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join shards into the unsharded result: a run's (merge runs), a sweep's (merge sweep) or a power analysis's (merge power).",
        discussion: """
            Nothing is written until every shard is read and checked: a missing, unfinished, foreign \
            or edited shard is refused, naming the file by its place in the list.
            """,
        subcommands: [MergeRuns.self, MergeSweep.self, MergePower.self, MergeUnnamed.self],
        defaultSubcommand: MergeUnnamed.self)
}

/// `merge FILE…` without saying what the files are: refused with the three forms.
struct MergeUnnamed: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unnamed", shouldDisplay: false)

    @Argument(parsing: .allUnrecognized) var rest: [String] = []

    func run() throws {
        throw ValidationError(
            "merge expects what to merge first: `merge runs SHARD.sqlite… --into DB`, `merge sweep SHARD.sqlite… --into DB` or `merge power PART.json… --into FILE`")
    }
}

struct MergeRuns: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "Join the shards of one run (decoy run --shard K/N) into one run whose digest is the unsharded run's.",
        discussion: """
            Every shard must have the same config sha256, seed and N, each K from 1 to N must be \
            present once and finished, and each must hold what its run recorded (its rows are \
            re-digested against its stored digest before anything is written). The merged run is \
            written in chunked transactions: a kill leaves it interrupted and a second merge \
            completes it; merging the same shards again stores nothing. --status prints the shards \
            and what is missing, writing nothing, and exits 1 while the set is incomplete.
            """)

    @Argument(help: ArgumentHelp("Shard database files.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("The database to write the merged run into.", valueName: "db"))
    var into: String?

    @Flag(help: "Print the shards found and what is missing; write nothing.")
    var status = false

    @Flag(help: "No progress on standard error.")
    var quiet = false

    @OptionGroup var output: FormatOption

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("merge runs expects shard files, found none") }
        if let into { try OutputSink.refuseInput(into, option: "--into", inputs: files) }
        let set = try ShardSet(files: files)
        if status {
            var page = set.presentation
            if !set.resubmit.isEmpty { page.notes.append("resubmit them with `\(MissingShards.sbatch(set))`") }
            output.emit(page, fallback: .table)
            if !set.complete { throw ExitCode(1) }
            return
        }
        guard let into else { throw ValidationError("merge runs expects --into DB, the database to write the merged run into (or --status)") }
        let cancellation = Interruption.shared.install()
        do {
            try Merge.verify(set, cancellation: cancellation)
        } catch MergeError.incomplete(let set) {
            throw MissingShards(set: set)
        }
        let database = try Database(path: into, create: true)
        let progress = Progress(quiet: quiet)
        let total = set.members.values.map { $0.shard.end }.max() ?? 0
        let outcome = try Merge.copy(set, into: database, cancellation: cancellation) { done, contacts in
            progress.update("merged \(done)/\(total) postings, \(contacts) contacts")
        }
        progress.finish()
        output.emit(outcome.presentation, fallback: .table)
    }
}

struct MergeSweep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Join the shard files of one sweep (decoy sweep --shard K/N): every point's run, with the unsharded sweep's digests.",
        discussion: """
            The files must hold every point of the grid the sweep recorded, of that one sweep, each \
            finished once and intact; otherwise nothing is written and the missing points are listed \
            by their place in the grid. --status lists every point and the file holding it, writing \
            nothing, and exits 1 while a point is missing or unfinished.
            """)

    @Argument(help: ArgumentHelp("Shard database files of the sweep.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("The database to write the points' runs into.", valueName: "db"))
    var into: String?

    @Flag(help: "Print the points found and what is missing; write nothing.")
    var status = false

    @OptionGroup var output: FormatOption

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("merge sweep expects shard files, found none") }
        if let into { try OutputSink.refuseInput(into, option: "--into", inputs: files) }
        let set = try SweepShardSet(files: files)
        if status {
            output.emit(set.presentation, fallback: .table)
            if !set.complete { throw ExitCode(1) }
            return
        }
        guard let into else { throw ValidationError("merge sweep expects --into DB, the database to write the points' runs into (or --status)") }
        let cancellation = Interruption.shared.install()
        let points = try Merge.verify(set, cancellation: cancellation)
        let database = try Database(path: into, create: true)
        try database.recordSweep(set.sweep, grid: set.grid)
        for point in points {
            output.emit(try Merge.copy(point, into: database, cancellation: cancellation, progress: nil).presentation, fallback: .table)
        }
    }
}

struct MergePower: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "power",
        abstract: "Join the parts of a sharded power analysis (decoy power --shard K/N --out part.json) into the unsharded JSON.",
        discussion: """
            Every part is read field by field and checked against its digest before anything is \
            added; parts 1 to N of one analysis must each be given once. The result is the JSON the \
            unsharded `decoy power … --format json` prints, byte for byte.
            """)

    @Argument(help: ArgumentHelp("Part files.", valueName: "part"))
    var files: [String]

    @Option(help: ArgumentHelp("The file to write the merged analysis into (default: standard output).", valueName: "file"))
    var into: String?

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("merge power expects part files, found none") }
        if let into { try OutputSink.refuseInput(into, option: "--into", inputs: files) }
        let analysis = try PowerPart.merge(files)
        let sink = try OutputSink(path: into, database: nil)
        try sink.write(Renderer.render(analysis.presentation, as: .json))
        try sink.close()
    }
}

/// Shards missing from a merge, with the Slurm line that runs them again.
struct MissingShards: DecoyFailure {
    var set: ShardSet
    var exitStatus: ExitStatus { MergeError.incomplete(set).exitStatus }
    var description: String {
        "the shards are incomplete: \(set.problems); nothing was merged; resubmit them with `\(Self.sbatch(set))`"
    }

    /// The line that submits the missing and unfinished shards again.
    static func sbatch(_ set: ShardSet) -> String {
        "sbatch --array=\(set.resubmit.map(String.init).joined(separator: ",")) experiments/slurm/shard-array.sbatch"
    }
}
