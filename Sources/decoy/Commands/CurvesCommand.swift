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
        abstract: "Response curves of a run (SPEC §6): mcf, rate, ttfc, unique, expected.",
        discussion: """
            mcf: mean cumulative contacts per posting (Nelson–Aalen for recurrent events), robust \
            Lawless–Nadeau standard error (× n/(n−1), t quantile with n−1 df unless --intervals \
            classic), log interval by default. rate: contacts per posting-hour in each grid bin, \
            cluster-robust log interval widened to contain the exact Poisson (Garwood) one, or Garwood's \
            alone where fewer than 3 postings are exposed in the bin (Garwood's under --intervals classic). unique: mcf of each contactor's first \
            contact with each posting. ttfc: Kaplan–Meier probability of no contact yet, Greenwood \
            variance, log-log interval by default. expected: the model's mean of mcf given the observation windows \
            (simulated runs). CSV columns: \
            run_id,arm,replicate,metric,t_hours,estimate,lower,upper,at_risk,events.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "Comma-separated metrics: mcf, rate, ttfc, unique, expected.")
    var metric = "mcf,rate"

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
        for name in metric.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
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
        try sink.write(Renderer.render(CurveTable(rows).presentation, as: format))
        try sink.close()
    }
}
