public import DecoyModel
import Foundation

extension ResponseModel {
    /// Λ₀⁻¹(target): the time s in [from, upTo] with Λ₀(s) = target, for a target between
    /// Λ₀(from) and Λ₀(upTo) (the background's, for `hawkes`).
    ///
    /// Closed form for `poisson`, `piecewise`, and `exponential-decay` and `power-law` without
    /// baseline; otherwise Newton's method, which on the concave Λ₀ of a non-increasing intensity
    /// climbs monotonically to the root from below.
    public func inverseCumulative(_ target: Double, from: Double, upTo: Double) -> Double {
        switch self {
        case let .poisson(rate):
            return target / rate
        case let .exponentialDecay(initial, halfLife, baseline) where baseline == 0:
            let k = M_LN2 / halfLife
            return -log1p(-target * k / initial) / k
        case let .powerLaw(initial, scale, exponent, baseline) where baseline == 0:
            let x = exponent == 1 ? target / (initial * scale) : log1p(target * (1 - exponent) / (initial * scale)) / (1 - exponent)
            return scale * expm1(x)
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
            return upTo
        case let .hawkes(background, _, _):
            return background.inverseCumulative(target, from: from, upTo: upTo)
        default:
            var t = from
            for _ in 0..<200 {
                let gap = target - cumulative(at: t)
                if gap <= 0 { return t }
                let next = t + gap / intensity(at: t)
                if next <= t || next > upTo { return min(next, upTo) }
                t = next
            }
            return t
        }
    }

    /// ∫_{u₀}^{u₁} λ₀(u) e^(−k(u₁ − u)) du, the background's contribution to the excitation-free
    /// part of a Hawkes mean; closed form except for `power-law`.
    func discountedIntegral(from u0: Double, to u1: Double, rate k: Double) -> Double {
        guard u1 > u0 else { return 0 }
        let delta = u1 - u0
        /// ∫ c e^(−k(u₁−u)) over the interval, for a constant c.
        func constant(_ c: Double) -> Double { c * -expm1(-k * delta) / k }
        switch self {
        case let .poisson(rate):
            return constant(rate)
        case let .exponentialDecay(initial, halfLife, baseline):
            let c = M_LN2 / halfLife
            let x = (k - c) * delta
            let shape = abs(x) < 1e-300 ? delta : expm1(x) / (k - c)
            return constant(baseline) + initial * exp(-c * u0 - k * delta) * shape
        case let .piecewise(steps):
            var total = 0.0
            var start = 0.0
            for (index, step) in steps.enumerated() {
                let end = index == steps.count - 1 ? Double.infinity : step.until
                let lo = max(u0, start), hi = min(u1, end)
                if hi > lo { total += step.rate * exp(-k * (u1 - hi)) * -expm1(-k * (hi - lo)) / k }
                start = step.until
                if start >= u1 { break }
            }
            return total
        case .powerLaw:
            return Quadrature.integrate(u0, u1) { u in intensity(at: u) * exp(-k * (u1 - u)) }
        case let .hawkes(background, _, _):
            return background.discountedIntegral(from: u0, to: u1, rate: k)
        }
    }
}
