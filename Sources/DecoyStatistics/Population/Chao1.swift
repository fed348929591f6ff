import Foundation

/// Chao's bias-corrected lower-bound estimate of the number of distinct contactors, from how many
/// were seen once (f₁) and twice (f₂).
///
/// Ŝ = S_obs + f₁(f₁ − 1) / (2(f₂ + 1)), with variance
/// f₁(f₁−1)/(2(f₂+1)) + f₁(2f₁−1)²/(4(f₂+1)²) + f₁²f₂(f₁−1)²/(4(f₂+1)⁴) and the log-normal interval
/// of Chao (Biometrics 43:783–791, 1987): with T = Ŝ − S_obs and
/// K = exp(z √log(1 + Var/T²)), [S_obs + T/K, S_obs + T·K]. Without anyone seen once (f₁ = 0,
/// so T = 0 and that interval has no width) the interval is EstimateS's (Colwell, User's Guide,
/// eq. 14; scikit-bio's `chao1_ci`): with N contacts and P = exp(−N/S_obs),
/// [max(S_obs, S_obs/(1 − P) − z√(S_obs·P/(1 − P))), S_obs/(1 − P) + z√(S_obs·P/(1 − P))].
/// With f₁ = 1 (T = 0 again) it stays [S_obs, S_obs], as EstimateS has it.
public struct Chao1: Sendable, Equatable {
    public var observed: Int
    public var f1: Int
    public var f2: Int
    public var estimate: Double
    public var variance: Double
    public var lower: Double
    public var upper: Double

    /// From each distinct contactor's number of contacts (all ≥ 1).
    public init(counts: [Int], confidence: Double = 0.95) {
        observed = counts.count
        f1 = counts.filter { $0 == 1 }.count
        f2 = counts.filter { $0 == 2 }.count
        let a = Double(f1), b = Double(f2)
        let unseen = a * (a - 1) / (2 * (b + 1))
        estimate = Double(observed) + unseen
        variance = a * (a - 1) / (2 * (b + 1)) + a * pow(2 * a - 1, 2) / (4 * pow(b + 1, 2)) + a * a * b * pow(a - 1, 2) / (4 * pow(b + 1, 4))
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        guard unseen > 0 else {
            let s = Double(observed)
            lower = s
            upper = s
            guard f1 == 0, observed > 0 else { return }
            let p = exp(-Double(counts.reduce(0, +)) / s)
            let spread = z * (s * p / (1 - p)).squareRoot()
            lower = max(s, s / (1 - p) - spread)
            upper = s / (1 - p) + spread
            return
        }
        let k = exp(z * log(1 + variance / (unseen * unseen)).squareRoot())
        lower = Double(observed) + unseen / k
        upper = Double(observed) + unseen * k
    }
}
