public import DecoyAnalysis
import DecoyModel
import DecoyStatistics

extension ArmComparison {
    /// The two lines that lead `compare`, the report's comparison and `quickstart`'s summary: the
    /// proportional-rates ratio and the randomization test, or why each is undefined.
    public var headline: [String] {
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .significant(4))) }
        func count(_ v: Double) -> String { v < 1e15 ? String(Int64(v)) : f(v) }
        let level = "\(CSV.number(settings.confidence * 100))%"
        let pair = "\(label(first))/\(label(second))"
        let pr = proportionalRates
        var lines: [String] = []
        let inference = settings.intervals == .classic ? "robust (Lin–Wei–Yang–Ying) standard error, normal quantiles"
            : "jackknife over postings, t on \(f(pr.degreesOfFreedom)) df"
        if let reason = pr.undefined {
            lines.append("proportional-rates ratio \(pair): undefined: \(reason)")
        } else {
            lines.append("proportional-rates ratio \(pair): \(ForPeople.estimate(pr.ratio.value, pr.ratio.lower, pr.ratio.upper)), \(ForPeople.p(pr.p))  [contact intensities at the same age since going live, removal as censoring; \(inference); \(settings.ties.rawValue) ties; \(level) interval]"
                + (pr.warning.map { "; warning: \($0)" } ?? ""))
        }
        if let reason = randomization.undefined {
            lines.append("randomization test of the arm: undefined: \(reason)")
        } else if let test = randomization.test {
            let how = test.draws.map { "\($0) seeded draws, Monte Carlo error ± \(f(test.monteCarloError))" } ?? "all \(count(test.assignments)) assignments"
            var line = "randomization test of the arm: \(ForPeople.p(test.p))  [\(how); sharp null: the arm changes nothing, removal included]"
            if randomization.windowsDiffer {
                line += "; the arms' windows differ, so a small p can come from removal alone: read the proportional-rates ratio"
            }
            lines.append(line)
        }
        return lines
    }

    /// `compare`: the comparison's quantities, each arm's summary, and for people the same as
    /// sentences, led by the proportional-rates ratio.
    public var presentation: Presentation {
        let confidence = settings.confidence, method = settings.intervals
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .significant(4))) }
        func count(_ v: Double) -> String { v < 1e15 ? String(Int64(v)) : f(v) }
        let level = "\(CSV.number(confidence * 100))%"
        let (a, b) = (first, second)
        let pair = "\(label(a))/\(label(b))"
        let pr = proportionalRates, mcf = mcfDifference.difference, logRankTest = logRank.test
        // An undefined test shows no estimate: its numbers are null, its line says why.
        var r = rateRatio
        if r.p == nil { (r.ratio, r.lower, r.upper) = (nil, nil, nil) }
        var notes: [String] = []
        if horizonsDiffer {
            notes.append("compared over the first \(ForPeople.duration(hours: horizon)) after posting, the shorter of the two horizons (\(label(a)): \(ForPeople.duration(hours: a.runHorizon)), \(label(b)): \(ForPeople.duration(hours: b.runHorizon)))")
        }
        notes.append("read first: the two lines below, the proportional-rates ratio and the randomization test of the arm; the lines after them each say what more they assume")
        notes += headline
        let random = randomization
        if let at = mcfDifference.at, mcfDifference.undefined == nil {
            let floors = mcfDifference.floor[0] == mcfDifference.floor[1] ? "\(mcfDifference.floor[0]) postings at risk in each arm"
                : "\(mcfDifference.floor[0]) and \(mcfDifference.floor[1]) postings at risk"
            let chosen = mcfDifference.requested ? "as asked" : "the latest time with at least \(floors)"
            var line = "mcf (mean contacts per ad so far) at \(ForPeople.duration(hours: at)) (\(chosen); \(mcfDifference.atRisk[0]) and \(mcfDifference.atRisk[1]) at risk), difference: \(ForPeople.estimate(mcf?.difference, mcf?.lower, mcf?.upper)), \(ForPeople.p(mcf?.p))"
            if let warning = mcfDifference.warning { line += "; warning: \(warning)" }
            notes.append(line)
        } else {
            notes.append("mcf (mean contacts per ad so far), difference: undefined: \(mcfDifference.undefined ?? "no time is supported")")
        }
        if let test = logRankTest {
            let how = method == .classic ? "χ² on 1 df"
                : logRank.permutation.map { "exact permutation p over \(count($0.assignments)) assignments" }
                ?? "normal approximation to the permutation distribution"
            notes.append("log-rank on first contact: χ² = \(f(test.chiSquare)), \(ForPeople.p(logRank.p))  [\(how)]")
        } else {
            notes.append("log-rank on first contact: undefined: \(logRank.undefined ?? "no first contact")")
        }
        var crude = r.p == nil ? "crude rate ratio \(pair), contacts per posting-hour: undefined: \(rateRatio.outcome.undefined ?? "undefined")"
            : "crude rate ratio \(pair), contacts per posting-hour: \(ForPeople.estimate(r.ratio, r.lower, r.upper)), \(ForPeople.p(r.p))  [assumes a constant rate or alike windows; \(method == .classic ? "cluster-robust HC0" : "cluster-robust CR1, t on \(f(r.degreesOfFreedom)) df")]"
        if let warning = caveats.rateRatioWarning { crude += "; warning: \(warning)" }
        notes.append(crude)
        let exact = exactPoisson
        var exactLine = "exact conditional Poisson test: \(ForPeople.p(exact?.p)), rate ratio \(level) interval \(ForPeople.limit(exact?.lower)) – \(exact.map { $0.upper.map { ForPeople.digits($0, 4) } ?? "∞" } ?? "-")  [assumes a constant rate and independent contacts]"
        if let warning = caveats.exactTestWarning { exactLine += "; warning: \(warning)" }
        notes.append(exactLine)

        let quantityRows: [[Value]] = [
            [.text("proportional_rates"), .number(pr.ratio.value), .number(pr.ratio.lower), .number(pr.ratio.upper), .number(pr.p)],
            [.text("randomization"), .number(random.statistic), .missing, .missing, .number(random.p)],
            [.text("mcf_difference"), .number(mcf?.difference), .number(mcf?.lower), .number(mcf?.upper), .number(mcf?.p)],
            [.text("logrank_chi2"), .number(logRankTest?.chiSquare), .missing, .missing, .number(logRank.p)],
            [.text("rate_ratio"), .number(r.ratio), .number(r.lower), .number(r.upper), .number(r.p)],
            [.text("exact_poisson"), .number(exactPoisson?.ratio), .number(exactPoisson?.lower), .number(exactPoisson?.upper), .number(exactPoisson?.p)],
        ] + [a, b].flatMap { arm -> [[Value]] in
            [[.text("median_ttfc_hours:\(label(arm))"), .number(arm.medianTTFC.value), .number(arm.medianTTFC.lower), .number(arm.medianTTFC.upper), .missing],
             [.text("rate:\(label(arm))"), .number(arm.rate), .missing, .missing, .missing]]
        }
        var undefined: [(String, JSONValue)] = []
        if let reason = pr.undefined { undefined.append(("proportional_rates", .string(reason))) }
        if let reason = random.undefined { undefined.append(("randomization", .string(reason))) }
        if let reason = mcfDifference.undefined { undefined.append(("mcf_difference", .string(reason))) }
        if let reason = logRank.undefined { undefined.append(("logrank", .string(reason))) }
        if r.p == nil { undefined.append(("rate_ratio", .string(rateRatio.outcome.undefined ?? "undefined"))) }
        if exactPoisson == nil { undefined.append(("exact_poisson", .string("an arm has no observation time"))) }
        var warnings: [JSONValue] = []
        if horizonsDiffer {
            warnings.append(.string("horizon: compared over the first \(f(horizon)) h after posting, the shorter of the two runs' horizons"))
        }
        if let warning = pr.warning { warnings.append(.string("proportional_rates: \(warning)")) }
        if let warning = caveats.rateRatioWarning { warnings.append(.string("rate_ratio: \(warning)")) }
        if let warning = caveats.exactTestWarning { warnings.append(.string("exact_poisson: \(warning)")) }
        if random.windowsDiffer, random.test != nil {
            warnings.append(.string("randomization: the arms' windows differ, so a small p can come from removal alone"))
        }
        if let warning = mcfDifference.warning { warnings.append(.string("mcf_difference: \(warning)")) }
        let sig: NumberStyle = .significant(4)
        func hidden(_ key: String, _ value: Value) -> Field { Field(key, value, shownInTable: false) }
        return Presentation(
            fields: [
                hidden("proportional_rates_ratio", .number(pr.ratio.value)), hidden("proportional_rates_lower", .number(pr.ratio.lower)),
                hidden("proportional_rates_upper", .number(pr.ratio.upper)), hidden("proportional_rates_p", .number(pr.p)),
                hidden("proportional_rates_log_se", .number(pr.logStandardError)),
                hidden("proportional_rates_df", .number(pr.degreesOfFreedom)),
                hidden("randomization_p", .number(random.p)), hidden("randomization_statistic", .number(random.statistic)),
                hidden("randomization_draws", .optionalInt(random.test?.draws)),
                hidden("randomization_assignments", .number(random.test?.assignments)),
                hidden("randomization_monte_carlo_error", .number(random.test?.monteCarloError)),
                hidden("rate_ratio", .number(r.ratio)), hidden("rate_ratio_lower", .number(r.lower)),
                hidden("rate_ratio_upper", .number(r.upper)), hidden("rate_ratio_p", .number(r.p)),
                hidden("exact_poisson_p", .number(exactPoisson?.p)),
                hidden("exact_rate_ratio_lower", .number(exactPoisson?.lower)),
                hidden("exact_rate_ratio_upper", .number(exactPoisson?.upper)),
                hidden("logrank_chi2", .number(logRankTest?.chiSquare)), hidden("logrank_p", .number(logRank.p)),
                hidden("mcf_difference", .number(mcf?.difference)), hidden("mcf_difference_lower", .number(mcf?.lower)),
                hidden("mcf_difference_upper", .number(mcf?.upper)), hidden("mcf_difference_p", .number(mcf?.p)),
                hidden("mcf_difference_at_hours", .number(mcfDifference.at)),
                hidden("horizon_hours", .number(horizon)),
                hidden("ties", .text(settings.ties.rawValue)), hidden("intervals", .text(method.rawValue)),
                hidden("undefined", .json(.object(undefined))), hidden("warnings", .json(.array(warnings))),
            ],
            tables: [
                Table(columns: [Column("quantity"), Column("estimate"), Column("lower"), Column("upper"), Column("p")],
                      rows: quantityRows, shownInTable: false),
                Table(
                    key: "arms",
                    columns: [
                        Column("name", title: "arm", shownInTable: false), .forPeople("arm"), .data("run_id"), Column("postings", rightAligned: true), Column("contacts", rightAligned: true),
                        Column("removed", rightAligned: true),
                        Column("posting_hours", title: "posting-hours", rightAligned: true), Column("rate", title: "rate/h", rightAligned: true),
                        Column("median_ttfc_hours", title: "median first contact", rightAligned: true), .data("median_ttfc_lower"), .data("median_ttfc_upper"),
                        .forPeople("\(level) interval"), .data("mcf_at_horizon"), .data("mcf_standard_error"),
                        .data("mcf_at_compared_time"), .data("mcf_compared_lower"), .data("mcf_compared_upper"), .data("run_horizon_hours"),
                        .forPeople(mcfDifference.at.map { "mcf at \(ForPeople.duration(hours: $0)) (\(level))" } ?? "mcf"),
                    ],
                    rows: [a, b].map { arm in
                        let median = ForPeople.median(arm.medianTTFC, postings: arm.postings)
                        return [.text(arm.name), .text(label(arm)), .integer(arm.run), .int(arm.postings), .int(arm.contacts), .int(arm.removed), .number(arm.postingHours, sig), .number(arm.rate, sig),
                         .shown(median.median, as: .number(arm.medianTTFC.value, sig)),
                         .number(arm.medianTTFC.lower), .number(arm.medianTTFC.upper),
                         .text(median.interval),
                         .number(arm.mcfAtHorizon?.estimate), .number(arm.mcfAtHorizon?.standardError),
                         .number(arm.mcf?.estimate), .number(arm.mcf?.lower), .number(arm.mcf?.upper), .number(arm.runHorizon),
                         .text(arm.mcf.map { ForPeople.estimate($0.estimate, $0.lower, $0.upper) } ?? "-")]
                    },
                    csv: false),
            ],
            notes: notes)
    }
}
