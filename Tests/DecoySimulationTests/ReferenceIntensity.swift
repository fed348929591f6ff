import DecoyModel
import Foundation

/// The intensities of docs/config.md written out directly from their formulas, independently of the
/// simulator's segment-wise closed forms, with Λ by composite Simpson integration.
struct ReferenceIntensity {
    var response: ResponseSpec
    var goLiveLocalHour = 0.0

    static func base(_ model: ResponseModel, _ t: Double) -> Double {
        switch model {
        case let .poisson(rate): return rate
        case let .exponentialDecay(initial, halfLife, baseline): return baseline + initial * pow(2, -t / halfLife)
        case let .powerLaw(initial, scale, exponent, baseline): return baseline + initial * pow(1 + t / scale, -exponent)
        case let .piecewise(steps): return (steps.first { t < $0.until } ?? steps.last!).rate
        case let .hawkes(background, _, _): return base(background, t)
        }
    }

    /// μ(t) = multiplier · diurnal[local hour] · λ₀(t − last bump).
    func background(_ t: Double) -> Double {
        var origin = 0.0
        switch response.bumps {
        case let .every(period)?: origin = (t / period).rounded(.down) * period
        case let .at(offsets)?: origin = offsets.last { $0 <= t } ?? 0
        case nil: break
        }
        var factor = response.multiplier
        if let diurnal = response.diurnal {
            let mean = diurnal.reduce(0, +) / 24
            factor *= diurnal[Int((goLiveLocalHour + t).rounded(.down)) % 24] / mean
        }
        return factor * Self.base(response.model, t - origin)
    }

    /// ∫ₐᵇ μ by Simpson's rule on pieces that never straddle an hour, a bump or a step.
    func backgroundIntegral(_ a: Double, _ b: Double, piecesPerHour: Int = 400) -> Double {
        guard b > a else { return 0 }
        var total = 0.0
        var start = a
        while start < b {
            let end = min(b, (start + 1e-9).rounded(.down) + 1, nextBreak(after: start))
            let n = max(2, Int(((end - start) * Double(piecesPerHour)).rounded(.up)) / 2 * 2)
            let h = (end - start) / Double(n)
            var sum = background(start + 1e-12) + background(end - 1e-12)
            for i in 1..<n { sum += background(start + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
            total += sum * h / 3
            start = end
        }
        return total
    }

    /// The next time after `t` where μ may jump (a bump, a step, a local hour).
    func nextBreak(after t: Double) -> Double {
        var candidates = [Double.infinity]
        switch response.bumps {
        case let .every(period)?: candidates.append(((t / period).rounded(.down) + 1) * period)
        case let .at(offsets)?: if let next = offsets.first(where: { $0 > t + 1e-12 }) { candidates.append(next) }
        case nil: break
        }
        if response.diurnal != nil { candidates.append((goLiveLocalHour + t + 1e-9).rounded(.down) + 1 - goLiveLocalHour) }
        if case let .piecewise(steps) = response.model.background {
            if let next = steps.first(where: { $0.until > t + 1e-12 }) { candidates.append(next.until) }
        }
        return candidates.min()!
    }
}
