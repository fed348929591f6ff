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
        let set = try ShardSet(files: files)
        if status {
            output.emit(set.presentation, fallback: .table)
            if !set.complete { throw ExitCode(1) }
            return
        }
        guard let into else { throw ValidationError("merge expects --into DB, the database to write the merged run into (or --status)") }
        Interruption.shared.install()
        let database = try Database(path: into, create: true)
        let progress = Progress(quiet: quiet)
        let total = set.members.values.map { $0.shard.end }.max() ?? 0
        let outcome = try Merge.merge(set, into: database) { done, contacts in
            progress.update("merged \(done)/\(total) postings, \(contacts) contacts")
        }
        progress.finish()
        output.emit(outcome.presentation, fallback: .table)
    }
}
