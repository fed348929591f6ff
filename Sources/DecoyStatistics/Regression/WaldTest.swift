/// The Wald test that several coefficients are all zero, W = b̂ᵀ V⁻¹ b̂ for the q coefficients b̂ of
/// one term and their estimated covariance V.
///
/// - ``Reference/chiSquare``: W against χ²(q), R's `wald.test`-style joint test on a `coxph` fit,
///   `b %*% solve(V, b)` and `pchisq(W, q, lower.tail = FALSE)` (with q = 1 the square of the
///   z test).
/// - ``Reference/hotelling(clusters:)``: V estimated from G clusters (the jackknife over postings)
///   has, under normality, G − 1 degrees of freedom, and Hotelling's T² = W then gives
///   F = W · (G − q) / ((G − 1) q) on (q, G − q) degrees of freedom — the multivariate form of
///   Student's t on G − 1 (with q = 1, F = t² on (1, G − 1)); the small-sample reference
///   Cameron and Miller (J Human Resources 50:317–372, 2015, §VI) and Pustejovsky and Tipton
///   (J Business & Economic Statistics 36:672–683, 2018) discuss for few clusters.
///   R: `pf(W * (G - q) / ((G - 1) * q), q, G - q, lower.tail = FALSE)`.
public struct WaldTest: Sendable, Equatable {
    public enum Reference: Sendable, Equatable {
        case chiSquare
        case hotelling(clusters: Int)
    }

    /// W, the quadratic form.
    public var statistic: Double
    /// q, the number of coefficients tested.
    public var dimension: Int
    /// F = W (G − q) / ((G − 1) q) under ``Reference/hotelling(clusters:)``; `nil` under χ².
    public var fStatistic: Double?
    /// The denominator degrees of freedom G − q of the F reference; `nil` under χ².
    public var denominatorDegreesOfFreedom: Double?
    /// The upper-tail p.
    public var p: Double

    /// The test of `coefficients` (indices into `estimate`) with covariance `variance`; `nil` when
    /// their covariance is not positive definite or the reference has no degrees of freedom left
    /// (G ≤ q).
    public init?(estimate: [Double], variance: Matrix, coefficients: [Int], reference: Reference) {
        let q = coefficients.count
        guard q > 0 else { return nil }
        var block = Matrix(rows: q, columns: q)
        for (r, i) in coefficients.enumerated() {
            for (c, j) in coefficients.enumerated() { block[r, c] = variance[i, j] }
        }
        let b = coefficients.map { estimate[$0] }
        guard let solved = block.solve(b) else { return nil }
        let w = zip(b, solved).reduce(0) { $0 + $1.0 * $1.1 }
        guard w.isFinite, w >= 0 else { return nil }
        statistic = w
        dimension = q
        switch reference {
        case .chiSquare:
            p = SpecialFunctions.chiSquareSurvival(w, degreesOfFreedom: Double(q))
        case let .hotelling(g):
            guard g > q else { return nil }
            let f = w * Double(g - q) / (Double(g - 1) * Double(q))
            fStatistic = f
            denominatorDegreesOfFreedom = Double(g - q)
            p = SpecialFunctions.fSurvival(f, Double(q), Double(g - q))
        }
    }
}
