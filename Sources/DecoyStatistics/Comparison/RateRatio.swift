import Foundation

/// The ratio of two groups' contact rates (contacts per posting-hour) with a cluster-robust interval.
///
/// rate = Σ kᵢ / Σ Tᵢ per group; ratio = rate₁ / rate₂. Counts of one posting are overdispersed
/// and correlated, so the variance of log(ratio) is the sandwich with postings as clusters:
/// Σ_{i∈1} (kᵢ − r₁Tᵢ)² / K₁² + Σ_{i∈2} (kᵢ − r₂Tᵢ)² / K₂², K = Σ k. This is R's
/// `glm(contacts ~ arm, family = poisson, offset = log(hours))` with
/// `sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = FALSE)`. Wald interval
/// and two-sided p on the log scale.
public struct RateRatio: Sendable, Equatable {
    public var rates: (Double, Double)
    public var contacts: (Int, Int)
    public var hours: (Double, Double)
    public var ratio: Double?
    public var logStandardError: Double?
    public var lower: Double?
    public var upper: Double?
    public var p: Double?

    public static func == (a: RateRatio, b: RateRatio) -> Bool {
        a.rates == b.rates && a.contacts == b.contacts && a.hours == b.hours && a.ratio == b.ratio
            && a.logStandardError == b.logStandardError && a.lower == b.lower && a.upper == b.upper && a.p == b.p
    }

    /// Per-posting contact counts and hours observed of each group.
    public init(_ first: (contacts: [Int], hours: [Double]), _ second: (contacts: [Int], hours: [Double]), confidence: Double = 0.95) {
        func summary(_ group: (contacts: [Int], hours: [Double])) -> (k: Int, t: Double, r: Double, meat: Double) {
            let k = group.contacts.reduce(0, +), t = group.hours.reduce(0, +)
            let r = t > 0 ? Double(k) / t : 0
            let meat = zip(group.contacts, group.hours).reduce(0.0) { $0 + pow(Double($1.0) - r * $1.1, 2) }
            return (k, t, r, meat)
        }
        let a = summary(first), b = summary(second)
        rates = (a.r, b.r)
        contacts = (a.k, b.k)
        hours = (a.t, b.t)
        guard a.k > 0, b.k > 0 else { return }
        let ratio = a.r / b.r
        let se = (a.meat / Double(a.k * a.k) + b.meat / Double(b.k * b.k)).squareRoot()
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        self.ratio = ratio
        logStandardError = se
        lower = ratio * exp(-z * se)
        upper = ratio * exp(z * se)
        p = se > 0 ? 2 * SpecialFunctions.normalCDF(-abs(log(ratio)) / se) : nil
    }
}
