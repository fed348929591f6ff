import Foundation

/// The intensity of contacts per posting: a base model and the modifiers applied to it.
///
/// λ(t) = multiplier · diurnal[local hour at t] · λ₀(t − last bump ≤ t), where λ₀ is the model's
/// intensity as a function of the time since the posting went live or was last moved to the top.
/// For `hawkes`, the modifiers act on the background; excitation follows the contacts.
public struct ResponseSpec: Sendable, Equatable {
    /// The base model.
    public var model: ResponseModel
    /// A constant factor on the whole intensity, ≥ 0.
    public var multiplier: Double
    /// 24 hour-of-day factors in the local time of `start` as written; `nil` for none.
    /// The intensity uses them normalised to mean 1 (``diurnalFactors``).
    public var diurnal: [Double]?
    /// When the posting is moved back to the top, restarting its freshness clock.
    public var bumps: Bumps?

    public init(model: ResponseModel, multiplier: Double = 1, diurnal: [Double]? = nil, bumps: Bumps? = nil) {
        self.model = model
        self.multiplier = multiplier
        self.diurnal = diurnal
        self.bumps = bumps
    }

    /// The diurnal factors normalised to mean 1, so they reshape the day without changing its total.
    public var diurnalFactors: [Double]? {
        guard let diurnal else { return nil }
        let mean = diurnal.reduce(0, +) / Double(diurnal.count)
        return diurnal.map { $0 / mean }
    }
}

/// When a posting is moved back to the top of its listing (hours since it went live).
public enum Bumps: Sendable, Equatable {
    /// At every multiple of the period.
    case every(Double)
    /// At the listed offsets, ascending.
    case at([Double])

    /// Bump times in (0, until), ascending.
    public func times(before until: Double) -> [Double] {
        switch self {
        case let .every(period):
            guard period > 0 else { return [] }
            var times: [Double] = []
            var k = 1.0
            while k * period < until {
                times.append(k * period)
                k += 1
            }
            return times
        case let .at(offsets):
            return offsets.filter { $0 > 0 && $0 < until }
        }
    }
}

/// The response models (t = hours since going live or the last bump).
public indirect enum ResponseModel: Sendable, Equatable {
    /// λ₀(t) = rate.
    case poisson(rate: Double)
    /// λ₀(t) = baseline + initial · 2^(−t / halfLife).
    case exponentialDecay(initial: Double, halfLife: Double, baseline: Double)
    /// λ₀(t) = baseline + initial · (1 + t/scale)^(−exponent).
    case powerLaw(initial: Double, scale: Double, exponent: Double, baseline: Double)
    /// λ₀(t) = rate of the first step with t < until; the last step holds beyond its `until`.
    case piecewise(steps: [PiecewiseStep])
    /// A self-exciting process: background(t) + Σ_{tⱼ < t} branching · e^(−(t − tⱼ)/decay) / decay.
    case hawkes(background: ResponseModel, branching: Double, decay: Double)

    /// The config's name of the model.
    public var name: String { kind.rawValue }

    /// The model without self-excitation: the background of `hawkes`, the model itself otherwise.
    public var background: ResponseModel {
        if case let .hawkes(background, _, _) = self { return background.background }
        return self
    }

    /// λ₀(t) in contacts per hour, for t ≥ 0 (the background's, for `hawkes`).
    public func intensity(at t: Double) -> Double {
        switch self {
        case let .poisson(rate):
            return rate
        case let .exponentialDecay(initial, halfLife, baseline):
            return baseline + initial * Foundation.exp2(-t / halfLife)
        case let .powerLaw(initial, scale, exponent, baseline):
            return baseline + initial * Foundation.pow(1 + t / scale, -exponent)
        case let .piecewise(steps):
            return (steps.first(where: { t < $0.until }) ?? steps[steps.count - 1]).rate
        case let .hawkes(background, _, _):
            return background.intensity(at: t)
        }
    }

    /// Λ₀(t) = ∫₀ᵗ λ₀(s) ds in closed form, for t ≥ 0 (the background's, for `hawkes`).
    ///
    /// Exponential decay: baseline · t + initial · h / ln 2 · (1 − 2^(−t/h)), computed with
    /// `expm1` so that small t keeps full relative precision. Power law:
    /// baseline · t + initial · scale · ((1 + t/scale)^(1−exponent) − 1) / (1 − exponent),
    /// or initial · scale · log(1 + t/scale) when exponent = 1.
    public func cumulative(at t: Double) -> Double {
        switch self {
        case let .poisson(rate):
            return rate * t
        case let .exponentialDecay(initial, halfLife, baseline):
            let k = Foundation.M_LN2 / halfLife
            return baseline * t - initial / k * Foundation.expm1(-k * t)
        case let .powerLaw(initial, scale, exponent, baseline):
            let x = Foundation.log1p(t / scale)
            if exponent == 1 { return baseline * t + initial * scale * x }
            return baseline * t + initial * scale * Foundation.expm1((1 - exponent) * x) / (1 - exponent)
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
        case let .hawkes(background, _, _):
            return background.cumulative(at: t)
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
