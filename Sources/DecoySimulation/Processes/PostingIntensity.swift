public import DecoyModel
import Foundation

/// The contact process of one posting: its response model with the modifiers resolved against
/// the posting's go-live time, sampled exactly and integrated exactly.
///
/// Time is split into segments on which the modifiers are constant: bumps restart the freshness
/// clock, diurnal factors change on the local hour. On a segment [a, b) with factor c and last
/// bump β the background intensity is c · λ₀(t − β), so Λ on the segment is
/// c · (Λ₀(t − β) − Λ₀(a − β)) and its inverse is the model's Λ₀⁻¹: sampling is exact inversion.
public struct PostingIntensity: Sendable {
    public let response: ResponseSpec
    /// Local hour of day (0 ≤ h < 24) when the posting went live.
    public let goLiveLocalHour: Double
    let base: ResponseModel
    let factors: [Double]?

    /// One stretch of constant modifiers.
    struct Segment {
        var start: Double
        var end: Double
        /// multiplier × diurnal factor.
        var factor: Double
        /// The time of the last bump (0 before the first).
        var origin: Double
    }

    public init(_ response: ResponseSpec, goLiveLocalHour: Double = 0) {
        self.response = response
        self.goLiveLocalHour = goLiveLocalHour
        self.base = response.model.background
        self.factors = response.diurnalFactors
    }

    /// The Hawkes parameters (branching η, decay τ), if the model is self-exciting.
    var excitation: (branching: Double, decay: Double)? {
        if case let .hawkes(_, branching, decay) = response.model { return (branching, decay) }
        return nil
    }

    /// The segments covering [0, until).
    func segments(until: Double) -> [Segment] {
        guard until > 0 else { return [] }
        var cuts = response.bumps?.times(before: until) ?? []
        let bumps = cuts
        if factors != nil {
            let fraction = goLiveLocalHour - goLiveLocalHour.rounded(.down)
            var k = 1.0
            while k - fraction < until {
                if k - fraction > 0 { cuts.append(k - fraction) }
                k += 1
            }
            cuts.sort()
        }
        var segments: [Segment] = []
        var start = 0.0
        var bumpIndex = 0
        var origin = 0.0
        for cut in cuts + [until] where cut > start {
            while bumpIndex < bumps.count, bumps[bumpIndex] <= start {
                origin = bumps[bumpIndex]
                bumpIndex += 1
            }
            segments.append(Segment(start: start, end: cut, factor: response.multiplier * diurnalFactor(at: start), origin: origin))
            start = cut
        }
        return segments
    }

    /// The diurnal factor in force at `t` hours after going live (1 without `diurnal`).
    func diurnalFactor(at t: Double) -> Double {
        guard let factors else { return 1 }
        // Nudge past hour boundaries computed in floating point.
        let hour = Int((goLiveLocalHour + t + 1e-9).rounded(.down)) % 24
        return factors[hour]
    }

    /// M(t) = ∫₀ᵗ μ(s) ds, in closed form segment by segment.
    public func backgroundCumulative(at t: Double) -> Double {
        segments(until: t).reduce(0) { total, s in
            total + s.factor * (base.cumulative(at: s.end - s.origin) - base.cumulative(at: s.start - s.origin))
        }
    }

    /// E N(t), the expected number of contacts in the first `t` hours of an unremoved posting.
    ///
    /// Without excitation this is M(t). For `hawkes` with exponential kernel
    /// g(x) = η e^(−x/τ)/τ the mean intensity is μ + R ∗ μ with resolvent R(x) = (η/τ) e^(−(1−η)x/τ),
    /// which integrates to E N(t) = M(t)/(1−η) − η/(1−η) · ∫₀ᵗ μ(s) e^(−(1−η)(t−s)/τ) ds; the last
    /// integral is closed form for constant, piecewise and exponential backgrounds and by
    /// Gauss–Kronrod quadrature for `power-law`.
    public func meanCumulative(at t: Double) -> Double {
        let background = backgroundCumulative(at: t)
        guard let (eta, tau) = excitation, eta > 0 else { return background }
        let k = (1 - eta) / tau
        var discounted = 0.0
        for s in segments(until: t) {
            let inner = base.discountedIntegral(from: s.start - s.origin, to: s.end - s.origin, rate: k)
            discounted += s.factor * exp(-k * (t - s.end)) * inner
        }
        return background / (1 - eta) - eta / (1 - eta) * discounted
    }

    /// E N(min(horizon, R)) for a takedown time R ~ Exponential(removalRate): ∫₀ᴴ m(s) e^(−rs) ds,
    /// computed by parts as E N(H) e^(−rH) + r ∫₀ᴴ E N(s) e^(−rs) ds with adaptive quadrature.
    public func meanCount(horizon: Double, removalRate: Double) -> Double {
        let atHorizon = meanCumulative(at: horizon)
        guard removalRate > 0 else { return atHorizon }
        var integral = 0.0
        for s in segments(until: horizon) {
            integral += Quadrature.integrate(s.start, s.end) { meanCumulative(at: $0) * exp(-removalRate * $0) }
        }
        return atHorizon * exp(-removalRate * horizon) + removalRate * integral
    }

    /// Contact times in hours, ascending, in [0, window].
    ///
    /// Background contacts by inversion segment by segment: one exponential variate per contact
    /// plus the one that overshoots the window. For `hawkes`, then each contact (background or
    /// offspring, in the order they are generated) has Poisson(η) children at exponential delays
    /// of mean τ, drawn as the count by inversion and then each delay; children after the window
    /// are not observed.
    public func sample(until window: Double, using rng: inout some RandomNumberGenerator) -> [Double] {
        var times: [Double] = []
        var remaining = rng.nextExponential()
        for segment in segments(until: window) where segment.factor > 0 {
            var low = segment.start - segment.origin
            let high = segment.end - segment.origin
            var reached = base.cumulative(at: low)
            let top = base.cumulative(at: high)
            while true {
                let mass = segment.factor * (top - reached)
                if !(remaining < mass) {
                    remaining -= max(0, mass)
                    break
                }
                let target = reached + remaining / segment.factor
                let s = min(high, max(low, base.inverseCumulative(target, from: low, upTo: high)))
                times.append(min(segment.end, max(segment.start, segment.origin + s)))
                low = s
                reached = target
                remaining = rng.nextExponential()
            }
        }
        guard let (eta, tau) = excitation, eta > 0 else { return times }
        var next = 0
        while next < times.count {
            let parent = times[next]
            next += 1
            for _ in 0..<rng.nextPoisson(mean: eta) {
                let child = parent + tau * rng.nextExponential()
                if child < window { times.append(child) }
            }
        }
        times.sort()
        return times
    }
}
