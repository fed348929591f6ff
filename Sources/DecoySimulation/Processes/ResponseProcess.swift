public import DecoyModel
import Foundation

/// The inhomogeneous Poisson process of one posting's contacts, sampled exactly by inversion.
///
/// Given unit exponential variates E₁, E₂, …, the k-th contact is at Λ⁻¹(E₁ + … + Eₖ), where
/// Λ is the cumulative intensity (Çinlar's time-change theorem). Λ⁻¹ is in closed form for
/// `poisson`, `piecewise` and `exponential-decay` without baseline; with a baseline it is
/// solved by Newton's method, which on the concave Λ of a decreasing intensity converges
/// monotonically from below to the double nearest the root.
public struct ResponseProcess: Sendable {
    public let response: ResponseSpec

    public init(_ response: ResponseSpec) { self.response = response }

    /// Contact times in hours, ascending, in [0, window].
    /// - Complexity: O(n) in the number of contacts (O(n · steps) for `piecewise`).
    public func sample(until window: Double, using rng: inout some RandomNumberGenerator) -> [Double] {
        var times: [Double] = []
        let total = response.cumulative(at: window)
        guard total > 0 else { return times }
        var u = 0.0
        var previous = 0.0
        while true {
            u += rng.nextExponential()
            if u >= total { break }
            let t = min(window, max(previous, inverseCumulative(u, from: previous, window: window)))
            times.append(t)
            previous = t
        }
        return times
    }

    /// Λ⁻¹(u): the time at which the cumulative intensity reaches `u`, for 0 ≤ u < Λ(window),
    /// searching no earlier than `from`.
    func inverseCumulative(_ u: Double, from: Double, window: Double) -> Double {
        let m = response.multiplier
        let target = u / m
        switch response.model {
        case let .poisson(rate):
            return target / rate
        case let .exponentialDecay(initial, halfLife, baseline):
            let k = M_LN2 / halfLife
            if baseline == 0 {
                return -log1p(-target * k / initial) / k
            }
            return newton(target: target, from: from, upTo: window)
        case let .piecewise(steps):
            var accumulated = 0.0
            var start = 0.0
            for (index, step) in steps.enumerated() {
                let isLast = index == steps.count - 1
                let mass = isLast ? Double.infinity : step.rate * (step.until - start)
                if target < accumulated + mass, step.rate > 0 {
                    return start + (target - accumulated) / step.rate
                }
                accumulated += mass
                start = step.until
            }
            return window
        }
    }

    /// Solves Λ₀(t) = target on [from, upTo] for a model with a decreasing intensity.
    func newton(target: Double, from: Double, upTo: Double) -> Double {
        let model = response.model
        var t = from
        for _ in 0..<200 {
            let gap = target - model.cumulative(at: t)
            if gap <= 0 { return t }
            let rate = model.intensity(at: t)
            let next = t + gap / rate
            if next <= t || next > upTo { return min(next, upTo) }
            t = next
        }
        return t
    }
}
