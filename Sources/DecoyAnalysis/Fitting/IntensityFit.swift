public import DecoyModel
import DecoyStatistics
import Foundation

/// Maximum-likelihood fits of a posting's contact intensity, pooled over postings.
///
/// log L(θ) = Σⱼ log λ(tⱼ; θ) − Σᵢ Λ(Cᵢ; θ) over contacts tⱼ and windows Cᵢ (hours since going
/// live). Maximised over log-parameters by Nelder–Mead: coarse searches from three starts, the
/// best polished with a smaller simplex to 1e-12; standard errors are the square roots of the diagonal of the
/// inverse observed information (the negative Hessian of log L, by central differences). A fit
/// whose simplex did not close, whose Hessian is not negative definite, or whose estimate sits on
/// a parameter's boundary is reported as not converged.
public struct IntensityFit: Sendable {
    /// The models `fit` knows: the config's models without modifiers or self-excitation, named
    /// and parameterised as the config names them (``ResponseModel/Kind``).
    public enum Model: Sendable, CaseIterable {
        case poisson
        case exponentialDecay
        case powerLaw

        /// The config's model.
        public var kind: ResponseModel.Kind {
            switch self {
            case .poisson: .poisson
            case .exponentialDecay: .exponentialDecay
            case .powerLaw: .powerLaw
            }
        }

        /// The config's name of the model.
        public var rawValue: String { kind.rawValue }

        public init?(rawValue: String) {
            guard let model = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
            self = model
        }

        /// Parameter names as in the config (rates per hour, durations in hours).
        public var parameterNames: [String] { kind.parameters }

        /// The response model with parameters `p` in ``parameterNames`` order.
        func response(_ p: [Double]) -> ResponseModel {
            switch self {
            case .poisson: .poisson(rate: p[0])
            case .exponentialDecay: .exponentialDecay(initial: p[0], halfLife: p[1], baseline: p[2])
            case .powerLaw: .powerLaw(initial: p[0], scale: p[1], exponent: p[2], baseline: p[3])
            }
        }

        /// λ(t; θ), the config model's own intensity.
        func intensity(_ t: Double, _ p: [Double]) -> Double { response(p).intensity(at: t) }

        /// Λ(t; θ) = ∫₀ᵗ λ, the config model's own closed form.
        func cumulative(_ t: Double, _ p: [Double]) -> Double { response(p).cumulative(at: t) }
    }

    public var model: Model
    /// Estimates keyed by the config's parameter names.
    public var parameters: [(String, Double)]
    public var standardErrors: [(String, Double?)]
    public var logLikelihood: Double
    public var aic: Double
    /// Kolmogorov–Smirnov distance of the rescaled inter-contact gaps from Exp(1), and its
    /// asymptotic p (approximate: the parameters were estimated from the same data).
    public var ksStatistic: Double
    public var ksP: Double
    public var converged: Bool
    public var note: String?
    /// Whether the data define the fit (observation time, enough contacts, finite estimates);
    /// where they do not, its numbers are placeholders that presentations leave out.
    public var defined = true

    /// Fits `model` to contacts `times` (per posting, ascending) observed on `[0, windows[i]]`.
    public init(_ model: Model, windows: [Double], times: [[Double]]) {
        self.init(model, windows: windows, times: times, stopped: { false })
    }

    /// Fits as ``init(_:windows:times:)`` does, stopping at the next evaluation of the likelihood
    /// once `cancellation` is cancelled.
    public init(_ model: Model, windows: [Double], times: [[Double]], cancellation: Cancellation) throws(Cancelled) {
        self.init(model, windows: windows, times: times, stopped: { cancellation.isCancelled })
        try cancellation.check()
    }

