import DecoyModel
import Foundation
import Testing
@testable import DecoySimulation

/// Every model and modifier against theory: mean counts against the integral of the intensity
/// (computed independently by ``ReferenceIntensity``), and the time-rescaling theorem: with the
/// compensator Λ(t) of the conditional intensity, rescaled inter-contact gaps are independent
/// Exp(1), checked by a Kolmogorov–Smirnov test.
@Suite struct ModelPropertyTests {
    static let horizon = 48.0

    static let cases: [(String, ResponseSpec, Double)] = [
        ("power-law", ResponseSpec(model: .powerLaw(initial: 80, scale: 0.5, exponent: 1.5, baseline: 0)), 5),
        ("power-law with baseline", ResponseSpec(model: .powerLaw(initial: 80, scale: 0.5, exponent: 2.5, baseline: 1)), 0),
        ("power-law exponent 1", ResponseSpec(model: .powerLaw(initial: 20, scale: 2, exponent: 1, baseline: 0)), 0),
        ("bumps every 12h", ResponseSpec(model: .exponentialDecay(initial: 60, halfLife: 2, baseline: 0.2), bumps: .every(12)), 0),
        ("bumps at offsets", ResponseSpec(model: .piecewise(steps: [PiecewiseStep(until: 2, rate: 30), PiecewiseStep(until: 5, rate: 4)]), bumps: .at([7, 30])), 0),
        ("diurnal", ResponseSpec(model: .poisson(rate: 4), diurnal: (0..<24).map { Double(($0 + 5) % 24) }), 9.25),
        ("diurnal power-law multiplier", ResponseSpec(model: .powerLaw(initial: 50, scale: 1, exponent: 1.2, baseline: 0.5), multiplier: 1.7,
                                                      diurnal: (0..<24).map { $0 < 8 ? 0.2 : 1.5 }, bumps: .every(24)), 17.5),
        ("hawkes over poisson", ResponseSpec(model: .hawkes(background: .poisson(rate: 2), branching: 0.6, decay: 0.5)), 0),
        ("hawkes over decay", ResponseSpec(model: .hawkes(background: .exponentialDecay(initial: 40, halfLife: 3, baseline: 0.5), branching: 0.3, decay: 1)), 0),
        ("hawkes with diurnal and bumps", ResponseSpec(model: .hawkes(background: .powerLaw(initial: 30, scale: 1, exponent: 2, baseline: 0.3), branching: 0.5, decay: 0.25),
                                                       diurnal: (0..<24).map { 1 + Double($0 % 3) }, bumps: .every(24)), 3.5),
    ]

    static func contacts(_ response: ResponseSpec, hour: Double, postings: Int, seed: UInt64) -> [[Double]] {
        let intensity = PostingIntensity(response, goLiveLocalHour: hour)
        return (0..<postings).map { index in
            var rng = RandomStream.posting(seed: seed, replicate: 1, arm: "m", index: index)
            return intensity.sample(until: horizon, using: &rng)
        }
    }

    /// Λ at each contact of one posting: the background integral plus, for Hawkes,
    /// η Σ_{tⱼ < t} (1 − e^(−(t − tⱼ)/τ)) over earlier contacts.
    static func compensator(_ times: [Double], _ response: ResponseSpec, hour: Double) -> [Double] {
        let reference = ReferenceIntensity(response: response, goLiveLocalHour: hour)
        var result: [Double] = []
        var background = 0.0, previous = 0.0
        for (i, t) in times.enumerated() {
            background += reference.backgroundIntegral(previous, t, piecesPerHour: 60)
            previous = t
            var excitation = 0.0
            if case let .hawkes(_, eta, tau) = response.model {
                for tj in times[..<i] where tj < t { excitation += eta * -expm1(-(t - tj) / tau) }
            }
            result.append(background + excitation)
        }
        return result
    }

