import DecoyModel
import ArgumentParser
import DecoyOutput
import DecoyWorkflows
import DecoyStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a run's events, postings or counting-process intervals as CSV (columns in docs/outputs.md).",
        discussion: """
            events: run_id,replicate,arm,posting,seq,t_seconds,at,channel,contactor,t_hours,at_local
            postings: run_id,replicate,arm,posting,posted_at,observed_hours,removed,contacts,first_contact_hours,unique_contactors,posted_at_local,attr_<name>…
            intervals: posting,name,replicate,arm,<covariates>…,start,stop,event — one row per interval between contacts, hours since going live, as R's coxph(Surv(start, stop, event) ~ …) reads

            Instants (at, posted_at) are UTC with microseconds and a Z; at_local and posted_at_local are the same \
            instants in the UTC offset of the config's start. t_hours is hours since the posting went live. R's \
            as.POSIXct reads neither form without a format (it keeps the date and drops the time): \
            analysis/read_decoy.R and analysis/read_decoy.py read every column with its type.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The table: events, postings or intervals.")
    var table: String

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var database: DatabaseOption

    func run() throws {
        Interruption.shared.install()
        guard let which = Exporter.Table(rawValue: table) else {
            throw ValidationError("--table expects events, postings or intervals, found \(TypedValue.described(table))")
        }
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let sink = try OutputSink(path: out, database: db.path)
        switch which {
        case .events: try Exporter.writeEvents(of: record, in: db, to: sink)
        case .postings: try Exporter.writePostings(of: record, in: db, to: sink)
        case .intervals:
            let zeroLength = try Exporter.writeIntervals(of: try StoredRun(record, in: db), to: sink)
            if zeroLength > 0 {
                Console.note("warning: \(zeroLength) rows have zero length (contacts of one posting at one instant, or at going live): R's coxph drops them with a warning, while regress counts them")
            }
        }
        try sink.close()
    }
}
