@testable import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import Foundation
import Testing

/// The regression's design (coding, covariates, identification) and its agreement with `compare`.
@Suite struct RegressionTests {
    static let hour: Int64 = 3_600_000_000

    /// A 2 × 2 design: arms a-x, a-y, b-x, b-y with attributes `section` (a, b) and `platform` (x, y),
    /// `perArm` postings each with a posting attribute `city` alternating paris/lyon, windows between
    /// 6 and 24 h, Poisson contacts of rate 1–3 an hour (a fixed generator).
    static func factorial(perArm: Int = 6, seed: UInt64 = 11, arms: [(String, String, String)]? = nil) -> RunValues {
        var state = seed
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1p-53
        }
        let design = arms ?? [("a-x", "a", "x"), ("a-y", "a", "y"), ("b-x", "b", "x"), ("b-y", "b", "y")]
        let armDescriptions = design.enumerated().map { i, arm in
            ArmDescription(id: i, name: arm.0, population: "p", populationSize: nil, attributes: ["section": arm.1, "platform": arm.2])
        }
        var postings: [PostingDescription] = []
        var contacts: [[Int64]] = []
        for arm in armDescriptions.indices {
            for k in 0..<perArm {
                let window = Int64((6 + 18 * unit()) * Double(hour))
                // Go-live every 5 hours from Monday 2020-01-06 08:00 UTC.
                let posted: Int64 = 1_578_297_600_000_000 + Int64(postings.count) * 5 * hour
                postings.append(PostingDescription(replicate: 1, arm: arm, index: k, windowMicros: window, postedAtMicros: posted,
                                                   attributes: ["city": k % 2 == 0 ? "paris" : "lyon"]))
                let rate = 1 + 2 * unit()
                var t = 0.0, times: [Int64] = []
                while true {
                    t += -Foundation.log(1 - unit()) / rate
                    let micros = Int64(t * Double(hour))
                    if micros > window { break }
                    times.append(micros)
                }
                contacts.append(times)
            }
        }
        let run = RunDescription(id: 1, source: .observed, horizonMicros: 24 * hour, gridMicros: hour, arms: armDescriptions,
                                 postings: postings, utcOffsetSeconds: 3600)
        return RunValues(run: run, contacts: contacts)
    }

    static func terms(_ text: String) -> [RegressionTerm] { text.split(separator: ",").map { RegressionTerm(parsing: String($0))! } }

    @Test func labelsAreTreatmentCodedAndInteractionsAreProducts() throws {
        let values = Self.factorial()
        let design = try RegressionDesign(run: values.run, settings: RegressionSettings(
            terms: Self.terms("section,platform,section:platform"), strata: "city", references: ["platform": "y"]))
        #expect(design.columns.map(\.term) == ["section", "platform", "section:platform"])
        #expect(design.columns.map(\.level) == ["b", "x", "b:x"])
        // Posting 0 is in a-x (section a = reference, platform x), posting 18 in b-y.
        #expect(design.rows[0] == [0, 1, 0])
        #expect(design.rows[12] == [1, 1, 1])
        #expect(design.rows[18] == [1, 0, 0])
        #expect(design.strataLevels == ["paris", "lyon"] && design.strata.prefix(2) == [0, 1])
    }

    /// Local time is the run's offset (+01:00): going live at 08:00 UTC on Monday 6 January 2020
    /// is 9 h local; the fifth posting, 20 h later, is Tuesday 05:00 local.
    @Test func postedHourAndWeekdayAreLocal() throws {
        let covariates = PostingCovariates(run: Self.factorial().run, members: Array(0..<24))
        guard case let .numeric(hours) = try covariates.values(of: "posted_hour", forceLabel: false, reference: nil) else {
            Issue.record("posted_hour is a number")
            return
        }
        #expect(hours.prefix(6) == [9, 14, 19, 0, 5, 10])
        guard case let .label(levels, codes) = try covariates.values(of: "posted_weekday", forceLabel: false, reference: nil) else {
            Issue.record("posted_weekday is a label")
            return
        }
        #expect(levels.first == "mon" && codes.prefix(6).map { levels[$0] } == ["mon", "mon", "mon", "tue", "tue", "tue"])
        guard case let .label(hourLevels, _) = try covariates.values(of: "posted_hour", forceLabel: true, reference: nil) else {
            Issue.record("--factor posted_hour is a label")
            return
        }
        #expect(hourLevels.prefix(3) == ["0", "1", "2"])
    }

    @Test(arguments: [
        ("platform,section,platform:section", ["a-x", "a-y", "b-x"], "empty cell"),
        ("arm,section", nil, "collinear"),
        ("section:platform", nil, "needs `section` among the terms too"),
        ("colour", nil, "no covariate of that name (a value of 6 characters)"),
        ("arm", ["a-x"], "has the same `arm`"),
        ("section", nil, "cannot be both a term and the strata"),
        ("section,platform,city,section:platform:city", nil, "needs `platform:city` among the terms too"),
    ] as [(String, [String]?, String)])
    func unidentifiableDesignsNameTheTerm(terms: String, arms: [String]?, message: String) throws {
        var values = Self.factorial()
        if let arms {
            let keep = values.run.arms.filter { arms.contains($0.name) }.map(\.id)
            let members = values.run.postings.indices.filter { keep.contains(values.run.postings[$0].arm) }
            values = RunValues(run: RunDescription(id: 1, source: .observed, horizonMicros: values.run.horizonMicros, gridMicros: values.run.gridMicros,
                                                   arms: values.run.arms, postings: members.map { values.run.postings[$0] }),
                               contacts: members.map { values.contacts[$0] })
        }
        let strata = terms == "section" ? "section" : nil
        if terms.hasSuffix(":city") {
            for i in values.run.postings.indices { values.run.postings[i].attributes = [:] }
            for i in values.run.arms.indices { values.run.arms[i].attributes["city"] = i % 2 == 0 ? "paris" : "lyon" }
        }
        do {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms(terms), strata: strata))
            Issue.record("\(terms) should be refused")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func aLevelHeldByOnePostingAndAConstantNumberAreRefused() throws {
        var values = Self.factorial(perArm: 4)
        values.run.postings[0].attributes["shade"] = "dark"
        for i in 1..<values.run.postings.count { values.run.postings[i].attributes["shade"] = "light" }
        for i in values.run.postings.indices { values.run.postings[i].attributes["size"] = "3" }
        #expect(throws: RegressionError.onePosting("term shade (level dark)")) {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms("shade"), references: ["shade": "light"]))
        }
        #expect(throws: RegressionError.constant("term size")) {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms("arm,size")))
        }
    }

    @Test func anArmWithoutContactIsAnInfiniteEstimateNamed() throws {
        var values = Self.factorial(perArm: 4)
        for i in values.run.postings.indices where values.run.postings[i].arm == 3 { values.contacts[i] = [] }
        #expect(throws: RegressionError.infinite("term arm (level b-y)")) {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms("arm"), intervals: .classic))
        }
    }

    @Test func fiftyTermsOrTenThousandLevelsAreRefusedBeforeFitting() throws {
        var values = Self.factorial(perArm: 30)
        for i in values.run.postings.indices {
            values.run.postings[i].attributes["tag"] = "t\(i)"
            for k in 0..<50 { values.run.postings[i].attributes["n\(k)"] = "\(Double(Self.mix(UInt64(i * 64 + k)) % 1000) / 100)" }
            values.run.postings[i].attributes["twice"] = "\(2 * Double(Self.mix(UInt64(i * 64)) % 1000) / 100)"
        }
        #expect(throws: RegressionError.tooManyCoefficients(atLeast: 119, limit: 100)) {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms("tag")))
        }
        // 10,000 postings of 10,000 levels: refused before any column is built.
        let many = RunDescription(
            id: 1, source: .observed, horizonMicros: Self.hour, gridMicros: Self.hour, arms: values.run.arms,
            postings: (0..<10_000).map { PostingDescription(replicate: 1, arm: $0 % 4, index: $0 / 4, windowMicros: Self.hour, attributes: ["tag": "t\($0)"]) })
        #expect(throws: RegressionError.tooManyCoefficients(atLeast: 9_999, limit: 100)) {
            _ = try RegressionDesign(run: many, settings: RegressionSettings(terms: Self.terms("tag")))
        }
        let fifty = (0..<50).map { "n\($0)" }.joined(separator: ",")
        let fit = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms(fifty), intervals: .classic))
        #expect(fit.coefficients.count == 50 && fit.tests.count == 50)
        #expect(fit.coefficients.allSatisfy { $0.coefficient.isFinite && $0.standardError > 0 && $0.p >= 0 && $0.p <= 1 })
        // `twice` is 2 × n0: collinear, named.
        #expect(throws: RegressionError.collinear("term twice")) {
            _ = try ProportionalRatesRegression(values, settings: RegressionSettings(terms: Self.terms("n0,twice")))
        }
    }

    /// SplitMix64's finaliser: a fixed, well-spread number from an index.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `compare A,B` is the regression on the arm alone, restricted to A and B, with B the reference.
    @Test(arguments: [IntervalMethod.corrected, .classic])
    func compareIsTheTwoArmRegression(intervals: IntervalMethod) throws {
        let values = Self.factorial(perArm: 5)
        let settings = ComparisonSettings(intervals: intervals)
        let a = ArmSample(name: "a-y", values.events(ofArm: 1)), b = ArmSample(name: "b-x", values.events(ofArm: 2))
        let pair = ProportionalRatesComparison(a, b, settings: settings)
        let regression = try ProportionalRatesRegression(values, settings: RegressionSettings(
            terms: Self.terms("arm"), references: ["arm": "b-x"], arms: ["a-y", "b-x"], intervals: intervals))
        let c = try #require(regression.coefficients.first)
        #expect(regression.coefficients.count == 1 && c.level == "a-y" && regression.postings == 10)
        for (x, y) in [(c.ratio.value, pair.ratio.value), (c.ratio.lower, pair.ratio.lower), (c.ratio.upper, pair.ratio.upper), (c.p, pair.p),
                       (c.standardError, pair.logStandardError)] {
            let (u, v) = (try #require(x), try #require(y))
            #expect(abs(u - v) <= 1e-12 * max(1, abs(v)), "\(u) vs \(v)")
        }
        #expect(regression.degreesOfFreedom == pair.degreesOfFreedom)
    }

    /// The regression's randomization test of the arm alone is `compare`'s; with strata, the
    /// levels move only within them.
    @Test func randomizationOfTheArmIsCompares() throws {
        let values = Self.factorial(perArm: 5)
        let settings = ComparisonSettings()
        let a = ArmSample(name: "a-y", values.events(ofArm: 1)), b = ArmSample(name: "b-x", values.events(ofArm: 2))
        let pair = RandomizationComparison(a, b, settings: settings)
        let regression = try RegressionRandomization(values, term: "arm", settings: RegressionSettings(terms: Self.terms("arm"), arms: ["a-y", "b-x"]))
        #expect(regression.test.assignments == 252 && pair.test?.assignments == 252)
        #expect(abs(regression.test.p - (pair.p ?? -1)) < 1e-12)
        let stratified = try RegressionRandomization(values, term: "section", settings: RegressionSettings(terms: Self.terms("section,platform"), strata: "city"))
        // Blocks city × platform: in paris 3 + 3 postings of the two sections per platform, C(6, 3) = 20
        // ways; in lyon 2 + 2, C(4, 2) = 6; so 20 · 6 · 20 · 6.
        #expect(stratified.test.draws == nil && stratified.test.assignments == 14_400)
    }

    /// The jackknife's refits and the search for tied instants on two threads give the same numbers.
    @Test func threadsDoNotChangeTheResult() throws {
        var values = Self.factorial(perArm: 40)
        // Minute resolution: contacts of different postings tie.
        values.contacts = values.contacts.map { times in Array(Set(times.map { $0 / 60_000_000 * 60_000_000 })).sorted() }
        var settings = RegressionSettings(terms: Self.terms("section,platform,section:platform"), strata: "city")
        let one = try ProportionalRatesRegression(values, settings: settings)
        settings.threads = 2
        let two = try ProportionalRatesRegression(values, settings: settings)
        #expect(one == two)
        #expect(one.postings == 160)
    }
}