    /// Kolmogorov–Smirnov distance of samples from Exp(1).
    static func ksDistanceFromExponential(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = -expm1(-x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        return d
    }

    @Test(arguments: cases)
    func rescaledGapsAreExponential(name: String, response: ResponseSpec, hour: Double) throws {
        var gaps: [Double] = []
        for times in Self.contacts(response, hour: hour, postings: 60, seed: 21) {
            var last = 0.0
            for value in Self.compensator(times, response, hour: hour) {
                gaps.append(value - last)
                last = value
            }
        }
        try #require(gaps.count > 2_000)
        // Kolmogorov's 0.1% critical value is 1.95/√n.
        let d = Self.ksDistanceFromExponential(gaps)
        #expect(d < 1.95 / Double(gaps.count).squareRoot(), "\(name): KS D = \(d), n = \(gaps.count)")
    }

    @Test(arguments: cases.filter { if case .hawkes = $0.1.model { return false }; return true })
    func meanCountMatchesTheIntegralOfTheIntensity(name: String, response: ResponseSpec, hour: Double) {
        let postings = 1_500
        let total = Self.contacts(response, hour: hour, postings: postings, seed: 33).reduce(0) { $0 + $1.count }
        let expected = ReferenceIntensity(response: response, goLiveLocalHour: hour).backgroundIntegral(0, Self.horizon)
        let exact = PostingIntensity(response, goLiveLocalHour: hour).meanCumulative(at: Self.horizon)
        #expect(abs(exact - expected) < 1e-6 * expected, "\(name): closed form \(exact) vs numerical \(expected)")
        #expect(abs(Double(total) / Double(postings) - expected) < 5 * (expected / Double(postings)).squareRoot(), "\(name)")
    }

    /// Hawkes with constant background μ, E N(t) = μt/(1−η) − ημ(1 − e^(−kt)) / ((1−η)k),
    /// k = (1−η)/τ (worked by hand from the resolvent (η/τ)e^(−kx)); the count's variance is at most
    /// μt/(1−η)³, which sets the tolerance.
    @Test(arguments: [(2.0, 0.6, 0.5), (0.5, 0.9, 2.0), (5.0, 0.2, 0.1)])
    func hawkesMeanMatchesItsClosedForm(mu: Double, eta: Double, tau: Double) {
        let response = ResponseSpec(model: .hawkes(background: .poisson(rate: mu), branching: eta, decay: tau))
        let t = Self.horizon, k = (1 - eta) / tau
        let closed = mu * t / (1 - eta) - eta * mu * -expm1(-k * t) / ((1 - eta) * k)
        let intensity = PostingIntensity(response)
        #expect(abs(intensity.meanCumulative(at: t) - closed) < 1e-10 * closed)
        #expect(abs(intensity.meanCumulative(at: 1.5) - (mu * 1.5 / (1 - eta) - eta * mu * -expm1(-k * 1.5) / ((1 - eta) * k))) < 1e-12 * closed)
        let postings = 1_000
        let total = Self.contacts(response, hour: 0, postings: postings, seed: 44).reduce(0) { $0 + $1.count }
        let variance = mu * t / pow(1 - eta, 3)
        #expect(abs(Double(total) / Double(postings) - closed) < 5 * (variance / Double(postings)).squareRoot())
    }

    /// The timing of offspring: after a short burst of immigrants, E N(t) rises towards its limit
    /// at rate (1−η)/τ, so the simulated counts at early times pin the kernel's decay (a kernel
    /// 30% too slow fails by several standard errors).
    @Test func hawkesOffspringFollowTheExponentialKernel() {
        let burst = ResponseModel.piecewise(steps: [PiecewiseStep(until: 0.01, rate: 300), PiecewiseStep(until: 1, rate: 0)])
        let response = ResponseSpec(model: .hawkes(background: burst, branching: 0.8, decay: 0.5))
        let intensity = PostingIntensity(response)
        let postings = 3_000
        let samples = Self.contacts(response, hour: 0, postings: postings, seed: 55)
        for t in [0.25, 0.5, 1.0, 2.0] {
            let counts = samples.map { times in Double(times.filter { $0 <= t }.count) }
            let mean = counts.reduce(0, +) / Double(postings)
            let variance = counts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(postings - 1)
            let expected = intensity.meanCumulative(at: t)
            #expect(abs(mean - expected) < 5 * (variance / Double(postings)).squareRoot(), "t = \(t): mean \(mean) vs \(expected)")
        }
    }

    /// Hawkes means over non-constant backgrounds against numerical integration of the renewal
    /// equation m = μ + g ∗ m (the mean intensity), solved on a fine grid by the trapezoidal rule.
    @Test(arguments: [
        ResponseSpec(model: .hawkes(background: .exponentialDecay(initial: 40, halfLife: 3, baseline: 0.5), branching: 0.3, decay: 1)),
        ResponseSpec(model: .hawkes(background: .piecewise(steps: [PiecewiseStep(until: 2, rate: 20), PiecewiseStep(until: 10, rate: 3)]), branching: 0.7, decay: 0.5), bumps: .every(24)),
        ResponseSpec(model: .hawkes(background: .powerLaw(initial: 30, scale: 1, exponent: 2, baseline: 0.3), branching: 0.5, decay: 0.25), diurnal: (0..<24).map { 1 + Double($0 % 3) }),
    ])
    func hawkesMeanMatchesTheRenewalEquation(response: ResponseSpec) {
        guard case let .hawkes(_, eta, tau) = response.model else { return }
        let reference = ReferenceIntensity(response: response)
        let h = 0.002, n = Int(24 / h)
        // m(tᵢ) = μ(tᵢ) + ∫₀^tᵢ (η/τ) e^(−(tᵢ−s)/τ) m(s) ds; the convolution with an exponential
        // kernel is carried as a running sum.
        var m = [Double](repeating: 0, count: n + 1)
        var convolution = 0.0
        var meanCount = 0.0
        m[0] = reference.background(0)
        let decay = exp(-h / tau)
        for i in 1...n {
            convolution = convolution * decay + (eta / tau) * h / 2 * (m[i - 1] * decay)
            let mu = reference.background(Double(i) * h - 1e-12)
            m[i] = (mu + convolution) / (1 - (eta / tau) * h / 2)
            convolution += (eta / tau) * h / 2 * m[i]
            meanCount += h / 2 * (m[i - 1] + m[i])
        }
        let exact = PostingIntensity(response).meanCumulative(at: 24)
        #expect(abs(exact - meanCount) < 2e-4 * exact, "closed form \(exact) vs renewal equation \(meanCount)")
    }

    /// `expected` values worked by hand (docs/config.md formulas).
    @Test func meanCumulativeMatchesHandDerivedIntegrals() {
        func check(_ spec: ResponseSpec, hour: Double = 0, at t: Double, _ hand: Double) {
            let value = PostingIntensity(spec, goLiveLocalHour: hour).meanCumulative(at: t)
            #expect(abs(value - hand) <= 1e-12 * max(1, abs(hand)), "\(spec) at \(t): \(value) vs \(hand)")
        }
        check(ResponseSpec(model: .poisson(rate: 3)), at: 48, 144)
        // 150 · 3.6/ln 2 · (1 − 2^(−48/3.6)) + 0.5 · 48
        check(ResponseSpec(model: .exponentialDecay(initial: 150, halfLife: 3.6, baseline: 0.5)), at: 48, 150 * 3.6 / M_LN2 * (1 - pow(2, -48 / 3.6)) + 24)
        // 80 · 0.5 · (1 − (1 + 10/0.5)^(−0.5)) / 0.5 = 80 · (1 − 21^(−1/2))
        check(ResponseSpec(model: .powerLaw(initial: 80, scale: 0.5, exponent: 1.5, baseline: 0)), at: 10, 80 * (1 - 1 / 21.0.squareRoot()))
        // exponent 1: 20 · 2 · ln(1 + 6/2) + 0.5 · 6
        check(ResponseSpec(model: .powerLaw(initial: 20, scale: 2, exponent: 1, baseline: 0.5)), at: 6, 40 * log(4) + 3)
        // 30 · 2 + 4 · 3 + 1 · (12 − 5)
        check(ResponseSpec(model: .piecewise(steps: [PiecewiseStep(until: 2, rate: 30), PiecewiseStep(until: 5, rate: 4), PiecewiseStep(until: 6, rate: 1)])), at: 12, 60 + 12 + 7)
        // Bumps every 24 h restart the decay: two full days of the same curve.
        let day = 60 * 2 / M_LN2 * (1 - pow(2, -12.0))
        check(ResponseSpec(model: .exponentialDecay(initial: 60, halfLife: 2, baseline: 0), bumps: .every(24)), at: 48, 2 * day)
        check(ResponseSpec(model: .exponentialDecay(initial: 60, halfLife: 2, baseline: 0), multiplier: 0.5, bumps: .at([10])), at: 20,
              0.5 * 2 * 60 * 2 / M_LN2 * (1 - pow(2, -5.0)))
        // Diurnal factor 2 for the 12 hours from local midnight, 0 after; posting live at 06:00 for 12 h:
        // six hours at 2 · 3/h, six at 0.
        let halfDay = (0..<24).map { $0 < 12 ? 1.0 : 0.0 }
        check(ResponseSpec(model: .poisson(rate: 3), diurnal: halfDay), hour: 6, at: 12, 36)
        // Posting live at 10:30 for 3 h: 1.5 h at factor 2.
        check(ResponseSpec(model: .poisson(rate: 3), diurnal: halfDay), hour: 10.5, at: 3, 9)
    }

    @Test func removalWeightedMeanMatchesItsClosedForm() {
        // Poisson rate a with exponential removal r over horizon H: a (1 − e^(−rH)) / r.
        let intensity = PostingIntensity(ResponseSpec(model: .poisson(rate: 5)))
        #expect(abs(intensity.meanCount(horizon: 48, removalRate: 0.05) - 5 * -expm1(-0.05 * 48) / 0.05) < 1e-10)
        // Decay without baseline: ∫ I 2^(−t/h) e^(−rt) dt = I (1 − e^(−(c+r)H)) / (c + r), c = ln 2/h.
        let decay = PostingIntensity(ResponseSpec(model: .exponentialDecay(initial: 100, halfLife: 4, baseline: 0)))
        let c = M_LN2 / 4
        #expect(abs(decay.meanCount(horizon: 48, removalRate: 0.1) - 100 * -expm1(-(c + 0.1) * 48) / (c + 0.1)) < 1e-9)
    }
}

/// Heterogeneous populations: gamma propensities and the alias table.
@Suite struct PopulationTests {
    @Test func aliasTableDrawsInProportionToWeights() {
        let weights = [1.0, 0, 3, 6, 0.5]
        let table = AliasTable(weights: weights)
        var rng = Xoshiro256StarStar(seed: 8)
        var counts = [0, 0, 0, 0, 0]
        let n = 200_000
        for _ in 0..<n { counts[table.sample(using: &rng)] += 1 }
        let total = weights.reduce(0, +)
        var chiSquare = 0.0
        for (k, w) in weights.enumerated() where w > 0 {
            let expected = Double(n) * w / total
            chiSquare += pow(Double(counts[k]) - expected, 2) / expected
        }
        #expect(counts[1] == 0)
        // χ² with 3 degrees of freedom: 0.1% critical value 16.27.
        #expect(chiSquare < 16.27)
    }

