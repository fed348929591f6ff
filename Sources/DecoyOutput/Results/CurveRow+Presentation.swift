public import DecoyAnalysis
import DecoyStatistics

extension CurveRow {
    /// The curve columns of docs/outputs.md: the ten of the contract, then `at_risk_postings` and
    /// `exposure_hours`, which split
    /// `at_risk` into its two meanings (postings at risk for every metric; posting-hours for
    /// `rate`, where `at_risk` holds them). They come after the ten so that a reader by
    /// position finds those where they always were.
    public static let columns = ["run_id", "arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "at_risk", "events",
                                 "at_risk_postings", "exposure_hours"]

    /// The row's values in ``columns`` order; table text rounds estimates and says `all` for pooled replicates.
    var values: [Value] {
        [.integer(runID), .text(arm), replicate.map { .int($0) } ?? .shown("all", as: .missing), .text(metric.rawValue),
         .number(point.t), .number(point.estimate, .curve), .number(point.lower, .curve), .number(point.upper, .curve),
         .number(point.atRisk, metric == .rate ? .curve : .exact), .int(point.events),
         .optionalInt(postingsAtRisk), exposureHours.map { .number($0, .curve) } ?? .missing]
    }
}

/// `curves`: one row per group, metric and grid time.
public struct CurveTable: Sendable {
    public var rows: [CurveRow]

    public init(_ rows: [CurveRow]) { self.rows = rows }

    public var presentation: Presentation {
        let titles = ["run_id": "run", "replicate": "rep", "at_risk_postings": "postings", "exposure_hours": "posting_hours"]
        let right: Set<String> = ["t_hours", "estimate", "lower", "upper", "at_risk", "events", "at_risk_postings", "exposure_hours"]
        // For people, the two columns of one meaning each stand in for `at_risk`.
        let hidden: Set<String> = ["run_id", "at_risk"]
        return Presentation(shape: .rows, tables: [Table(
            key: "curves",
            columns: CurveRow.columns.map { Column($0, title: titles[$0], rightAligned: right.contains($0), shownInTable: !hidden.contains($0)) },
            rows: rows.map(\.values))])
    }
}
