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
/// ``IntervalMethod/corrected`` (the default) is the CR1 sandwich of each group, its sum scaled by
/// nₐ/(nₐ−1), nₐ the postings of group a with hours > 0: vₐ = nₐ/(nₐ−1) · Σ_{i∈a} (kᵢ − rₐTᵢ)² / Kₐ²
/// (R: `sandwich::vcovCL(glm(k ~ 1, poisson, offset = log(T)), cluster = ~posting, type = "HC0",
/// cadjust = TRUE)` of each group, the variances added), and the reference distribution is
/// Student's t with n₁ + n₂ − 2 degrees of freedom, for both the interval (`qt(1 − α/2, ν)`) and
/// the two-sided p (`2 * pt(-|log ratio| / se, ν)`). The coverage study chose it over CR2 (Bell
/// and McCaffrey) with Welch–Satterthwaite degrees of freedom, which covered 97.1% at 5 postings
/// when removal makes the windows unequal; this one holds 94.6–96.2% at 5, 10 and 40 postings.
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
        func summary(_ group: (contacts: [Int], hours: [Double])) -> (k: Int, t: Double, r: Double, meat: Double, n: Int) {
            let k = group.contacts.reduce(0, +), t = group.hours.reduce(0, +)
            let r = t > 0 ? Double(k) / t : 0
            let meat = zip(group.contacts, group.hours).reduce(0.0) { $0 + pow(Double($1.0) - r * $1.1, 2) }
            return (k, t, r, meat, group.hours.filter { $0 > 0 }.count)
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
            // One posting in an arm leaves no residual to estimate its variance.
            guard a.n > 1, b.n > 1 else { return }
            let va = a.meat * Double(a.n) / Double(a.n - 1) / Double(a.k * a.k)
            let vb = b.meat * Double(b.n) / Double(b.n - 1) / Double(b.k * b.k)
            let se = (va + vb).squareRoot()
            logStandardError = se
            guard se > 0 else { return }
            let nu = Double(a.n + b.n - 2)
            let q = SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: nu)
            degreesOfFreedom = nu
            lower = ratio * exp(-q * se)
            upper = ratio * exp(q * se)
            p = 2 * SpecialFunctions.studentTCDF(-abs(log(ratio)) / se, degreesOfFreedom: nu)
        }
    }
}