    @Test(arguments: [0.3, 1.0, 4.0])
    func gammaVariatesHaveShapeMeanAndVariance(shape: Double) {
        var rng = Xoshiro256StarStar(seed: 12)
        let n = 100_000
        let values = (0..<n).map { _ in rng.nextGamma(shape: shape) }
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean - shape) < 5 * (shape / Double(n)).squareRoot())
        // Var of the sample variance ≈ σ⁴ (2/(n−1) + κ/n) with excess kurtosis κ = 6/shape.
        let sd = shape * (2 / Double(n - 1) + 6 / shape / Double(n)).squareRoot()
        #expect(abs(variance - shape) < 5 * sd)
    }

    /// Contacts per contactor follow the gamma–Poisson mixture: with N contacts over n contactors
    /// of gamma(k) propensities, a contactor's count has mean N/n and variance N/n + (N/n)²/k.
    @Test func contactsPerContactorAreOverdispersedAsGammaPoisson() throws {
        let shape = 2.0, size = 4_000
        let config = ExperimentConfig(
            name: "h", seed: 5, start: Timestamp(iso8601: "2020-01-01T00:00:00Z")!, horizon: 10,
            populations: [PopulationSpec(name: "p", size: size, heterogeneity: shape)],
            arms: [ArmSpec(name: "a", postings: 40, response: ResponseSpec(model: .poisson(rate: 500)), population: "p")])
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        var counts = [Int](repeating: 0, count: size)
        for posting in plan.postings {
            for contact in simulator.simulate(posting).contacts { counts[contact.contactor] += 1 }
        }
        let total = Double(counts.reduce(0, +))
        let mean = total / Double(size)
        let variance = counts.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(size - 1)
        let expected = mean + mean * mean / shape
        // The sample variance's relative standard error is about √((2 + 6/k)/n) for gamma-like counts.
        #expect(abs(variance / expected - 1) < 5 * ((2 + 6 / shape) / Double(size)).squareRoot(), "variance \(variance) vs \(expected)")
        // Equal propensity would give a variance near the mean: the mixture is clearly different.
        #expect(variance > 10 * mean)
        let propensities = try #require(simulator.propensities(of: config.populations[0], replicate: 1))
        #expect(propensities.count == size && propensities.allSatisfy { $0 >= 0 })
    }

    @Test func propensitiesDependOnlyOnSeedReplicateAndPopulation() {
        let population = PopulationSpec(name: "p", size: 50, heterogeneity: 0.5)
        let a = ExperimentConfig(name: "x", seed: 9, start: Timestamp(microseconds: 0), horizon: 1, populations: [population], arms: [])
        let first = PostingSimulator(plan: ExperimentPlan(a)).propensities(of: population, replicate: 2)
        let again = PostingSimulator(plan: ExperimentPlan(a)).propensities(of: population, replicate: 2)
        let other = PostingSimulator(plan: ExperimentPlan(a)).propensities(of: population, replicate: 3)
        #expect(first == again && first != other)
    }
}
