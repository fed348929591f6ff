import Foundation

/// The ratio of two groups' contact rates (contacts per posting-hour) with a cluster-robust interval.
///
/// rate = Σ kᵢ / Σ Tᵢ per group; ratio = rate₁ / rate₂. Counts of one posting are overdispersed
/// and correlated, so the variance of log(ratio) is the sandwich with postings as clusters:
/// Σ_{i∈1} (kᵢ − r₁Tᵢ)² / K₁² + Σ_{i∈2} (kᵢ − r₂Tᵢ)² / K₂², K = Σ k. Under
/// ``IntervalMethod/classic`` this is R's `glm(contacts ~ arm, family = poisson, offset = log(hours))`
/// with `sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = FALSE)`, Wald interval
/// and two-sided p on the log scale with normal quantiles.
///
/// ``IntervalMethod/corrected`` (the default) is the CR2 sandwich of Bell and McCaffrey (Survey
/// Methodology 28:169–181, 2002): each squared residual is divided by 1 − hᵢ, hᵢ = Tᵢ/T of its
/// group being the posting's leverage in the Poisson fit, so vₐ = Σ_{i∈a} (kᵢ − rₐTᵢ)² / (1 − Tᵢ/Tₐ) / Kₐ²
/// (R: the same fit with `sandwich::vcovCL(fit, cluster = ~posting, type = "HC2")`, equal to
/// `vcovHC(fit, type = "HC2")` with one row per posting); the
/// reference distribution is Student's t with the Welch–Satterthwaite degrees of freedom
/// ν = (v₁ + v₂)² / (v₁²/(n₁−1) + v₂²/(n₂−1)), nₐ the postings of group a with hours > 0, for
/// both the interval (`qt(1 − α/2, ν)`) and the two-sided p (`2 * pt(-|log ratio| / se, ν)`).
public struct RateRatio: Sendable, Equatable {
    public var rates: (Double, Double)
    public var contacts: (Int, Int)
    public var hours: (Double, Double)
    public var ratio: Double?
    public var logStandardError: Double?
    public var lower: Double?
    public var upper: Double?
    public var p: Double?
    /// The t reference's degrees of freedom (corrected method), `nil` for the normal reference.
    public var degreesOfFreedom: Double?

    public static func == (a: RateRatio, b: RateRatio) -> Bool {
        a.rates == b.rates && a.contacts == b.contacts && a.hours == b.hours && a.ratio == b.ratio
            && a.logStandardError == b.logStandardError && a.lower == b.lower && a.upper == b.upper && a.p == b.p
            && a.degreesOfFreedom == b.degreesOfFreedom
    }

    /// Per-posting contact counts and hours observed of each group.
    public init(_ first: (contacts: [Int], hours: [Double]), _ second: (contacts: [Int], hours: [Double]), confidence: Double = 0.95,
                method: IntervalMethod = .corrected) {
        func summary(_ group: (contacts: [Int], hours: [Double])) -> (k: Int, t: Double, r: Double, meat: Double, cr2: Double?, n: Int) {
            let k = group.contacts.reduce(0, +), t = group.hours.reduce(0, +)
            let r = t > 0 ? Double(k) / t : 0
            let meat = zip(group.contacts, group.hours).reduce(0.0) { $0 + pow(Double($1.0) - r * $1.1, 2) }
            var cr2: Double? = 0
            for (c, h) in zip(group.contacts, group.hours) where h > 0 {
                let leverage = h / t
                guard leverage < 1 else { cr2 = nil; break }
                cr2? += pow(Double(c) - r * h, 2) / (1 - leverage)
            }
            return (k, t, r, meat, cr2, group.hours.filter { $0 > 0 }.count)
        }
        let a = summary(first), b = summary(second)
        rates = (a.r, b.r)
        contacts = (a.k, b.k)
        hours = (a.t, b.t)
        guard a.k > 0, b.k > 0 else { return }
        let ratio = a.r / b.r
        self.ratio = ratio
        switch method {
        case .classic:
            let se = (a.meat / Double(a.k * a.k) + b.meat / Double(b.k * b.k)).squareRoot()
            let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
            logStandardError = se
            lower = ratio * exp(-z * se)
            upper = ratio * exp(z * se)
            p = se > 0 ? 2 * SpecialFunctions.normalCDF(-abs(log(ratio)) / se) : nil
        case .corrected:
            // One posting in an arm has leverage 1: no residual is left to estimate its variance.
            guard let cr2A = a.cr2, let cr2B = b.cr2, a.n > 1, b.n > 1 else { return }
            let va = cr2A / Double(a.k * a.k), vb = cr2B / Double(b.k * b.k)
            let se = (va + vb).squareRoot()
            logStandardError = se
            guard se > 0 else { return }
            let nu = (va + vb) * (va + vb) / (va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1))
            let q = SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: nu)
            degreesOfFreedom = nu
            lower = ratio * exp(-q * se)
            upper = ratio * exp(q * se)
            p = 2 * SpecialFunctions.studentTCDF(-abs(log(ratio)) / se, degreesOfFreedom: nu)
        }
    }
}
