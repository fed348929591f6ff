import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStatistics

/// The exact conditional Poisson test against R's `poisson.test`, Clopper–Pearson intervals
/// against R's `binom.test` (Fixtures/make_exact_poisson.R, make_clopper_pearson.R), and the
/// Zhu–Lakkis power against statsmodels' `power_negbin_ratio_2indep` (Fixtures/make_zhu_lakkis.py).
@Suite struct PowerStatisticsTests {
    static func rows(_ name: String) throws -> [[String: String]] {
        let table = try CurveReferenceTests.fixture(name)
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures"))
        let header = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)[0].split(separator: ",").map(String.init)
        return table.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func close(_ a: Double?, _ b: Double?, relative: Double) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return x == y || abs(x - y) <= relative * max(abs(x), abs(y))
        default: return false
        }
    }

    @Test func exactPoissonEqualsR() throws {
        let rows = try Self.rows("exact_poisson_reference")
        #expect(rows.count >= 40)
        for row in rows {
            let ka = Int(row["ka"]!)!, kb = Int(row["kb"]!)!, ta = Double(row["ta"]!)!, tb = Double(row["tb"]!)!
            let test = ExactPoissonTest(contacts: (ka, kb), hours: (ta, tb))
            let label = "poisson.test(c(\(ka), \(kb)), c(\(ta), \(tb)))"
            // p sums many binomial probabilities: equal to R's to 1e-10 relative, or both below 1e-300.
            let p = Double(row["p"]!)!
            #expect(Self.close(test.p, p, relative: 1e-10) || (test.p < 1e-300 && p < 1e-300), "\(label): p \(test.p) against \(p)")
            let estimate = Double(row["estimate"]!)
            // R's estimate is Inf when kb = 0; here it is nil (no finite ratio).
            #expect(Self.close(test.ratio, estimate.flatMap { $0.isFinite ? $0 : nil }, relative: 1e-13), "\(label): ratio")
            if ka + kb > 0 {
                #expect(Self.close(test.lower, Double(row["lower"]!)!, relative: 1e-9), "\(label): lower \(String(describing: test.lower))")
                let upper = Double(row["upper"]!)!
                #expect(Self.close(test.upper, upper.isFinite ? upper : nil, relative: 1e-9), "\(label): upper \(String(describing: test.upper))")
            }
        }
    }

    @Test func theFastTailSearchEqualsTheSumOverEveryOutcome() {
        // R's definition sums over every outcome; the bisection must count the same ones.
        var generator = SeededGenerator(seed: 20261202)
        for _ in 0..<300 {
            let n = Int.random(in: 1...400, using: &generator)
            let probability = Double.random(in: 0.02...0.98, using: &generator)
            let x = Int.random(in: 0...n, using: &generator)
            let distribution = BinomialDistribution(trials: n, probability: probability)
            let observed = distribution.logProbability(x) + log1p(1e-7)
            var direct = 0.0
            for k in 0...n where distribution.logProbability(k) <= observed { direct += exp(distribution.logProbability(k)) }
            let fast = distribution.twoSidedP(observed: x)
            #expect(Double(x) == Double(n) * probability || abs(fast - min(1, direct)) <= 1e-9 * max(1e-300, direct),
                    "n \(n) π \(probability) x \(x): \(fast) against \(direct)")
        }
    }

    @Test func clopperPearsonEqualsR() throws {
        let rows = try Self.rows("clopper_pearson_reference")
        #expect(rows.count >= 60)
        for row in rows {
            let x = Int(row["x"]!)!, n = Int(row["n"]!)!, level = Double(row["level"]!)!
            let interval = BinomialProportion.clopperPearson(successes: x, trials: n, confidence: level)
            #expect(Self.close(interval.lower, Double(row["lower"]!)!, relative: 1e-11), "binom.test(\(x), \(n)) lower \(interval.lower)")
            #expect(Self.close(interval.upper, Double(row["upper"]!)!, relative: 1e-11), "binom.test(\(x), \(n)) upper \(interval.upper)")
        }
    }

    @Test func zhuLakkisEqualsStatsmodels() throws {
        let rows = try Self.rows("zhu_lakkis_reference").filter { $0["method_var"] == "alt" && Double($0["value"]!) == 1 }
        #expect(rows.count >= 100)
        for row in rows {
            let ratio = Double(row["ratio"]!)!, base = Double(row["base_rate"]!)!, exposure = Double(row["exposure"]!)!
            let n1 = Int(row["n1"]!)!, q = Double(row["nobs_ratio"]!)!
            let n2 = Int((q * Double(n1)).rounded())
            guard Double(n2) == q * Double(n1) else { continue }
            let power = ZhuLakkis.power(meanCounts: (ratio * base * exposure, base * exposure), postings: (n1, n2),
                                        alpha: Double(row["alpha"]!)!, dispersion: Double(row["dispersion"]!)!)
            #expect(Self.close(power, Double(row["power"]!)!, relative: 1e-12), "ratio \(ratio) base \(base) n \(n1) q \(q): \(String(describing: power))")
        }
    }
}
