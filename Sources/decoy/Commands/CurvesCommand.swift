import ArgumentParser
import DecoyKit
import DecoyStore
import DecoyModel
import DecoyStatistics

struct Curves: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Response curves of a run (SPEC §6): mcf, rate, ttfc, unique, expected.",
        discussion: """
            mcf: mean cumulative contacts per posting (Nelson–Aalen for recurrent events), robust \
            Lawless–Nadeau standard error, log interval by default. rate: contacts per posting-hour \
            in each grid bin, exact Poisson (Garwood) interval. unique: mcf of each contactor's first \
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

    @Option(help: "Interval scale: log, plain or log-log (default: log for mcf and unique, log-log for ttfc; rate is exact).")
    var interval: String?

    @Option(help: "Write CSV to this file instead of standard output.")
    var out: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func request() throws -> CurveRequest {
        var metrics: [CurveMetric] = []
        for name in metric.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let parsed = CurveMetric(rawValue: name) else {
                throw ValidationError("--metric: unknown metric `\(name)`; expected mcf, rate, ttfc, unique or expected")
            }
            if !metrics.contains(parsed) { metrics.append(parsed) }
        }
        guard !metrics.isEmpty else { throw ValidationError("--metric: expected at least one of mcf, rate, ttfc, unique, expected") }
        func duration(_ text: String?, _ flag: String) throws -> Double? {
            guard let text else { return nil }
            guard let hours = Units.hours(fromDuration: text), hours > 0 else {
                throw ValidationError("\(flag) expects a duration > 0 such as `1h` or `30m`, found `\(text)`")
            }
            return hours
        }
        guard let grouping = CurveGrouping(rawValue: by) else {
            throw ValidationError("--by expects arm or replicate, found `\(by)`")
        }
        try ConfidenceLevel.check(confidence)
        var kind: SurvivalInterval?
        if let interval {
            guard let parsed = SurvivalInterval(rawValue: interval) else {
                throw ValidationError("--interval expects log, plain or log-log, found `\(interval)`")
            }
            kind = parsed
        }
        return CurveRequest(metrics: metrics, grid: try duration(grid, "--grid"), until: try duration(until, "--until"),
                            grouping: grouping, confidence: confidence, interval: kind)
    }

    func run() throws {
        let request = try request()
        Interruption.shared.install()
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let rows: [CurveRow]
        do {
            rows = try CurveBuilder.curves(of: record, in: db, request: request)
        } catch let error as CurveError {
            throw CLIError(message: error.message)
        }
        let format = out != nil ? (output.format ?? .csv) : output.resolved(fallback: .csv)
        let sink = try OutputSink(path: out, database: db.path)
        switch format {
        case .csv:
            try sink.line(CSV.row(CurveRow.columns))
            for row in rows { try sink.line(CurvesPrinter.csvLine(row)) }
        case .json:
            try sink.line(JSONValue.array(rows.map(CurvesPrinter.json)).pretty)
        case .table:
            try sink.line(CurvesPrinter.table(rows))
        }
        try sink.close()
    }
}

enum CurvesPrinter {
    static func fields(_ row: CurveRow) -> [String] {
        [String(row.runID), row.arm, row.replicate.map(String.init) ?? "", row.metric.rawValue, CSV.number(row.point.t),
         CSV.number(row.point.estimate), CSV.number(row.point.lower), CSV.number(row.point.upper),
         CSV.number(row.point.atRisk), String(row.point.events)]
    }

    static func csvLine(_ row: CurveRow) -> String { CSV.row(fields(row)) }

    static func json(_ row: CurveRow) -> JSONValue {
        .object([
            ("run_id", .integer(row.runID)), ("arm", .string(row.arm)),
            ("replicate", row.replicate.map { .integer(Int64($0)) } ?? .null), ("metric", .string(row.metric.rawValue)),
            ("t_hours", .number(row.point.t)), ("estimate", .finite(row.point.estimate)), ("lower", .finite(row.point.lower)),
            ("upper", .finite(row.point.upper)), ("at_risk", .number(row.point.atRisk)), ("events", .integer(Int64(row.point.events))),
        ])
    }

    /// Rounded for reading; CSV and JSON keep full precision.
    static func table(_ rows: [CurveRow]) -> String {
        func short(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "-" }
            return String(format: value >= 100 ? "%.1f" : "%.3f", value)
        }
        return TextTable.render(
            header: ["arm", "rep", "metric", "t_hours", "estimate", "lower", "upper", "at_risk", "events"],
            rows: rows.map { row in
                [row.arm, row.replicate.map(String.init) ?? "all", row.metric.rawValue, CSV.number(row.point.t),
                 short(row.point.estimate), short(row.point.lower), short(row.point.upper),
                 row.metric == .rate ? short(row.point.atRisk) : CSV.number(row.point.atRisk), String(row.point.events)]
            },
            rightAligned: [3, 4, 5, 6, 7, 8])
    }
}

import Foundation
