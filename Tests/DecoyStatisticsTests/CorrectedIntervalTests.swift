import Foundation
import DecoyTestSupport
import Testing
@testable import DecoyStatistics

/// The corrected (default) intervals against R (Fixtures/make_corrected_reference.R: survival's
/// robust variance × n/(n−1) with `qt`, `sandwich::vcovCL` HC0 with `cadjust` for rate bins and
/// for each arm of the rate ratio) and against values worked by hand; Student's t against SciPy
/// (Fixtures/make_student_t.py).
@Suite struct CorrectedIntervalTests {
    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-12) -> Bool { CurveReferenceTests.close(a, b, tolerance: tolerance) }

    static func reference(_ metric: String) throws -> [[String]] {
        try CurveReferenceTests.fixture("corrected_reference").filter { $0[0] == metric }
    }

    @Test func studentTMatchesSciPy() throws {
        var checked = 0
        for row in try CurveReferenceTests.fixture("student_t") {
            let a = Double(row[1])!, b = Double(row[2])!, x = Double(row[3])!, expected = Double(row[4])!
            let value: Double
            switch row[0] {
            case "tQuantile": value = SpecialFunctions.studentTQuantile(x, degreesOfFreedom: a)
            case "tCDF": value = SpecialFunctions.studentTCDF(x, degreesOfFreedom: a)
            default: value = SpecialFunctions.regularizedBeta(x, a, b)
            }
            #expect(abs(value - expected) <= 1e-12 * abs(expected) + 1e-300, "\(row): \(value)")
            checked += 1
        }
        #expect(checked == 371)
    }

    @Test func studentTQuantileHasTheTextbookValues() {
        #expect(abs(SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 4) - 2.7764451051977987) < 1e-14)
        #expect(abs(SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 1) - 12.706204736174698) < 1e-12)
        #expect(SpecialFunctions.studentTQuantile(0.5, degreesOfFreedom: 3) == 0)
        #expect(abs(SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 1e7) - SpecialFunctions.normalQuantile(0.975)) < 1e-6)
    }

    @Test(arguments: ["mixed", "ties"])
    func meanCumulativeFunctionMatchesSurvivalTimesTheFactorWithQt(dataset: String) throws {
        let data = try #require(try CurveReferenceTests.datasets()[dataset])
        let expected = try Self.reference("mcf").filter { $0[1] == dataset }
        try #require(expected.count == 21)
        let points = MeanCumulativeFunction.estimate(data, at: expected.map { Double($0[2])! })
        for (point, row) in zip(points, expected) {
            #expect(Self.close(point.estimate, Double(row[3])) && Self.close(point.standardError, Double(row[4])), "\(dataset) t=\(row[2])")
            #expect(Self.close(point.lower, Double(row[5])) && Self.close(point.upper, Double(row[6])), "\(dataset) t=\(row[2]) interval")
        }
    }

    @Test(arguments: ["mixed", "single", "ties"])
    func binnedRateMatchesTheClusterRobustPoissonFit(dataset: String) throws {
        let data = try #require(try CurveReferenceTests.datasets()[dataset])
        let expected = try Self.reference("rate").filter { $0[1] == dataset }
        try #require(!expected.isEmpty)
        let points = BinnedRate.estimate(data, binStarts: Array(0...9).map(Double.init), width: 1, until: 10)
        for row in expected {
            let point = try #require(points.first { $0.t == Double(row[2])! })
            #expect(Self.close(point.estimate, Double(row[3])), "\(dataset) bin \(row[2]) estimate")
            if let se = Double(row[4]) { #expect(Self.close(point.standardError.map { $0 / point.estimate! }, se), "\(dataset) bin \(row[2]) se") }
            #expect(Self.close(point.lower, Double(row[5])) && Self.close(point.upper, Double(row[6])), "\(dataset) bin \(row[2]) interval \(point)")
        }
    }

    @Test func rateRatioMatchesPerArmCR1WithPooledDegreesOfFreedom() throws {
        let arms = try #require(try AnalysisReferenceTests.postings()["mixed"])
        let a = try #require(arms["a"]), b = try #require(arms["b"])
        let ratio = RateRatio((a.map(\.contacts), a.map(\.window)), (b.map(\.contacts), b.map(\.window)))
        let row = try #require(try Self.reference("rateratio").first)
        let p = try #require(try Self.reference("rateratio_p").first)
        #expect(Self.close(ratio.ratio, Double(row[3])) && Self.close(ratio.logStandardError, Double(row[4])))
        #expect(Self.close(ratio.lower, Double(row[5])) && Self.close(ratio.upper, Double(row[6])))
        #expect(Self.close(ratio.degreesOfFreedom, Double(row[7])))
        #expect(Self.close(ratio.p, Double(p[3]), 1e-10), "p \(String(describing: ratio.p))")
    }

    /// Two postings observed 2 h, one contact at 1 h: classic se √(1/8); corrected √(1/8 · 2/1) = 1/2
    /// and the quantile qt(0.975, 1) = 12.706…; the log interval 0.5 · exp(∓12.706 · 0.5 / 0.5).
    @Test func meanCumulativeCorrectionByHand() {
        let data = RecurrentEvents(windows: [2, 2], times: [[1], []])
        let point = MeanCumulativeFunction.estimate(data, at: [1])[0]
        let q = 12.706204736174698
        #expect(abs(point.standardError! - 0.5) < 1e-15)
        #expect(abs(point.lower! - 0.5 * exp(-q)) < 1e-15 && abs(point.upper! / (0.5 * exp(q)) - 1) < 1e-13)
        // A single posting has no corrected variance: no interval, but the estimate stands.
        let single = MeanCumulativeFunction.estimate(RecurrentEvents(windows: [2], times: [[1]]), at: [1])[0]
        #expect(single.estimate == 1 && single.lower == nil && single.upper == nil)
    }

    /// Bin [0, 1) of three postings with 2, 0 and 1 contacts, each exposed 1 h: r = 1, residuals
    /// 1, −1, 0, so Var log r = (3/2) · 2 / 3² = 1/3, and a bin without contacts gets Garwood's
    /// upper limit −log(0.025)/T.
    @Test func binnedRateCorrectionByHand() {
        let data = RecurrentEvents(windows: [2, 2, 2], times: [[0.2, 0.4], [], [0.5]])
        let points = BinnedRate.estimate(data, binStarts: [0, 1], width: 1, until: 2)
        let se = (1.0 / 3).squareRoot(), q = SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 2)
        #expect(points[0].estimate == 1)
        #expect(abs(points[0].lower! - exp(-q * se)) < 1e-14 && abs(points[0].upper! - exp(q * se)) < 1e-13)
        #expect(points[1].lower == 0 && abs(points[1].upper! + log(0.025) / 3) < 1e-14)
    }

    /// Three postings each exposed 1 h with exactly one contact in the bin: every residual kᵢ − r tᵢ
    /// is 0, so the cluster-robust interval would be [1, 1]; the default is Garwood's for k = 3,
    /// T = 3: R `qgamma(0.025, 3) / 3`, `qgamma(0.975, 4) / 3` (SciPy `gamma.ppf` agrees to the
    /// last digit).
    @Test func binnedRateIsNeverNarrowerThanGarwoodWhenEveryPostingIsAlike() {
        let data = RecurrentEvents(windows: [1, 1, 1], times: [[0.1], [0.5], [0.9]])
        let point = BinnedRate.estimate(data, binStarts: [0], width: 1, until: 1)[0]
        #expect(point.estimate == 1)
        #expect(abs(point.lower! - 0.206224040965200445) < 1e-14 && abs(point.upper! - 2.922424356580774596) < 1e-13, "\(point)")
        #expect(point.upper! - point.lower! > 2.7)
    }

    /// One contact, two postings exposed 1 h each: the cluster-robust interval would use t on 1
    /// degree of freedom (r = 1/2, limits 1.5e-06 and 164893.9, `make_corrected_reference.R`'s
    /// former row); with fewer than three postings the default is Garwood's for k = 1, T = 2:
    /// R `qgamma(0.025, 1) / 2`, `qgamma(0.975, 2) / 2`.
    @Test func binnedRateWithTwoPostingsIsGarwoods() {
        let data = RecurrentEvents(windows: [1, 1], times: [[0.5], []])
        let point = BinnedRate.estimate(data, binStarts: [0], width: 1, until: 1)[0]
        #expect(point.estimate == 0.5 && point.standardError == nil)
        #expect(abs(point.lower! - 0.012658903992144938) < 1e-15 && abs(point.upper! - 2.785821695469449466) < 1e-13, "\(point)")
        #expect(point.lower == BinnedRate.estimate(data, binStarts: [0], width: 1, until: 1, method: .classic)[0].lower)
    }

    /// On seeded data (2 to 12 postings, windows of 0.5 to 1 h, 0 to 6 contacts each, so that
    /// bins range from every posting alike to strongly overdispersed) every default bin interval
    /// contains Garwood's for its k and T, and, from 3 postings on, the cluster-robust interval
    /// r·exp(∓q·se) worked from its standard error.
    @Test func binnedRateContainsGarwoodsAndTheClusterRobustInterval() {
        var rng = SeededGenerator(seed: 20261202)
        var checked = 0
        for _ in 0..<400 {
            let n = 2 + rng.below(11)
            let windows = (0..<n).map { _ in 0.5 + 0.5 * Double(rng.below(1_000)) / 1_000 }
            let times = windows.map { window in (0..<rng.below(7)).map { _ in window * Double(rng.below(1_000)) / 1_000 }.sorted() }
            let point = BinnedRate.estimate(RecurrentEvents(windows: windows, times: times), binStarts: [0], width: 1, until: 1)[0]
            let exact = BinnedRate.exactInterval(count: point.events, exposure: point.atRisk)
            #expect(point.lower! <= exact.lower && point.upper! >= exact.upper, "\(windows) \(times)")
            if n >= 3, point.events > 0, let estimate = point.estimate, let se = point.standardError.map({ $0 / estimate }) {
                let q = SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: Double(n - 1))
                #expect(point.lower! <= estimate * exp(-q * se) * (1 + 1e-12) && point.upper! >= estimate * exp(q * se) * (1 - 1e-12), "\(windows) \(times)")
                checked += 1
            }
        }
        #expect(checked > 250)
    }

    /// Five postings, none contacted by 1 h: the corrected interval is [0.05^(1/5), 1]; all five
    /// contacted by 3 h: [0, 1 − 0.05^(1/5)]. Classic keeps [1, 1] and an undefined interval.
    @Test func kaplanMeierBoundariesGetTheMidPLimit() {
        let km = KaplanMeier(followUp: [2, 2, 2.5, 2.5, 2.9], contacted: [true, true, true, true, true])
        let corrected = km.estimate(at: [1, 3])
        #expect(abs(corrected[0].lower! - pow(0.05, 0.2)) < 1e-15 && corrected[0].upper == 1)
        #expect(corrected[1].lower == 0 && abs(corrected[1].upper! - (1 - pow(0.05, 0.2))) < 1e-15)
        let classic = km.estimate(at: [1, 3], method: .classic)
        #expect(classic[0].lower == 1 && classic[0].upper == 1 && classic[1].lower == nil)
    }
}
