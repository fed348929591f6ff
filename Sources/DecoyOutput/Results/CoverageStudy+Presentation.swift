import DecoyStatistics
public import DecoyStudies

extension CoverageStudy {
    /// `coverage`: one row per arm (or compared pair), metric and postings per arm.
    public var presentation: Presentation {
        let level = CSV.number(confidence * 100)
        return Presentation(
            shape: .rows,
            tables: [
                Table(
                    key: "coverage",
                    title: "\(name): coverage of the \(level)% intervals (--intervals \(method.rawValue)), \(replicates) replicates",
                    columns: [
                        Column("arm"), Column("metric"), Column("postings", rightAligned: true), Column("checked", rightAligned: true),
                        Column("covered", rightAligned: true), Column("coverage", rightAligned: true), Column("standard_error", title: "± se", rightAligned: true),
                    ],
                    rows: cells.map { cell in
                        [.text(cell.arm), .text(cell.metric), .integer(Int64(cell.postings)), .integer(Int64(cell.checked)),
                         .integer(Int64(cell.covered)), .number(cell.coverage, .fixed(4)), .number(cell.standardError, .fixed(4))]
                    }),
            ],
            notes: ["intervals are checked against the model's exact values given each replicate's windows; mcf at \(CoverageStudy.checkpoints.map { CSV.number($0) }.joined(separator: ", ")) of the horizon, rate bins starting at \(CoverageStudy.rateCheckpoints.map { CSV.number($0) }.joined(separator: ", ")) of it, ttfc where the model's probability of no contact is \(CoverageStudy.survivalCheckpoints.map { CSV.number($0) }.joined(separator: ", "))"])
    }
}
