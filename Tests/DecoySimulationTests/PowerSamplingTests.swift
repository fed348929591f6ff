import DecoyModel
import DecoyStatistics
import Foundation
import Testing
@testable import DecoySimulation

/// The power analysis's fast draws against the event simulator, in distribution: for every
/// non-Hawkes model with diurnal factors, bumps, a multiplier and removal, the count in the
/// window (Poisson with the background's mass, one variate) and the first contact (the inverse
/// of that mass at a unit exponential) must be distributed as the event simulator's.
///
/// Two-sample tests at level 10⁻³ with their critical values from theory: χ² homogeneity of the
/// counts over bins holding ≥ 10 expected per sample (χ²₀.₉₉₉ on bins − 1 degrees of freedom, the quantile checked against SciPy in DecoyStatisticsTests),
/// and Kolmogorov–Smirnov of the first contacts, D > 1.949 √((n + m)/(n m)) (no contact counts
/// as later than every contact). The draws are seeded, so each check is one fixed trial.
@Suite struct PowerSamplingTests {
    static let models = [
        "{ model: poisson, rate: 0.8/h }",
        "{ model: exponential-decay, initial: 12/h, half_life: 2h, baseline: 0.3/h }",
        "{ model: power-law, initial: 9/h, scale: 1h, exponent: 1.4, baseline: 0.2/h }",
        "{ model: piecewise, steps: [{ until: 1h, rate: 10/h }, { until: 6h, rate: 2/h }, { until: 48h, rate: 0.4/h }] }",
    ]

    static func plan(_ model: String) throws -> ExperimentPlan {
        let diurnal = (0..<24).map { String(format: "%.2f", 0.4 + 1.2 * Double(($0 + 7) % 24) / 23) }.joined(separator: ", ")
        // The model's keys with the modifiers added.
        let response = "{ \(model.dropFirst(2).dropLast(2)), multiplier: 1.3, diurnal: [\(diurnal)], bumps: { every: 16h } }"
        let full = """
        version: 1
        name: sampling
        seed: 99
        start: 2026-03-02T08:30:00+01:00
        horizon: 36h
        grid: 1h
        arms:
          - name: m
            postings: 6
            schedule: { offset: 0h, every: 5h }
            response: \(response)
            lifetime: { removal_rate: 0.04/h }
        """
        return ExperimentPlan(try ConfigLoader.load(text: full, file: "sampling.yaml").config)
    }

    /// Two-sample χ² homogeneity statistic and its degrees of freedom, bins merged from the left
    /// until each holds ≥ 10 expected per sample.
    static func chiSquare(_ x: [Int], _ y: [Int]) -> (statistic: Double, df: Int) {
        let top = max(x.max() ?? 0, y.max() ?? 0)
        var cx = [Int](repeating: 0, count: top + 1), cy = cx
        for v in x { cx[v] += 1 }
        for v in y { cy[v] += 1 }
        let nx = Double(x.count), ny = Double(y.count)
        var bins: [(Double, Double)] = []
        var ax = 0.0, ay = 0.0
        for v in 0...top {
            ax += Double(cx[v]); ay += Double(cy[v])
            let share = (ax + ay) / (nx + ny)
            if share * min(nx, ny) >= 10 { bins.append((ax, ay)); ax = 0; ay = 0 }
        }
        if ax + ay > 0 { if bins.isEmpty { bins.append((ax, ay)) } else { bins[bins.count - 1].0 += ax; bins[bins.count - 1].1 += ay } }
        var statistic = 0.0
        for (ox, oy) in bins {
            let share = (ox + oy) / (nx + ny)
            statistic += pow(ox - share * nx, 2) / (share * nx) + pow(oy - share * ny, 2) / (share * ny)
        }
        return (statistic, bins.count - 1)
    }

