import DecoyAnalysis
import DecoyModel
import DecoyStatistics
public import DecoyStudies

extension PowerAnalysis {
    /// `power`: one row per candidate n, the smallest n found, and the provenance of the numbers.
    public var presentation: Presentation {
        let s = settings
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .fixed(3))) }
        func warnings(_ p: Point) -> [String] {
            p.problems(alpha: s.alpha, nullSimulated: nullSimulated).map { problem in
                switch problem {
                case let .undefined(failed, sims): "undefined in \(failed) of \(sims) simulations"
                case let .undefinedUnderNull(failed, sims): "undefined in \(failed) of \(sims) null simulations"
                case .typeOneAboveAlpha: "type I error above alpha"
                }
            }
        }
        let rows: [[Value]] = points.map { p in
            let power = p.interval, null = p.typeOneInterval
            let pointWarnings = warnings(p)
            return [
                .int(p.postings), .int(p.postingsB), .int(p.sims), .int(p.rejections), .int(p.failed),
                .number(p.power, .fixed(3)), .number(power?.lower), .number(power?.upper), .text("\(f(power?.lower)) – \(f(power?.upper))"),
                .number(p.medianEffect, .significant(4)),
                .number(p.typeOneError, .fixed(3)), .number(null?.lower), .number(null?.upper), .text("\(f(null?.lower)) – \(f(null?.upper))"),
                nullSimulated ? .int(p.nullRejections) : .missing, nullSimulated ? .int(p.nullFailed) : .missing, .number(p.formulaPower, .fixed(3)),
                .text(pointWarnings.isEmpty ? "" : "no answer: " + pointWarnings.joined(separator: "; ")),
            ]
        }
        var notes: [String] = []
        let sig: (Double?) -> String = { Renderer.display(.number($0, .significant(4))) }
        let reason: String
        switch s.test {
        case .logrank: reason = "no first contact"
        case .randomization: reason = "no contact in either arm"
        case .mcfDifference: reason = "an arm with fewer than 3 postings, or no spread at the time compared"
        case .proportionalRates where s.method == .corrected: reason = "an arm without contacts, or whose contacts all come from one posting"
        default: reason = "an arm without contacts or without spread"
        }
        let failing = points.filter { $0.sims > 0 && Double($0.failed) > 0.01 * Double($0.sims) }
        if !failing.isEmpty {
            notes.append("warning: the test was undefined in more than 1% of the simulations at n = \(failing.map { String($0.postings) }.joined(separator: ", ")) (\(reason)); those are counted as failed and left out of the power")
        }
        let nullFailing = points.filter { $0.sims > 0 && Double($0.nullFailed) > 0.01 * Double($0.sims) }
        if !nullFailing.isEmpty, nullSimulated {
            notes.append("warning: under the null design the test was undefined in more than 1% of the simulations at n = \(nullFailing.map { String($0.postings) }.joined(separator: ", ")) (\(reason)); the type I error there counts only the others")
        }
        if let precision = s.precision {
            let short = points.filter { $0.interval.map { $0.halfWidth >= precision } ?? true }
            if !short.isEmpty {
                notes.append("warning: the half-width \(sig(precision)) asked for by --precision was not reached within --sims \(s.sims) at n = \(short.map { String($0.postings) }.joined(separator: ", "))")
            }
        }
        let liberal = points.filter { ($0.typeOneInterval?.lower ?? 0) > s.alpha }
        if !liberal.isEmpty {
            notes.append("warning: the type I error's interval lies above α = \(sig(s.alpha)) at n = \(liberal.map { String($0.postings) }.joined(separator: ", ")): the test rejects too often there when the arms do not differ, so its power there is not a power\(s.test.assumesConstantRate ? " (it assumes contacts arrive at a constant rate, and the exact test also that they are independent: use proportional-rates)" : s.test == .randomization ? " (it tests the sharp null, removal included: where the arms' removal differs, use proportional-rates)" : "")")
        }
        let target = sig(s.target)
        let none = smallestPostingsIgnoringProblems == nil ? "none evaluated" : "none among the points that are an answer"
        notes.append("smallest n with power ≥ \(target): \(smallestPostings.map(String.init) ?? none); with the interval's lower bound ≥ \(target): \(smallestPostingsLowerBound.map(String.init) ?? none)")
        if let n = smallestPostingsIgnoringProblems, n != smallestPostings, let point = points.first(where: { $0.postings == n }) {
            notes.append("warning: at n = \(n) the power reaches \(target) but is no answer (\(warnings(point).joined(separator: "; "))), so it is not the smallest n; counting undefined tests as non-rejections, the share of experiments that reject there is \(f(Double(point.rejections) / Double(max(1, point.sims))))")
        }
        if let regression = s.regression {
            notes.append("no closed form: the test is the joint Wald test of term \(regression.term) in the regression, as `decoy regress` computes it")
        } else if formulaApplies {
            notes.append("Zhu–Lakkis closed form (Poisson counts): smallest n \(formulaSmallestPostings.map(String.init) ?? "none up to \(PowerAnalysis.maximumPostings)")")
        } else {
            notes.append([.logrank, .mcfDifference, .randomization].contains(s.test)
                ? "no closed form: Zhu–Lakkis describes a test of the rate ratio, not this one"
                : "no closed form: counts are not Poisson here (self-excitation or removal)")
        }
        notes.append("median \(s.test.effectName): over the simulations where the estimate is finite (an arm without contacts gives none)")
        if let regression = s.regression {
            notes.append(nullSimulated
                ? "type I error: every arm given the response of its counterpart at the reference level of `\(regression.term)`, each keeping its removal and schedule; failed simulations are left out of every rate"
                : "type I error: not simulated: term \(regression.term) (an interaction or a per-posting value) has no null design made by exchanging the arms' responses")
        } else {
            notes.append("type I error: both arms given the response of `\(s.nullArm)`, each keeping its removal and schedule; failed simulations are left out of every rate")
        }
        if s.test == .randomization {
            notes.append("randomization: \(s.draws) re-assignments drawn in each simulated experiment (all of them where there are no more)")
        }
        return Presentation(
            title: s.regression.map { r in
                "power of the test of term \(r.term) in regress --terms \(r.model.terms.map(\.description).joined(separator: ","))\(r.model.strata.map { " --strata \($0)" } ?? "") at α = \(sig(s.alpha)), \(s.method.rawValue) intervals, n postings in each of the \(regressionArms.count) arms"
            } ?? "power of \(s.test.rawValue) for \(s.arms.0) against \(s.arms.1) at α = \(sig(s.alpha)), \(s.method.rawValue) intervals, second arm max(1, round(\(sig(s.ratio)) · n)) postings",
            fields: [
                Field("test", .text(s.regression == nil ? s.test.rawValue : "proportional-rates-regression"), shownInTable: false),
                Field("arms", .json(.array((s.regression == nil ? [s.arms.0, s.arms.1] : regressionArms).map { .string($0) })), shownInTable: false),
                Field("null_arm", s.regression == nil ? .text(s.nullArm) : .missing, shownInTable: false),
                Field("terms", .json(s.regression.map { .array($0.model.terms.map { .string($0.description) }) } ?? .null), shownInTable: false),
                Field("term", .optionalText(s.regression?.term.description), shownInTable: false),
                Field("strata", .optionalText(s.regression?.model.strata), shownInTable: false),
                Field("alpha", .number(s.alpha), shownInTable: false),
                Field("target", .number(s.target), shownInTable: false),
                Field("ratio", .number(s.ratio), shownInTable: false),
                Field("intervals", .text(s.method.rawValue), shownInTable: false),
                Field("draws", .int(s.draws), shownInTable: false),
                Field("effect", s.regression == nil ? .text(s.test.effectName) : .missing, shownInTable: false),
                Field("smallest_postings", .optionalInt(smallestPostings), shownInTable: false),
                Field("smallest_postings_lower_bound", .optionalInt(smallestPostingsLowerBound), shownInTable: false),
                Field("formula_smallest_postings", .optionalInt(formulaSmallestPostings), shownInTable: false),
                Field("config_sha256", .text(configSHA256), shownInTable: false),
                Field("seed", .text(String(seed)), shownInTable: false),
                Field("tool_version", .text(toolVersion), shownInTable: false),
                Field("warnings", .json(.array(notes.filter { $0.hasPrefix("warning: ") }.map { .string(String($0.dropFirst("warning: ".count))) })),
                      shownInTable: false),
            ],
            tables: [
                Table(
                    key: "points",
                    columns: [
                        Column("postings", title: "n", rightAligned: true), Column("postings_b", title: "n B", rightAligned: true),
                        Column("sims", rightAligned: true), Column("rejections", title: "rejected", rightAligned: true),
                        Column("failed", rightAligned: true), Column("power", rightAligned: true), .data("lower"), .data("upper"),
                        .forPeople("95% interval"), Column("median_effect", title: "median \(s.test.effectName)", rightAligned: true),
                        Column("type_one_error", title: "type I", rightAligned: true), .data("type_one_lower"), .data("type_one_upper"),
                        .forPeople("type I 95%"), .data("type_one_rejections"), Column("type_one_failed", title: "type I failed", rightAligned: true),
                        Column("formula_power", title: "formula", rightAligned: true),
                        Column("warnings", title: "note"),
                    ],
                    rows: rows),
            ],
            notes: notes)
    }
}
