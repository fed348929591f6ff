import ArgumentParser
import DecoyOutput
import DecoyStore
import DecoyWorkflows
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards of one run (decoy run --shard K/N) into one run whose digest is the unsharded run's.",
        discussion: """
            Every shard must have the same config sha256, seed and N, each K from 1 to N must be \
            present once and finished. The merged run is written in chunked transactions: a kill \
            leaves it interrupted and a second merge completes it; merging the same shards again \
            stores nothing. --status prints the shards and what is missing, writing nothing, and \
            exits 1 while the set is incomplete.
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
        guard !files.isEmpty else { throw ValidationError("merge expects shard files, found none") }
        if let into { try OutputSink.refuseInput(into, option: "--into", inputs: files) }
        // Parts of a sharded power analysis: the unsharded command's JSON.
        if files.allSatisfy({ $0.hasSuffix(".json") }) {
            guard !status else { throw ValidationError("--status reads shard databases; for power parts, merge them") }
            let analysis = try PowerPart.merge(files)
            let sink = try OutputSink(path: into, database: nil)
            try sink.write(Renderer.render(analysis.presentation, as: .json))
            try sink.close()
            return
        }
        // Shard files of a sweep hold whole runs of their grid points.
        let hasShardRuns = try files.contains { file in try Database(path: file, create: false).runs().contains { $0.shard != nil } }
        if !hasShardRuns {
            let set = try SweepShardSet(files: files)
            if status {
                output.emit(set.presentation, fallback: .table)
                if !set.complete { throw ExitCode(1) }
                return
            }
            guard let into else { throw ValidationError("a sweep's shard files are merged with --into DB (or --status)") }
            Interruption.shared.install()
            let points = try Merge.verify(set)
            let database = try Database(path: into, create: true)
            try database.recordSweep(set.sweep, grid: set.grid)
            for point in points { output.emit(try Merge.copy(point, into: database, progress: nil).presentation, fallback: .table) }
            return
        }
        let set = try ShardSet(files: files)
        if status {
            output.emit(set.presentation, fallback: .table)
            if !set.complete { throw ExitCode(1) }
            return
        }
        guard let into else { throw ValidationError("merge expects --into DB, the database to write the merged run into (or --status)") }
        Interruption.shared.install()
        try Merge.verify(set)
        let database = try Database(path: into, create: true)
        let progress = Progress(quiet: quiet)
        let total = set.members.values.map { $0.shard.end }.max() ?? 0
        let outcome = try Merge.copy(set, into: database) { done, contacts in
            progress.update("merged \(done)/\(total) postings, \(contacts) contacts")
        }
        progress.finish()
        output.emit(outcome.presentation, fallback: .table)
    }
}
