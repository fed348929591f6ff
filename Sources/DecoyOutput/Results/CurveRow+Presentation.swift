public import DecoyAnalysis
import DecoyStatistics

extension CurveRow {
    /// The curve columns of docs/outputs.md.
    public static let columns = ["run_id", "arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "at_risk", "events"]

    /// The row's values in ``columns`` order; table text rounds estimates and says `all` for pooled replicates.
    var values: [Value] {
        [.integer(runID), .text(arm), replicate.map { .int($0) } ?? .shown("all", as: .missing), .text(metric.rawValue),
         .number(point.t), .number(point.estimate, .curve), .number(point.lower, .curve), .number(point.upper, .curve),
         .number(point.atRisk, metric == .rate ? .curve : .exact), .int(point.events)]
    }
}

/// `curves`: one row per group, metric and grid time.
public struct CurveTable: Sendable {
    public var rows: [CurveRow]

    public init(_ rows: [CurveRow]) { self.rows = rows }

    public var presentation: Presentation {
        let titles = ["run_id": "run", "replicate": "rep"]
        let right: Set<String> = ["t_hours", "estimate", "lower", "upper", "at_risk", "events"]
        return Presentation(shape: .rows, tables: [Table(
            key: "curves",
            columns: CurveRow.columns.map { Column($0, title: titles[$0], rightAligned: right.contains($0), shownInTable: $0 != "run_id") },
            rows: rows.map(\.values))])
    }
}
