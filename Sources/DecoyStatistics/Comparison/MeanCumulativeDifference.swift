/// The difference of two independent arms' mean cumulative contacts per posting at one time,
/// μ₁ − μ₂, with its interval and two-sided p.
///
/// The variances of independent arms add. ``IntervalMethod/classic``: each arm's Lawless–Nadeau
/// variance and a normal reference. ``IntervalMethod/corrected``: each arm's variance × nₐ/(nₐ−1)
/// (as ``MeanCumulativeFunction`` reports it) and Student's t with the Welch–Satterthwaite degrees
/// of freedom (v₁ + v₂)² / (v₁²/(n₁−1) + v₂²/(n₂−1)).
public struct MeanCumulativeDifference: Sendable, Equatable {
    /// One arm at the compared time.
    public struct Arm: Sendable, Equatable {
        /// μ, the arm's mean cumulative contacts per posting.
        public var estimate: Double
        /// Its standard error as the arm's estimator reports it for the interval method.
        public var standardError: Double?
        /// The arm's postings.
        public var postings: Int

        public init(estimate: Double, standardError: Double?, postings: Int) {
            self.estimate = estimate
            self.standardError = standardError
            self.postings = postings
        }
    }

    public var difference: Double
    /// The limits; `nil` when a standard error is undefined, the point itself when both are 0.
    public var lower: Double?
    public var upper: Double?
    /// Two-sided p; `nil` when the standard error is 0 or undefined.
    public var p: Double?

    public init(_ first: Arm, _ second: Arm, confidence: Double = 0.95, method: IntervalMethod = .corrected) {
        difference = first.estimate - second.estimate
        guard let (se, df) = Self.spread(first, second, method: method) else { return }
        guard se > 0, df.map({ $0 > 0 && $0.isFinite }) ?? true else {
            lower = difference
            upper = difference
            return
        }
        let q = df.map { SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: $0) }
            ?? SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        lower = difference - q * se
        upper = difference + q * se
        p = Self.pValue(first, second, method: method)
    }

    /// The difference with a given standard error and reference: Student's t on
    /// `degreesOfFreedom`, or the normal when `nil`; without a `confidence`, the p alone (what a
    /// power simulation needs).
    public init(difference: Double, standardError se: Double, degreesOfFreedom df: Double?, confidence: Double? = 0.95) {
        self.difference = difference
        guard se > 0, se.isFinite, df.map({ $0 > 0 && $0.isFinite }) ?? true else {
            lower = difference
            upper = difference
            return
        }
        if let confidence {
            let q = df.map { SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: $0) }
                ?? SpecialFunctions.normalQuantile(0.5 + confidence / 2)
            lower = difference - q * se
            upper = difference + q * se
        }
        let statistic = -abs(difference) / se
        p = df.map { 2 * SpecialFunctions.studentTCDF(statistic, degreesOfFreedom: $0) } ?? 2 * SpecialFunctions.normalCDF(statistic)
    }

    /// The jackknife over both arms' postings of μ₁(t) − μ₂(t) (the small-sample corrected
    /// inference of `compare`): each posting left out in turn, its arm's mean recomputed
    /// (``MeanCumulativeFunction/leaveOneOut(at:windows:times:counts:)``), variance
    /// (G − 1)/G · Σ (d₍₋ᵢ₎ − d)², Student's t on G − 1 degrees of freedom, G = n₁ + n₂.
    /// - Returns: `nil` when an arm has fewer than 2 postings.
    public static func jackknife(_ first: (estimate: Double, leftOut: [Double]), _ second: (estimate: Double, leftOut: [Double]),
                                 confidence: Double? = 0.95) -> MeanCumulativeDifference? {
        guard first.leftOut.count > 1, second.leftOut.count > 1 else { return nil }
        let d = first.estimate - second.estimate
        let g = Double(first.leftOut.count + second.leftOut.count)
        var sum = 0.0
        for mu in first.leftOut { sum += (mu - second.estimate - d) * (mu - second.estimate - d) }
        for mu in second.leftOut { sum += (first.estimate - mu - d) * (first.estimate - mu - d) }
        return MeanCumulativeDifference(difference: d, standardError: ((g - 1) / g * sum).squareRoot(), degreesOfFreedom: g - 1,
                                        confidence: confidence)
    }

    /// The two-sided p alone (what a power simulation needs): the interval's test of μ₁ = μ₂.
    public static func pValue(_ first: Arm, _ second: Arm, method: IntervalMethod) -> Double? {
        guard let (se, df) = spread(first, second, method: method), se > 0 else { return nil }
        let statistic = -abs(first.estimate - second.estimate) / se
        guard let df else { return 2 * SpecialFunctions.normalCDF(statistic) }
        guard df > 0, df.isFinite else { return nil }
        return 2 * SpecialFunctions.studentTCDF(statistic, degreesOfFreedom: df)
    }

    /// The difference's standard error and, for the corrected method, its degrees of freedom.
    static func spread(_ first: Arm, _ second: Arm, method: IntervalMethod) -> (Double, Double?)? {
        guard let seA = first.standardError, let seB = second.standardError else { return nil }
        let va = seA * seA, vb = seB * seB
        let se = (va + vb).squareRoot()
        switch method {
        case .classic:
            return (se, nil)
        case .corrected:
            // Both arms have n ≥ 2 here: a single posting has no corrected standard error.
            return (se, (va + vb) * (va + vb) / (va * va / Double(first.postings - 1) + vb * vb / Double(second.postings - 1)))
        }
    }
}
