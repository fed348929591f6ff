import ArgumentParser
import DecoyOutput
import DecoyModel
import DecoyStore
import DecoyWorkflows

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
        let totals = try db.armTotals(run: record.id)
        let arms = try db.arms(run: record.id).map { arm in
            let total = totals.first { $0.arm == arm.id }
            return RunProvenance.ArmTotal(name: arm.name, postings: total?.postings ?? 0, contacts: total?.contacts ?? 0,
                                          removed: total?.removed ?? 0, population: arm.population)
        }
        let observed = try ObservedDesign(record, database: db)
        output.emit(RunProvenance(run: record, arms: arms, observed: observed, showConfigText: config).presentation.from(Origin(database: db.path, records: [record])), fallback: .table)
    }
}