    static func kolmogorovSmirnov(_ x: [Double], _ y: [Double]) -> Double {
        let a = x.sorted(), b = y.sorted()
        var i = 0, j = 0, d = 0.0
        while i < a.count && j < b.count {
            let t = min(a[i], b[j])
            while i < a.count && a[i] <= t { i += 1 }
            while j < b.count && b[j] <= t { j += 1 }
            d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        return d
    }

    @Test(arguments: models)
    func fastDrawsAreDistributedAsTheEventSimulator(model: String) throws {
        let plan = try Self.plan(model)
        let simulator = PostingSimulator(plan: plan)
        let draws = 3000
        for k in [0, 3] {
            let goLive = plan.arms[0].spec.schedule.goLive(ofPosting: k)
            let counts = ArmSampler(plan: plan, arm: 0, postings: 6, needs: .count)
            let firsts = ArmSampler(plan: plan, arm: 0, postings: 6, needs: .firstContact)
            var fastCounts: [Int] = [], fastFirst: [Double] = [], fullCounts: [Int] = [], fullFirst: [Double] = []
            for j in 0..<draws {
                var rng = RandomStream.power(seed: 5, null: false, simulation: j, arm: "m", index: k)
                fastCounts.append(counts.sample(posting: k, using: &rng).count)
                var other = RandomStream.power(seed: 6, null: false, simulation: j, arm: "m", index: k)
                fastFirst.append(firsts.sample(posting: k, using: &other).firstContact ?? .infinity)
                let full = simulator.simulate(PostingPlan(replicate: j + 1, arm: 0, index: k, goLive: goLive))
                fullCounts.append(full.contacts.count)
                fullFirst.append(full.contacts.first.map { Double($0.micros) / 3_600_000_000 } ?? .infinity)
            }
            let (statistic, df) = Self.chiSquare(fastCounts, fullCounts)
            #expect(df >= 3, "\(model) posting \(k): too few bins")
            #expect(statistic < SpecialFunctions.chiSquareQuantile(0.999, degreesOfFreedom: Double(df)), "\(model) posting \(k): counts χ² = \(statistic) on \(df) df")
            let d = Self.kolmogorovSmirnov(fastFirst, fullFirst)
            #expect(d < 1.949 * (2.0 / Double(draws)).squareRoot(), "\(model) posting \(k): first contact D = \(d)")
            // And the mean count is the model's E N(min(H, R)), within 4 standard errors.
            let mean = Double(fastCounts.reduce(0, +)) / Double(draws)
            let variance = fastCounts.reduce(0.0) { $0 + pow(Double($1) - mean, 2) } / Double(draws - 1)
            let expected = try #require(plan.intensity(of: PostingPlan(replicate: 1, arm: 0, index: k, goLive: goLive)))
                .meanCount(horizon: plan.config.horizon, removalRate: 0.04)
            #expect(abs(mean - expected) <= 4 * (variance / Double(draws)).squareRoot(), "\(model) posting \(k): mean \(mean) against \(expected)")
        }
    }

    @Test func theNPostingExperimentIsAPrefixOfEveryLargerOne() throws {
        // Each posting has its own stream, so drawing 4 or 40 postings gives the same first 4.
        let plan = try Self.plan(Self.models[1])
        let sampler = ArmSampler(plan: plan, arm: 0, postings: 6, needs: [.count])
        func draw(_ n: Int) -> [SampledPosting] {
            (0..<n).map { k in
                var rng = RandomStream.power(seed: 1, null: false, simulation: 17, arm: "m", index: k)
                return sampler.sample(posting: k, using: &rng)
            }
        }
        #expect(Array(draw(6).prefix(4)) == draw(4))
        // The null design's streams are other streams.
        var rng = RandomStream.power(seed: 1, null: true, simulation: 17, arm: "m", index: 0)
        #expect(sampler.sample(posting: 0, using: &rng) != draw(1)[0])
    }

    /// A `hawkes` arm's count is drawn through its contact times; a test of counts keeps the
    /// count and lets the times go, so a million-posting experiment holds a million counts.
    @Test func countsOfAHawkesArmKeepNoTimes() throws {
        let text = """
        version: 1
        name: sampling
        seed: 99
        start: 2026-03-02T08:30:00+01:00
        horizon: 24h
        arms:
          - name: m
            postings: 3
            schedule: { offset: 0h, every: 1h }
            response: { model: hawkes, background: { model: poisson, rate: 2/h }, branching: 0.5, decay: 30m }
        """
        let plan = ExperimentPlan(try ConfigLoader.load(text: text, file: "hawkes.yaml").config)
        let counts = ArmSampler(plan: plan, arm: 0, postings: 3, needs: .count)
        let times = ArmSampler(plan: plan, arm: 0, postings: 3, needs: .times)
        var contacts = 0
        for j in 0..<20 {
            for k in 0..<3 {
                var rng = RandomStream.power(seed: 3, null: false, simulation: j, arm: "m", index: k)
                let counted = counts.sample(posting: k, using: &rng)
                var same = RandomStream.power(seed: 3, null: false, simulation: j, arm: "m", index: k)
                let timed = times.sample(posting: k, using: &same)
                #expect(counted.times.isEmpty)
                // The same draws: the count and the first contact of the full simulation.
                #expect(counted.count == timed.times.count)
                #expect(counted.firstContact == timed.firstContact)
                contacts += counted.count
            }
        }
        #expect(contacts > 0)
    }

    @Test func poissonCountsOfLargeMeansHaveTheirMeanAndVariance() {
        // PTRS above a mean of 10: mean and variance both μ; and P(N = mode) against the pmf.
        var rng = Xoshiro256StarStar(state: (1, 2, 3, 4))
        for mu in [10.0, 37.5, 800, 16_000] {
            let draws = 40_000
            var sum = 0.0, squares = 0.0, atMode = 0
            let mode = Int(mu.rounded(.down))
            for _ in 0..<draws {
                let k = rng.nextPoissonCount(mean: mu)
                sum += Double(k)
                squares += Double(k) * Double(k)
                if k == mode { atMode += 1 }
            }
            let mean = sum / Double(draws), variance = squares / Double(draws) - mean * mean
            #expect(abs(mean - mu) <= 4 * (mu / Double(draws)).squareRoot(), "μ \(mu): mean \(mean)")
            // Var of the sample variance ≈ (μ + 2μ²)/N for Poisson.
            #expect(abs(variance - mu) <= 4 * ((mu + 2 * mu * mu) / Double(draws)).squareRoot(), "μ \(mu): variance \(variance)")
            let pmf = exp(Double(mode) * log(mu) - mu - lgamma(Double(mode) + 1))
            #expect(abs(Double(atMode) / Double(draws) - pmf) <= 4 * (pmf * (1 - pmf) / Double(draws)).squareRoot(), "μ \(mu): P(mode)")
        }
    }
}
