import ArgumentParser
import DecoyOutput
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
        output.emit(RunList(runs: runs, database: database.path).presentation, fallback: .csv)
    }
}
