import DecoySimulation
public import DecoyStatistics

/// The log-rank test of time to first contact in two arms, as `compare` and `power` report it.
///
/// ``IntervalMethod/classic``: χ² on one degree of freedom, R's `survdiff(Surv(time, status) ~ arm)`.
/// ``IntervalMethod/corrected`` (default): the permutation distribution of O − E
/// (``PermutationTest``), because survdiff's χ² over-rejects at few postings (7–11% at 3 to 5
/// per arm, 7% at 10): its exact p over every assignment where they number at most
/// ``ComparisonSettings/Randomization/enumerationLimit`` (10 postings against 10 and below; coin's
/// `logrank_test(…, distribution = exact())`), else its normal approximation with the exact
/// permutation variance (coin's default `logrank_test(…)`), which held 3.5–6.5% from there on in
/// the type I study while survdiff's hypergeometric variance still gave up to 7%.
public struct LogRankComparison: Sendable, Equatable {
    /// The test; `nil` when its variance is 0 (no first contact at all): undefined, not χ² = 0.
    public var test: LogRank?
    /// The exact permutation distribution of O − E, where it gives the p.
    public var permutation: PermutationTest?
    /// The normal approximation to it (corrected, beyond the enumeration limit).
    public var permutationNormalP: Double?
    /// The hazard ratio (O_A/E_A)/(O_B/E_B), `nil` where infinite or undefined.
    public var hazardRatio: Double?

    /// Whether any posting of either arm has a first contact.
    public var anyFirstContact = false

    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) {
        guard let first = a.firstContact, let second = b.firstContact, a.postings > 0, b.postings > 0 else { return }
        anyFirstContact = (first.contacted + second.contacted).contains(true)
        let test = LogRank((first.followUp, first.contacted), (second.followUp, second.contacted))
        guard test.variance > 0 else { return }
        self.test = test
        let ratio = (test.observed.0 / test.expected.0) / (test.observed.1 / test.expected.1)
        hazardRatio = ratio.isFinite ? ratio : nil
        if settings.intervals == .corrected {
            let followUp = first.followUp + second.followUp, contacted = first.contacted + second.contacted
            let scores = PooledResiduals.residuals(windows: followUp, times: zip(followUp, contacted).map { $1 ? [$0] : [] })
            let inFirst = Array(repeating: true, count: a.postings) + Array(repeating: false, count: b.postings)
            let limit = settings.randomization.enumerationLimit
            if PermutationTest.assignments(a.postings + b.postings, a.postings) <= Double(limit) {
                var unused = SplitMix64(seed: 0)  // every assignment is enumerated: nothing is drawn
                permutation = PermutationTest(scores: scores, inFirst: inFirst, enumerationLimit: limit, using: &unused)
            } else {
                permutationNormalP = PermutationTest.normalApproximation(scores: scores, inFirst: inFirst)
            }
        }
    }

    /// The two-sided p: the permutation p (corrected), or survdiff's (classic).
    public var p: Double? {
        guard test != nil else { return nil }
        return permutation?.p ?? permutationNormalP ?? test?.p
    }

    /// Why the test is undefined, when it is.
    public var undefined: String? {
        guard test == nil else { return nil }
        if !anyFirstContact { return "no posting has a first contact" }
        return "no first contact happens while postings of both arms are followed, so the log-rank variance is 0"
    }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: hazardRatio, undefined: undefined)
    }
}
