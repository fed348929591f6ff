extension SpecialFunctions {
    // MARK: - F distribution

    /// Survival function (upper tail) of Fisher's F distribution with d₁ and d₂ degrees of freedom.
    ///
    /// - Parameters:
    ///   - f: the point, f ≥ 0 (+∞ allowed).
    ///   - d1, d2: degrees of freedom, both > 0 (need not be integers).
    /// - Returns: Pr(F > f) = I_{d₂/(d₂ + d₁f)}(d₂/2, d₁/2) (Abramowitz and Stegun 26.6.2), formed
    ///   from ``regularizedBeta(_:_:_:)`` with both x and 1 − x computed directly, so small tails
    ///   keep their relative precision. R: `pf(f, d1, d2, lower.tail = FALSE)`.
    public static func fSurvival(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
        precondition(d1 > 0 && d2 > 0, "fSurvival requires positive degrees of freedom")
        guard f > 0 else { return 1 }
        guard f.isFinite else { return 0 }
        let denominator = d2 + d1 * f
        return regularizedBeta(d2 / denominator, complement: d1 * f / denominator, d2 / 2, d1 / 2)
    }
}
