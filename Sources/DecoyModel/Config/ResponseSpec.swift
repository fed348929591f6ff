import Foundation

/// The intensity of contacts per posting: a base model and the modifiers applied to it.
public struct ResponseSpec: Sendable, Equatable {
    /// The base intensity, as a function of hours since the posting went live.
    public var model: ResponseModel
    /// A constant factor on the whole intensity, ≥ 0.
    public var multiplier: Double

    public init(model: ResponseModel, multiplier: Double = 1) {
        self.model = model
        self.multiplier = multiplier
    }

    /// λ(t): contacts per hour at `t` hours after going live.
    public func intensity(at t: Double) -> Double { multiplier * model.intensity(at: t) }

    /// Λ(t) = ∫₀ᵗ λ(s) ds: the expected contacts of one posting observed for `t` hours.
    public func cumulative(at t: Double) -> Double { multiplier * model.cumulative(at: t) }
}

/// The response models of config v1 (t = hours since going live).
public enum ResponseModel: Sendable, Equatable {
    /// λ(t) = rate.
    case poisson(rate: Double)
    /// λ(t) = baseline + initial · 2^(−t / halfLife).
    case exponentialDecay(initial: Double, halfLife: Double, baseline: Double)
    /// λ(t) = rate of the first step with t < until; the last step holds beyond its `until`.
    case piecewise(steps: [PiecewiseStep])

    /// The config's name of the model.
    public var name: String {
        switch self {
        case .poisson: "poisson"
        case .exponentialDecay: "exponential-decay"
        case .piecewise: "piecewise"
        }
    }

    /// λ(t) in contacts per hour, for t ≥ 0.
    public func intensity(at t: Double) -> Double {
        switch self {
        case let .poisson(rate):
            return rate
        case let .exponentialDecay(initial, halfLife, baseline):
            return baseline + initial * Foundation.exp2(-t / halfLife)
        case let .piecewise(steps):
            return (steps.first(where: { t < $0.until }) ?? steps[steps.count - 1]).rate
        }
    }

    /// Λ(t) = ∫₀ᵗ λ(s) ds in closed form, for t ≥ 0.
    ///
    /// Exponential decay: baseline · t + initial · h / ln 2 · (1 − 2^(−t/h)), computed with
    /// `expm1` so that small t keeps full relative precision.
    public func cumulative(at t: Double) -> Double {
        switch self {
        case let .poisson(rate):
            return rate * t
        case let .exponentialDecay(initial, halfLife, baseline):
            let k = Foundation.M_LN2 / halfLife
            return baseline * t - initial / k * Foundation.expm1(-k * t)
        case let .piecewise(steps):
            var total = 0.0
            var from = 0.0
            for (index, step) in steps.enumerated() {
                let isLast = index == steps.count - 1
                let to = isLast ? t : min(t, step.until)
                if to > from { total += step.rate * (to - from) }
                from = step.until
                if from >= t { break }
            }
            return total
        }
    }
}

/// One step of a piecewise-constant intensity.
public struct PiecewiseStep: Sendable, Equatable {
    /// Hours since going live at which this step ends.
    public var until: Double
    /// Contacts per hour during the step.
    public var rate: Double

    public init(until: Double, rate: Double) {
        self.until = until
        self.rate = rate
    }
}
