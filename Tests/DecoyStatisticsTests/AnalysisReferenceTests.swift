import Foundation
import Testing
@testable import DecoyStatistics

/// Kaplan–Meier, medians, log-rank, rate ratio and Chao1 against R (survival 3.5, sandwich 3.0,
/// vegan 2.6): Fixtures/make_analysis_reference.R on Fixtures/first_contact_data.csv and
/// Fixtures/chao1_data.csv. The data have censoring, ties at one instant, first contacts at the
/// end of a window, ties between an event and another posting's censoring, postings without
/// contact, a single posting, and an arm without any contact.
@Suite struct AnalysisReferenceTests {
    struct Posting { var window: Double, contacts: Int, first: Double? }

    static func rows(_ name: String) throws -> [[String]] { try CurveReferenceTests.fixture(name) }

    static func postings() throws -> [String: [String: [Posting]]] {
        var result: [String: [String: [Posting]]] = [:]
        for r in try rows("first_contact_data") {
            result[r[0], default: [:]][r[1], default: []].append(Posting(window: Double(r[3])!, contacts: Int(r[4])!, first: Double(r[5])))
        }
        return result
    }

    static func km(_ postings: [Posting]) -> KaplanMeier {
        KaplanMeier(followUp: postings.map { $0.first ?? $0.window }, contacted: postings.map { $0.first != nil })
    }