    /// The fit; once `stopped()` holds, every likelihood is −∞ at once, so the optimiser ends in
    /// microseconds and the numbers mean nothing (the caller throws them away).
    private init(_ model: Model, windows: [Double], times: [[Double]], stopped: () -> Bool) {
        self.model = model
        let all = times.flatMap { $0 }
        let n = Double(all.count)
        let exposure = windows.reduce(0, +)
        let horizon = max(windows.max() ?? 1, 1e-9)
        func logLikelihood(_ p: [Double]) -> Double {
            if stopped() { return -.infinity }
            // After the check: a likelihood computed once cancelled is one too many.
            Failpoint.reach("fit-likelihood")
            var total = 0.0
            for t in all {
                let l = model.intensity(t, p)
                guard l > 0 else { return -.infinity }
                total += log(l)
            }
            for c in windows { total -= model.cumulative(c, p) }
            return total
        }
        var estimate: [Double]
        var converged = true
        var note: String?
        switch model {
        case .poisson:
            estimate = [n / exposure]
        default:
            // Natural parameters from log-parameters; the baseline may be exactly 0 (−∞ on the log scale).
            func natural(_ q: [Double]) -> [Double] { q.map { exp($0) } }
            let rate = max(n / exposure, 1e-9)
            var starts: [[Double]] = []
            for scale in [horizon / 20, horizon / 5, horizon / 60] {
                switch model {
                case .exponentialDecay: starts.append([log(rate * 10), log(scale), log(rate / 10)])
                default: starts.append([log(rate * 10), log(scale), log(1.5), log(rate / 10)])
                }
            }
            // Coarse searches from each start; the best is then polished with a smaller simplex.
            var coarse: NelderMead.Result?
            for start in starts {
                let result = NelderMead.minimize({ -logLikelihood(natural($0)) }, start: start, step: start.map { _ in 0.5 }, tolerance: 1e-7)
                if coarse == nil || result.value < coarse!.value { coarse = result }
            }
            let best: NelderMead.Result? = NelderMead.minimize({ -logLikelihood(natural($0)) }, start: coarse!.point, step: coarse!.point.map { _ in 0.05 })
            estimate = natural(best!.point)
            converged = best!.converged
            if !converged { note = "the optimiser did not converge" }
            if let baseline = estimate.last, baseline < 1e-8 * max(estimate[0], 1e-300) {
                note = "the baseline is at its boundary (0); its standard error is not defined"
                estimate[estimate.count - 1] = baseline
            }
        }
        // Observed information by central differences on the natural scale.
        let k = estimate.count
        var hessian = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        let h = estimate.map { max(abs($0) * 1e-4, 1e-10) }
        for i in 0..<k {
            for j in i..<k {
                func at(_ di: Double, _ dj: Double) -> Double {
                    var p = estimate
                    p[i] += di * h[i]
                    p[j] += dj * h[j]
                    return logLikelihood(p)
                }
                let value = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[i] * h[j])
                hessian[i][j] = value
                hessian[j][i] = value
            }
        }
        let covariance = Self.invert(hessian.map { $0.map { -$0 } })
        var errors: [Double?] = (0..<k).map { i in
            guard let c = covariance, c[i][i] > 0, c[i][i].isFinite else { return nil }
            return c[i][i].squareRoot()
        }
        if covariance == nil || errors.contains(where: { $0 == nil }) {
            if note == nil { note = "the observed information is not positive definite; standard errors are not defined" }
            if model != .poisson, note?.hasPrefix("the baseline") != true { converged = false }
        }
        if note?.hasPrefix("the baseline") == true { errors[k - 1] = nil }
        // A fit is defined only with observation time, at least as many contacts as parameters,
        // and finite estimates; otherwise it says so instead of reporting numbers.
        let parameterCount = model.parameterNames.count
        var defined = true
        if exposure <= 0 || !exposure.isFinite {
            defined = false
            converged = false
            note = "the arm has no observation time (every window is empty); no model can be fitted"
        } else if model != .poisson, all.count < parameterCount {
            defined = false
            converged = false
            note = "\(parameterCount) parameters need at least \(parameterCount) contacts; the arm has \(all.count)"
        } else if !estimate.allSatisfy(\.isFinite) {
            defined = false
            converged = false
            note = "the estimate is not finite; the model cannot be fitted to these data"
        }
        let logL = logLikelihood(estimate)
        self.parameters = zip(model.parameterNames, estimate).map { ($0, $1) }
        self.standardErrors = zip(model.parameterNames, errors).map { ($0, $1) }
        self.logLikelihood = logL
        self.aic = 2 * Double(k) - 2 * logL
        self.converged = converged
        self.note = note
        self.defined = defined
        // Time rescaling: gaps of Λ between consecutive contacts of each posting ~ Exp(1).
        var gaps: [Double] = []
        for list in times {
            var previous = 0.0
            for t in list {
                let value = model.cumulative(t, estimate)
                gaps.append(value - previous)
                previous = value
            }
        }
        (ksStatistic, ksP) = Self.kolmogorovSmirnovExponential(gaps)
    }

    /// KS distance of samples from Exp(1) and the asymptotic p-value with Stephens' correction,
    /// P(K > (√n + 0.12 + 0.11/√n) D), K the Kolmogorov distribution.
    static func kolmogorovSmirnovExponential(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 1) }
        let sorted = values.sorted()
        let n = Double(sorted.count)
        var d = 0.0
        for (i, x) in sorted.enumerated() {
            let f = -expm1(-x)
            d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
        }
        let lambda = (n.squareRoot() + 0.12 + 0.11 / n.squareRoot()) * d
        var p = 0.0
        for j in 1...100 {
            let term = 2 * (j % 2 == 1 ? 1.0 : -1.0) * exp(-2 * Double(j * j) * lambda * lambda)
            p += term
            if abs(term) < 1e-16 { break }
        }
        return (d, min(1, max(0, p)))
    }

    /// Inverse of a small symmetric positive-definite matrix by Cholesky; `nil` if not positive definite.
    static func invert(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i][i] = sum.squareRoot()
                } else {
                    l[i][j] = sum / l[j][j]
                }
            }
        }
        // inverse = (L⁻¹)ᵀ L⁻¹
        var inverseL = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            inverseL[i][i] = 1 / l[i][i]
            for j in 0..<i {
                var sum = 0.0
                for k in j..<i { sum -= l[i][k] * inverseL[k][j] }
                inverseL[i][j] = sum / l[i][i]
            }
        }
        return (0..<n).map { i in (0..<n).map { j in (max(i, j)..<n).reduce(0) { $0 + inverseL[$1][i] * inverseL[$1][j] } } }
    }
}
