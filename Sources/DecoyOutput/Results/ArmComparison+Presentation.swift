public import DecoyAnalysis
import DecoyStatistics

extension ArmComparison {
    /// `compare`: the comparison's quantities, each arm's summary, and for people the same as sentences.
    public var presentation: Presentation {
        let confidence = settings.confidence, method = settings.intervals
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .significant(4))) }
        let level = "\(CSV.number(confidence * 100))%"
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        // The half-width shown beside each arm's mean count: its own interval's quantile.
        func quantile(_ arm: Arm) -> Double {
            method == .classic || arm.postings < 2 ? z : SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: Double(arm.postings - 1))
        }
        let (a, b) = (first, second)
        let r = rateRatio
        var notes: [String] = []
        if horizonsDiffer {
            notes.append("compared over the first \(f(horizon)) h after posting, the shorter of the two horizons (\(a.name): \(f(a.runHorizon)) h, \(b.name): \(f(b.runHorizon)) h)")
        }
        notes.append("rate ratio \(a.name)/\(b.name): \(f(r.ratio)) (\(f(r.lower)) – \(f(r.upper))), p = \(f(r.p))  [\(method == .classic ? "cluster-robust" : "cluster-robust CR1, t on \(f(r.degreesOfFreedom)) df"), per posting, \(level) interval]")
        let exact = exactPoisson
        notes.append("exact conditional Poisson test of equal rates: p = \(f(exact?.p)), rate ratio \(level) interval \(f(exact?.lower)) – \(exact.map { $0.upper.map(f) ?? "∞" } ?? "-")  [every contact independent: ignores overdispersion]")
        let logRank = logRank.test
        let mcf = mcfDifference.difference
        notes.append("log-rank on first contact: χ² = \(f(logRank?.chiSquare)), p = \(f(logRank?.p))")
        notes.append("mean contacts per posting at \(f(mcfDifference.at)) h, difference: \(f(mcf?.difference)) (\(f(mcf?.lower)) – \(f(mcf?.upper)))")
        let quantityRows: [[Value]] = [
            [.text("rate_ratio"), .number(r.ratio), .number(r.lower), .number(r.upper), .number(r.p)],
            [.text("exact_poisson"), .number(exactPoisson?.ratio), .number(exactPoisson?.lower), .number(exactPoisson?.upper), .number(exactPoisson?.p)],
            [.text("logrank_chi2"), .number(logRank?.chiSquare), .missing, .missing, .number(logRank?.p)],
            [.text("mcf_difference"), .number(mcf?.difference), .number(mcf?.lower), .number(mcf?.upper), .number(mcf?.p)],
        ] + [a, b].flatMap { arm -> [[Value]] in
            [[.text("median_ttfc_hours:\(arm.name)"), .number(arm.medianTTFC.value), .number(arm.medianTTFC.lower), .number(arm.medianTTFC.upper), .missing],
             [.text("rate:\(arm.name)"), .number(arm.rate), .missing, .missing, .missing]]
        }
        let sig: NumberStyle = .significant(4)
        return Presentation(
            fields: [
                Field("rate_ratio", .number(r.ratio), shownInTable: false), Field("rate_ratio_lower", .number(r.lower), shownInTable: false),
                Field("rate_ratio_upper", .number(r.upper), shownInTable: false), Field("rate_ratio_p", .number(r.p), shownInTable: false),
                Field("exact_poisson_p", .number(exactPoisson?.p), shownInTable: false),
                Field("exact_rate_ratio_lower", .number(exactPoisson?.lower), shownInTable: false),
                Field("exact_rate_ratio_upper", .number(exactPoisson?.upper), shownInTable: false),
                Field("logrank_chi2", .number(logRank?.chiSquare), shownInTable: false), Field("logrank_p", .number(logRank?.p), shownInTable: false),
                Field("mcf_difference", .number(mcf?.difference), shownInTable: false),
                Field("mcf_difference_lower", .number(mcf?.lower), shownInTable: false),
                Field("mcf_difference_upper", .number(mcf?.upper), shownInTable: false),
                Field("mcf_difference_p", .number(mcf?.p), shownInTable: false),
                Field("horizon_hours", .number(horizon), shownInTable: false),
            ],
            tables: [
                Table(columns: [Column("quantity"), Column("estimate"), Column("lower"), Column("upper"), Column("p")],
                      rows: quantityRows, shownInTable: false),
                Table(
                    key: "arms",
                    columns: [
                        Column("name", title: "arm"), Column("postings", rightAligned: true), Column("contacts", rightAligned: true),
                        Column("posting_hours", title: "posting-hours", rightAligned: true), Column("rate", title: "rate/h", rightAligned: true),
                        Column("median_ttfc_hours", title: "median ttfc h", rightAligned: true), .data("median_ttfc_lower"), .data("median_ttfc_upper"),
                        .forPeople("\(level) interval"), .data("mcf_at_horizon"), .data("mcf_standard_error"), .data("run_horizon_hours"),
                        .forPeople("mcf at \(f(horizon)) h ± \(level)"),
                    ],
                    rows: [a, b].map { arm in
                        [.text(arm.name), .int(arm.postings), .int(arm.contacts), .number(arm.postingHours, sig), .number(arm.rate, sig),
                         .number(arm.medianTTFC.value, sig), .number(arm.medianTTFC.lower), .number(arm.medianTTFC.upper),
                         .text("\(f(arm.medianTTFC.lower)) – \(f(arm.medianTTFC.upper))"), .number(arm.mcf?.estimate), .number(arm.mcf?.standardError),
                         .number(arm.runHorizon), .text(arm.mcf.map { "\(f($0.estimate)) ± \(f($0.standardError.map { quantile(arm) * $0 }))" } ?? "-")]
                    },
                    csv: false),
            ],
            notes: notes)
    }
}
