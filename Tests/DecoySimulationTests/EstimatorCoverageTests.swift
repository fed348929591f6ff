import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import Foundation
import Testing
@testable import DecoySimulation

/// Estimators on data the simulator makes from known models: intervals that cover the truth about
/// as often as they claim, and fits that recover the parameters within their standard errors.
@Suite struct EstimatorCoverageTests {
    /// Simulated postings of one response model, windows cut by exponential removal.
    static func dataset(_ response: ResponseSpec, postings: Int, horizon: Double, removal: Double, seed: UInt64, replicate: Int) -> RecurrentEvents {
        let intensity = PostingIntensity(response)
        var windows: [Double] = [], times: [[Double]] = []
        for index in 0..<postings {
            var rng = RandomStream.posting(seed: seed, replicate: replicate, arm: "coverage", index: index)
            let window = removal > 0 ? min(horizon, rng.nextExponential() / removal) : horizon
            windows.append(window)
            times.append(intensity.sample(until: window, using: &rng))
        }
        return RecurrentEvents(windows: windows, times: times)
    }

    /// 600 data sets of 30 postings, exponential decay with censoring by removal: the robust log
    /// interval of μ(12 h) should cover Λ(12 h) about 95% of the time (binomial sd 0.9%).
    @Test func meanCumulativeIntervalCoversNearNominal() {
        let response = ResponseSpec(model: .exponentialDecay(initial: 20, halfLife: 3, baseline: 0.5))
        let truth = PostingIntensity(response).meanCumulative(at: 12)
        let trials = 600
        var covered = 0
        for replicate in 1...trials {
            let data = Self.dataset(response, postings: 30, horizon: 24, removal: 0.04, seed: 77, replicate: replicate)
            let point = MeanCumulativeFunction.estimate(data, at: [12])[0]
            if let lower = point.lower, let upper = point.upper, lower <= truth, truth <= upper { covered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(abs(coverage - 0.95) < 0.035, "coverage \(coverage)")
    }

    /// Robust variance keeps its promise when postings differ (a Hawkes process: clustered,
    /// overdispersed counts), where a Poisson variance would not.
    @Test func meanCumulativeIntervalCoversWithOverdispersedCounts() {
        let response = ResponseSpec(model: .hawkes(background: .poisson(rate: 1), branching: 0.7, decay: 1))
        let truth = PostingIntensity(response).meanCumulative(at: 10)
        let trials = 600
        var robust = 0, poisson = 0
        for replicate in 1...trials {
            let data = Self.dataset(response, postings: 40, horizon: 10, removal: 0, seed: 78, replicate: replicate)
            let point = MeanCumulativeFunction.estimate(data, at: [10])[0]
            if let lower = point.lower, let upper = point.upper, lower <= truth, truth <= upper { robust += 1 }
            let mu = point.estimate!, naive = (mu / 40).squareRoot()   // Poisson se of a mean of 40 counts
            if abs(mu - truth) <= 1.959963984540054 * naive { poisson += 1 }
        }
        #expect(abs(Double(robust) / Double(trials) - 0.95) < 0.035, "robust coverage \(Double(robust) / Double(trials))")
        #expect(Double(poisson) / Double(trials) < 0.85, "Poisson coverage \(Double(poisson) / Double(trials))")
    }

    /// Garwood intervals (`--intervals classic`) are exact for Poisson counts, hence conservative: at least 95%.
    @Test func rateIntervalCoversAtLeastNominal() {
        let response = ResponseSpec(model: .poisson(rate: 0.8))
        let trials = 600
        var covered = 0
        for replicate in 1...trials {
            let data = Self.dataset(response, postings: 5, horizon: 6, removal: 0.05, seed: 79, replicate: replicate)
            let point = BinnedRate.estimate(data, binStarts: [2], width: 1, until: 6, method: .classic)[0]
            if let lower = point.lower, let upper = point.upper, lower <= 0.8, 0.8 <= upper { covered += 1 }
        }
        let coverage = Double(covered) / Double(trials)
        #expect(coverage >= 0.95 - 0.03 && coverage <= 0.995, "coverage \(coverage)")
    }

    @Test(arguments: [
        (IntensityFit.Model.poisson, ResponseSpec(model: .poisson(rate: 6)), [6.0]),
        (.exponentialDecay, ResponseSpec(model: .exponentialDecay(initial: 60, halfLife: 2.5, baseline: 1)), [60, 2.5, 1]),
        (.powerLaw, ResponseSpec(model: .powerLaw(initial: 40, scale: 0.5, exponent: 1.8, baseline: 0.5)), [40, 0.5, 1.8, 0.5]),
    ])
    func fitRecoversKnownParametersWithinTheirStandardErrors(model: IntensityFit.Model, response: ResponseSpec, truth: [Double]) throws {
        let data = Self.dataset(response, postings: 40, horizon: 48, removal: 0.01, seed: 80, replicate: 1)
        let fit = IntensityFit(model, windows: data.windows, times: data.times)
        #expect(fit.converged, "\(fit.note ?? "")")
        for ((name, estimate), ((_, se), value)) in zip(fit.parameters, zip(fit.standardErrors, truth)) {
            let error = try #require(se, "\(name) has no standard error")
            #expect(abs(estimate - value) < 4 * error, "\(model.rawValue).\(name): \(estimate) ± \(error) vs \(value)")
        }
        // The right model fits: rescaled gaps look exponential.
        #expect(fit.ksP > 0.001, "KS p \(fit.ksP)")
        #expect(fit.aic == 2 * Double(truth.count) - 2 * fit.logLikelihood)
    }

    @Test func wrongModelIsRejectedByAICAndTheKSTest() {
        let data = Self.dataset(ResponseSpec(model: .exponentialDecay(initial: 60, halfLife: 2.5, baseline: 1)), postings: 40, horizon: 48, removal: 0, seed: 81, replicate: 1)
        let poisson = IntensityFit(.poisson, windows: data.windows, times: data.times)
        let decay = IntensityFit(.exponentialDecay, windows: data.windows, times: data.times)
        #expect(decay.aic < poisson.aic - 100)
        #expect(poisson.ksP < 1e-6)
        // Poisson MLE in closed form: contacts / posting-hours, se √n / exposure.
        let n = Double(data.contactCount), exposure = data.windows.reduce(0, +)
        #expect(abs(poisson.parameters[0].1 - n / exposure) < 1e-12 * n / exposure)
        #expect(abs(poisson.standardErrors[0].1! - n.squareRoot() / exposure) < 1e-5 * n.squareRoot() / exposure)
    }
}
