import Foundation

/// Kaplan–Meier estimate of the probability that a posting has had no contact yet.
///
/// S(t) = Π_{s≤t} (1 − d(s)/Y(s)) over first-contact times s, with Y(s) the postings whose
/// follow-up (first contact, or end of window if none) is ≥ s: at one instant, contacts come
/// before the end of a window. Greenwood variance Var S = S² Σ_{s≤t} d/(Y(Y−d)). Agrees with R
/// `survfit(Surv(time, status) ~ 1, conf.type = …)`, and lifelines' `KaplanMeierFitter`
/// (whose default interval is log-log).
public struct KaplanMeier: Sendable {
    /// Distinct event times, ascending.
    public let times: [Double]
    /// S just after each event time.
    public let survival: [Double]
    /// Σ d/(Y(Y−d)) up to each event time (the Greenwood sum; the variance of log S).
    public let greenwood: [Double]
    /// Postings at risk and events at each event time.
    public let atRisk: [Int], events: [Int]
    let followUp: [Double]

    /// - Parameters:
    ///   - followUp: each posting's first-contact time, or the end of its window when it had none.
    ///   - contacted: whether that time is a first contact (`true`) or a censoring.
    public init(followUp: [Double], contacted: [Bool]) {
        precondition(followUp.count == contacted.count)
        let order = followUp.indices.sorted { followUp[$0] < followUp[$1] }
        var times: [Double] = [], survival: [Double] = [], greenwood: [Double] = [], risk: [Int] = [], events: [Int] = []
        var s = 1.0, g = 0.0
        var index = 0
        let n = followUp.count
        while index < n {
            let t = followUp[order[index]]
            var d = 0, removed = 0
            while index + removed < n, followUp[order[index + removed]] == t {
                if contacted[order[index + removed]] { d += 1 }
                removed += 1
            }
            let y = n - index
            if d > 0 {
                s *= 1 - Double(d) / Double(y)
                g += y > d ? Double(d) / (Double(y) * Double(y - d)) : .infinity
                times.append(t)
                survival.append(s)
                greenwood.append(g)
                risk.append(y)
                events.append(d)
            }
            index += removed
        }
        self.times = times
        self.survival = survival
        self.greenwood = greenwood
        self.atRisk = risk
        self.events = events
        self.followUp = followUp.sorted()
    }

    /// S(t), right-continuous.
    public func survival(at t: Double) -> Double {
        let k = RecurrentEvents.upperBound(times, t)
        return k == 0 ? 1 : survival[k - 1]
    }

    /// The pointwise estimate, Greenwood standard error of S, and interval at each grid time.
    ///
    /// Intervals with z = Φ⁻¹((1 + confidence)/2) and σ² the Greenwood sum (variance of log S):
    /// `plain` S ± z·S·σ cut to [0, 1]; `log` S·e^(∓zσ), upper cut at 1; `logLog`
    /// exp(−exp(log(−log S) ± zσ/log S)) — R's `conf.type` of the same names. Where S = 1 the
    /// interval is [1, 1]; where S = 0 (Greenwood's sum is infinite) it is undefined, as in R:
    /// that is ``IntervalMethod/classic``.
    ///
    /// ``IntervalMethod/corrected`` (the default) gives the two boundary cases, where Greenwood's
    /// variance says nothing and the classic interval misses whenever they occur (a quarter of the
    /// checks at 5 postings), the mid-p exact binomial limit of the m postings followed up to t
    /// (at risk at t, or contacted by then), which solves ½·P(X = 0) = α/2: no contact yet,
    /// S = 1, gives [α^(1/m), 1]; every one contacted, S = 0, gives [0, 1 − α^(1/m)] (R:
    /// `alpha^(1/m)`; Clopper–Pearson's `binom.test` limit (α/2)^(1/m) covered 99.5% at 5
    /// postings, the mid-p one is the less conservative choice). Other points are unchanged.
    public func estimate(at grid: [Double], confidence: Double = 0.95, interval: SurvivalInterval = .logLog,
                         method: IntervalMethod = .corrected) -> [CurvePoint] {
        let alpha = 1 - confidence
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        var cumulativeEvents = 0
        var cursor = 0
        return grid.map { t in
            while cursor < times.count, times[cursor] <= t {
                cumulativeEvents += events[cursor]
                cursor += 1
            }
            let s = cursor == 0 ? 1 : survival[cursor - 1]
            let sigma = cursor == 0 ? 0 : greenwood[cursor - 1].squareRoot()
            var (lower, upper) = Self.interval(s, sigma, z, interval)
            let atRiskNow = followUp.count - RecurrentEvents.lowerBound(followUp, t)
            if method == .corrected, s == 1 || s == 0 {
                let m = Double(atRiskNow + cumulativeEvents)
                if s == 1 { (lower, upper) = (m > 0 ? Foundation.pow(alpha, 1 / m) : 0, 1) }
                if s == 0 { (lower, upper) = (0, 1 - Foundation.pow(alpha, 1 / m)) }
            }
            return CurvePoint(t: t, estimate: s, standardError: s * sigma, lower: lower, upper: upper,
                              atRisk: Double(atRiskNow), events: cumulativeEvents)
        }
    }

    static func interval(_ s: Double, _ sigma: Double, _ z: Double, _ kind: SurvivalInterval) -> (Double?, Double?) {
        if s == 1 { return (1, 1) }
        guard sigma.isFinite else { return (nil, nil) }
        switch kind {
        case .plain:
            return (max(0, s - z * s * sigma), min(1, s + z * s * sigma))
        case .log:
            guard s > 0 else { return (nil, nil) }
            return (s * exp(-z * sigma), min(1, s * exp(z * sigma)))
        case .logLog:
            guard s > 0 else { return (nil, nil) }
            let center = log(-log(s)), spread = z * sigma / log(s)
            let a = exp(-exp(center + spread)), b = exp(-exp(center - spread))
            return (min(a, b), max(a, b))
        }
    }

    /// The median time to first contact and its interval, read off the curve and its limits
    /// (Brookmeyer and Crowley, Biometrics 38:29–41, 1982): the first time each falls to 0.5 or
    /// below, or the midpoint to the next event time where it equals 0.5 exactly (as R reports it).
    public func median(confidence: Double = 0.95, interval: SurvivalInterval = .logLog) -> Estimate {
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        func crossing(_ value: (Int) -> Double?) -> Double? {
            for k in times.indices {
                guard let v = value(k) else { continue }
                if abs(v - 0.5) < 1e-12 * 0.5 {
                    return k + 1 < times.count ? (times[k] + times[k + 1]) / 2 : times[k]
                }
                if v < 0.5 { return times[k] }
            }
            return nil
        }
        let limits = times.indices.map { Self.interval(survival[$0], greenwood[$0].squareRoot(), z, interval) }
        return Estimate(crossing { survival[$0] }, lower: crossing { limits[$0].0 }, upper: crossing { limits[$0].1 })
    }
}

/// Interval scales for a survival probability (R's `conf.type`).
public enum SurvivalInterval: String, Sendable, CaseIterable {
    case plain, log
    case logLog = "log-log"
}
