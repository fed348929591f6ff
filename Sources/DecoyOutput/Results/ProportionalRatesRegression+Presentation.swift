public import DecoyAnalysis
import DecoyModel
import DecoyStatistics

extension ProportionalRatesRegression {
    /// `regress`: one row per coefficient (the CSV), one test per term, and the counts; for people
    /// the model and its inference in a line.
    public var presentation: Presentation {
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .significant(4))) }
        let level = "\(CSV.number(confidence * 100))%"
        let inference = intervals == .classic
            ? "robust (Lin–Wei–Yang–Ying) standard errors, normal quantiles, χ² tests of terms"
            : "jackknife over postings, t on \(f(degreesOfFreedom)) df, Hotelling F tests of terms"
        var notes = [
            "proportional rates since going live: \(postings) postings, \(contacts) contacts, \(strata) \(strata == 1 ? "stratum" : "strata"); \(inference); \(ties.rawValue) ties; \(level) intervals",
        ]
        if !references.isEmpty {
            notes.append("reference levels: " + references.map { "\($0.covariate) = \($0.level)" }.joined(separator: ", "))
        }
        if let r = randomization {
            let how = r.test.draws.map { "\($0) seeded draws, Monte Carlo error ± \(f(r.test.monteCarloError))" }
                ?? "all \(r.test.assignments < 1e15 ? String(Int64(r.test.assignments)) : f(r.test.assignments)) assignments"
            notes.append("randomization test of \(r.term): \(ForPeople.p(r.test.p))  [\(how); levels re-assigned within strata and the other label terms' levels; sharp null: \(r.term) changes nothing, removal included]")
        }
        let coefficientRows: [[Value]] = coefficients.map { c in
            [.text(c.term), .optionalText(c.level), .number(c.coefficient, .significant(4)), .number(c.ratio.value, .significant(4)),
             .number(c.ratio.lower, .significant(4)), .number(c.ratio.upper, .significant(4)), .number(c.standardError, .significant(4)),
             .shown(ForPeople.pValue(c.p), as: .number(c.p))]
        }
        let testRows: [[Value]] = tests.map { t in
            let test = t.test
            let reference = test.denominatorDegreesOfFreedom.map { "F(\(test.dimension), \(CSV.number($0)))" } ?? "chi-square(\(test.dimension))"
            return [.text(t.term), .int(test.dimension), .number(test.statistic, .significant(4)), .number(test.fStatistic, .significant(4)),
                    .text(reference), .number(test.denominatorDegreesOfFreedom), .shown(ForPeople.pValue(test.p), as: .number(test.p))]
        }
        return Presentation(
            title: "proportional-rates regression",
            fields: [
                Field("postings", .int(postings), shownInTable: false), Field("contacts", .int(contacts), shownInTable: false),
                Field("strata", .int(strata), shownInTable: false), Field("ties", .text(ties.rawValue), shownInTable: false),
                Field("intervals", .text(intervals.rawValue), shownInTable: false), Field("confidence", .number(confidence), shownInTable: false),
                Field("degrees_of_freedom", .number(degreesOfFreedom), shownInTable: false),
                Field("iterations", .int(iterations), shownInTable: false),
                Field("randomization_term", .optionalText(randomization?.term), shownInTable: false),
                Field("randomization_p", .number(randomization?.test.p), shownInTable: false),
                Field("randomization_assignments", .number(randomization?.test.assignments), shownInTable: false),
                Field("randomization_draws", .optionalInt(randomization?.test.draws), shownInTable: false),
                Field("randomization_monte_carlo_error", .number(randomization?.test.monteCarloError), shownInTable: false),
            ],
            tables: [
                Table(key: "coefficients", columns: [
                    Column("term"), Column("level"), Column("coef", rightAligned: true), Column("ratio", rightAligned: true),
                    Column("lower", rightAligned: true), Column("upper", rightAligned: true), Column("se", rightAligned: true),
                    Column("p", rightAligned: true),
                ], rows: coefficientRows),
                Table(key: "tests", title: "joint Wald test of each term", columns: [
                    Column("term"), Column("df", rightAligned: true), Column("wald", rightAligned: true), Column("f", rightAligned: true),
                    Column("reference"), Column.data("denominator_df"), Column("p", rightAligned: true),
                ], rows: testRows, csv: false),
            ],
            notes: notes)
    }
}
