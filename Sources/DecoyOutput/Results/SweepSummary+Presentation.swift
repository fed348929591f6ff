public import DecoyWorkflows

/// `sweep`: what happened to every point of a sweep.
public struct SweepSummary: Sendable {
    public var sweep: String
    public var outcomes: [SweepPointOutcome]
    public var database: String

    public init(sweep: String, outcomes: [SweepPointOutcome], database: String) {
        self.sweep = sweep
        self.outcomes = outcomes
        self.database = database
    }

    public var presentation: Presentation {
        func values(_ o: SweepPointOutcome) -> [Value] {
            [.text(o.point), .text(o.state.rawValue), .optionalInt64(o.runID), .optionalInt(o.contacts),
             o.digest.map { .shown(String($0.prefix(12)), as: .text($0)) } ?? .missing, .optionalText(o.message)]
        }
        let columns = [Column("point"), Column("state"), Column("run_id", title: "run", rightAligned: true),
                       Column("contacts", rightAligned: true), Column("digest"), Column("message")]
        return Presentation(
            title: "sweep \(sweep) in \(database)",
            fields: [Field("sweep", .text(sweep), shownInTable: false)],
            tables: [
                Table(key: "points", columns: columns, rows: outcomes.map(values), csv: false),
                Table(columns: [Column("sweep")] + columns, rows: outcomes.map { [.text(sweep)] + values($0) }, shownInTable: false),
            ])
    }
}
