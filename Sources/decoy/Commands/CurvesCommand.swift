import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyWorkflows
import DecoyStore
import DecoyModel
import DecoyStatistics
import Foundation

struct Curves: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Response curves of a run: mcf, rate, ttfc, unique, expected (defined in docs/statistics.md).",
        discussion: """
            mcf: mean cumulative contacts per posting (Nelson–Aalen for recurrent events), robust \
            Lawless–Nadeau standard error (× n/(n−1), t quantile with n−1 df unless --intervals \
            classic), log interval by default. rate: contacts per posting-hour in each grid bin, \
            cluster-robust log interval widened to contain the exact Poisson (Garwood) one, or Garwood's \
            alone where fewer than 3 postings are exposed in the bin (Garwood's under --intervals classic). unique: mcf of each contactor's first \
            contact with each posting. ttfc: Kaplan–Meier probability of no contact yet, Greenwood \
            variance, log-log interval by default. expected: the model's mean of mcf given the observation windows \
            (simulated runs). Without --metric: mcf and rate only; ttfc, unique and expected are computed when \
            named (--metric mcf,rate,ttfc), and a note on standard error says so. CSV columns: \
            run_id,arm,replicate,metric,t_hours,estimate,lower,upper,at_risk,events,at_risk_postings,exposure_hours. \
            replicate is empty for curves pooled over replicates (the default --by arm), so a reader that guesses \
            types sees a column with no value: read it as an integer (analysis/read_decoy.R and read_decoy.py do). \
            at_risk_postings: postings at risk at t_hours (for rate, at the bin's start; for ttfc, those not yet \
            contacted). exposure_hours: posting-hours at risk in the bin, rate only (empty for other metrics). \
            at_risk, as SPEC §5 has it, is at_risk_postings for every metric but rate, where it is exposure_hours. \
            events: contacts up to t_hours (rate: in the bin; ttfc: first contacts).
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: ArgumentHelp("Comma-separated metrics: mcf, rate, ttfc, unique, expected (default: mcf,rate; the others only when named).",
                               valueName: "metrics"))
    var metric: String?

    /// The metrics when `--metric` is not given.
    static let defaultMetrics = "mcf,rate"

    @Option(help: ArgumentHelp("Grid step, a duration (default: the config's grid).", valueName: "duration"))
    var grid: String?

    @Option(help: ArgumentHelp("Last grid time, a duration (default: the horizon).", valueName: "duration"))
    var until: String?

    @Option(help: "Pool postings by arm (replicates pooled) or by replicate.")
    var by = "arm"

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @Option(help: "Interval scale: log, plain or log-log (default: log for mcf and unique, log-log for ttfc; rate takes none).")
    var interval: String?

    @Option(help: "Write CSV to this file instead of standard output.")
    var out: String?

    @OptionGroup var intervalsOption: IntervalsOption
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func request() throws -> CurveRequest {
        var metrics: [CurveMetric] = []
        for name in (metric ?? Self.defaultMetrics).split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let parsed = CurveMetric(rawValue: name) else {
                throw ValidationError("--metric: unknown metric (\(TypedValue.described(name))); expected mcf, rate, ttfc, unique or expected")
            }
            if !metrics.contains(parsed) { metrics.append(parsed) }
        }
        guard !metrics.isEmpty else { throw ValidationError("--metric: expected at least one of mcf, rate, ttfc, unique, expected") }
        func duration(_ text: String?, _ flag: String) throws -> Double? { try text.map { try DurationOption.hours($0, flag: flag) } }
        guard let grouping = CurveGrouping(rawValue: by) else {
            throw ValidationError("--by expects arm or replicate, found \(TypedValue.described(by))")
        }
        try ConfidenceLevel.check(confidence)
        var kind: SurvivalInterval?
        if let interval {
            guard let parsed = SurvivalInterval(rawValue: interval) else {
                throw ValidationError("--interval expects log, plain or log-log, found \(TypedValue.described(interval))")
            }
            kind = parsed
        }
        return CurveRequest(metrics: metrics, grid: try duration(grid, "--grid"), until: try duration(until, "--until"),
                            grouping: grouping, confidence: confidence, interval: kind, intervals: intervalsOption.intervals)
    }

    func run() throws {
        let request = try request()
        Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        warnIfIncomplete(record)
        let rows = try CurveBuilder.curves(of: try StoredRun(record, in: db, model: request.metrics.contains(.expected)), request: request)
        let format = out != nil ? (output.format ?? .csv) : output.resolved(fallback: .csv)
        let sink = try OutputSink(path: out, database: db.path)
        try sink.write(Renderer.render(CurveTable(rows).presentation.from(Origin(database: db.path, records: [record])), as: format))
        try sink.close()
        if metric == nil {
            Console.note("note: curves of mcf and rate, the default; ttfc, unique and expected only on request, such as --metric mcf,rate,ttfc")
        }
    }
}
