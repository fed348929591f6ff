import Foundation

/// The closed-form power of comparing two Poisson or negative-binomial rates (Zhu and Lakkis,
/// "Sample size calculation for comparing two negative binomial rates", Statistics in Medicine
/// 33:376–387, 2014), with the variance of the Wald test under the alternative in numerator and
/// denominator (their method 1; statsmodels' `power_negbin_ratio_2indep(..., method_var="alt")`).
///
/// With μₐ the expected contacts per posting of group a over its exposure, n₁, n₂ postings and
/// dispersion k (0 for Poisson counts), the log rate ratio's variance is
/// s² = 1/(n₁μ₁) + 1/(n₂μ₂) + k(1/n₁ + 1/n₂), and the two-sided power at α is
/// Φ(−z + |ln ρ|/s) + Φ(−z − |ln ρ|/s), z = Φ⁻¹(1 − α/2), ρ = μ₁/μ₂ (equal exposures).
/// Zhu and Lakkis's sample size n₀ = (z + z₁₋β)² V₁ / (ln ρ)², V₁ = n₁s², neglects the second term.
public enum ZhuLakkis {
    /// The power, or `nil` when a group expects no contact (ρ is 0 or infinite).
    public static func power(meanCounts: (Double, Double), postings: (Int, Int), alpha: Double, dispersion: Double = 0) -> Double? {
        let (m1, m2) = meanCounts
        guard m1 > 0, m2 > 0, m1.isFinite, m2.isFinite, postings.0 > 0, postings.1 > 0 else { return nil }
        let n1 = Double(postings.0), n2 = Double(postings.1)
        let s = (1 / (n1 * m1) + 1 / (n2 * m2) + dispersion * (1 / n1 + 1 / n2)).squareRoot()
        let effect = abs(Foundation.log(m1 / m2)) / s
        let z = SpecialFunctions.normalQuantile(1 - alpha / 2)
        return SpecialFunctions.normalCDF(-z + effect) + SpecialFunctions.normalCDF(-z - effect)
    }
}