    static func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-12) -> Bool { CurveReferenceTests.close(a, b, tolerance: tolerance) }

    @Test(arguments: SurvivalInterval.allCases)
    func kaplanMeierMatchesSurvfit(interval: SurvivalInterval) throws {
        let data = try Self.postings()
        let reference = try Self.rows("km_reference").filter { $0[2] == interval.rawValue }
        var checked = 0
        for (dataset, arms) in data {
            for (arm, postings) in arms {
                let expected = reference.filter { $0[0] == dataset && $0[1] == arm }
                try #require(expected.count == 21)
                let points = Self.km(postings).estimate(at: expected.map { Double($0[3])! }, interval: interval, method: .classic)
                for (point, row) in zip(points, expected) {
                    let place = "\(dataset)/\(arm) \(interval.rawValue) t=\(row[3])"
                    #expect(Self.close(point.estimate, Double(row[4])), "\(place) surv")
                    #expect(Self.close(point.standardError.flatMap { $0.isFinite ? $0 : nil }, Double(row[5])), "\(place) se \(String(describing: point.standardError))")
                    #expect(Self.close(point.lower, Double(row[6])), "\(place) lower \(String(describing: point.lower))")
                    #expect(Self.close(point.upper, Double(row[7])), "\(place) upper \(String(describing: point.upper))")
                    #expect(point.atRisk == Double(row[8])!, "\(place) at risk")
                    #expect(point.events == Int(row[9])!, "\(place) events")
                    checked += 1
                }
            }
        }
        #expect(checked == 105)
    }

    @Test func mediansAndTheirIntervalsMatchSurvfit() throws {
        let data = try Self.postings()
        for row in try Self.rows("km_median_reference") {
            let postings = try #require(data[row[0]]?[row[1]])
            let median = Self.km(postings).median(interval: try #require(SurvivalInterval(rawValue: row[2])))
            let place = "\(row[0])/\(row[1]) \(row[2])"
            #expect(Self.close(median.value, Double(row[3])), "\(place) median \(String(describing: median.value))")
            #expect(Self.close(median.lower, Double(row[4])), "\(place) lower \(String(describing: median.lower))")
            #expect(Self.close(median.upper, Double(row[5])), "\(place) upper \(String(describing: median.upper))")
        }
    }

    @Test func logRankMatchesSurvdiff() throws {
        let data = try Self.postings()
        for row in try Self.rows("logrank_reference") where !row[1].isEmpty {
            let a = try #require(data[row[0]]?["a"]), b = try #require(data[row[0]]?["b"])
            let test = LogRank((a.map { $0.first ?? $0.window }, a.map { $0.first != nil }), (b.map { $0.first ?? $0.window }, b.map { $0.first != nil }))
            #expect(Self.close(test.chiSquare, Double(row[1])), "\(row[0]) chi2 \(test.chiSquare)")
            #expect(Self.close(test.p, Double(row[3]), 1e-10), "\(row[0]) p \(test.p)")
            #expect(Self.close(test.observed.0, Double(row[4])) && Self.close(test.expected.0, Double(row[5])))
            #expect(Self.close(test.observed.1, Double(row[6])) && Self.close(test.expected.1, Double(row[7])))
        }
    }

    @Test func rateRatioMatchesPoissonGLMWithClusterRobustVariance() throws {
        let data = try Self.postings()
        var checked = 0
        for row in try Self.rows("rate_ratio_reference") {
            guard let a = data[row[0]]?["a"], let b = data[row[0]]?["b"] else { continue }
            let ratio = RateRatio((a.map(\.contacts), a.map(\.window)), (b.map(\.contacts), b.map(\.window)), method: .classic)
            #expect(Self.close(ratio.rates.0, Double(row[3])) && Self.close(ratio.rates.1, Double(row[6])))
            #expect(Self.close(ratio.ratio, Double(row[7])), "\(row[0]) ratio")
            #expect(Self.close(ratio.logStandardError, Double(row[8])), "\(row[0]) se")
            #expect(Self.close(ratio.lower, Double(row[9])) && Self.close(ratio.upper, Double(row[10])), "\(row[0]) interval")
            #expect(Self.close(ratio.p, Double(row[12]), 1e-9), "\(row[0]) p \(String(describing: ratio.p))")
            checked += 1
        }
        #expect(checked == 2)
    }

    @Test func chao1MatchesTheBiasCorrectedFormulaAndVegan() throws {
        var counts: [String: [Int]] = [:]
        for row in try Self.rows("chao1_data") { counts[row[0], default: []].append(Int(row[2])!) }
        for row in try Self.rows("chao1_reference") {
            let estimate = Chao1(counts: try #require(counts[row[0]]))
            #expect(estimate.observed == Int(row[1])! && estimate.f1 == Int(row[2])! && estimate.f2 == Int(row[3])!)
            #expect(Self.close(estimate.estimate, Double(row[4])), "\(row[0]) chao1")
            #expect(Self.close(estimate.variance, Double(row[5])), "\(row[0]) variance")
            #expect(Self.close(estimate.lower, Double(row[6])) && Self.close(estimate.upper, Double(row[7])), "\(row[0]) interval")
        }
    }

    /// Chao (1987)'s cottontail data worked by hand: S_obs = 76, f₁ = 43, f₂ = 16, so
    /// Ŝ = 76 + 43 · 42 / (2 · 17) = 76 + 53.1176… = 129.1176….
    @Test func chao1WorkedExample() {
        let counts = Array(repeating: 1, count: 43) + Array(repeating: 2, count: 16) + Array(repeating: 3, count: 8)
            + Array(repeating: 4, count: 6) + [6, 6, 7]
        let estimate = Chao1(counts: counts)
        #expect(estimate.observed == 76)
        #expect(abs(estimate.estimate - (76 + 43.0 * 42 / 34)) < 1e-12)
    }

    /// Nobody seen once: EstimateS's interval (eq. 14), not one of no width. Values from
    /// scikit-bio 0.7.4, `chao1_ci(counts, zscore=scipy.stats.norm.ppf(0.5 + level / 2))`.
    @Test(arguments: [([2, 2, 3, 5], 0.95, 5.106858463675609), ([3], 0.95, 1.5010335353465485),
                      ([2, 4, 4, 4, 4, 4, 4, 9, 2, 2], 0.95, 11.097471296863684), ([2, 2, 3, 5], 0.90, 4.962600272255183)])
    func chao1WithoutSingletonsHasEstimateSInterval(counts: [Int], confidence: Double, upper: Double) {
        let estimate = Chao1(counts: counts, confidence: confidence)
        #expect(estimate.lower == Double(counts.count))
        #expect(abs(estimate.upper / upper - 1) < 1e-13, "\(estimate.upper) vs \(upper)")
        // One person seen once leaves T = 0, and EstimateS keeps the interval at S_obs.
        let one = Chao1(counts: counts + [1], confidence: confidence)
        #expect(one.lower == Double(counts.count + 1) && one.upper == one.lower)
    }
}
