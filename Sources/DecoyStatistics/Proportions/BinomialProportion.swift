/// A proportion of successes in independent trials: the share of simulated experiments in which
/// a test rejects, with an exact interval.
public enum BinomialProportion {
    /// The Clopper–Pearson ("exact") interval: lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0),
    /// upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n), α = 1 − confidence; R's
    /// `binom.test(x, n, conf.level = confidence)$conf.int`.
    /// - Precondition: 0 ≤ successes ≤ trials, trials ≥ 1.
    public static func clopperPearson(successes x: Int, trials n: Int, confidence: Double = 0.95) -> ConfidenceInterval {
        precondition(n >= 1 && x >= 0 && x <= n, "Clopper–Pearson needs 0 ≤ x ≤ n, n ≥ 1")
        let alpha = 1 - confidence
        let lower = x == 0 ? 0 : SpecialFunctions.betaQuantile(alpha / 2, Double(x), Double(n - x + 1))
        let upper = x == n ? 1 : SpecialFunctions.betaQuantile(1 - alpha / 2, Double(x + 1), Double(n - x))
        return ConfidenceInterval(lower: lower, upper: upper)
    }
}

extension SpecialFunctions {
    /// The quantile of Beta(a, b): the x in [0, 1] with I_x(a, b) = p, by bisection to the last
    /// bit (I_x is increasing in x), so it is as accurate as ``regularizedBeta(_:_:_:)``.
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        precondition(p >= 0 && p <= 1 && a > 0 && b > 0, "betaQuantile needs 0 ≤ p ≤ 1, a > 0, b > 0")
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        var low = 0.0, high = 1.0
        for _ in 0..<1_100 {
            let mid = 0.5 * (low + high)
            if mid <= low || mid >= high { break }
            if regularizedBeta(mid, a, b) < p { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }
}
