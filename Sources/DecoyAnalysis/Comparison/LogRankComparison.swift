public import DecoyStatistics

/// The log-rank test of time to first contact in two arms, as `compare` and `power` report it.
public struct LogRankComparison: Sendable, Equatable {
    /// The test; `nil` when its variance is 0 (no first contact at all): undefined, not χ² = 0.
    public var test: LogRank?
    /// The hazard ratio (O_A/E_A)/(O_B/E_B), `nil` where infinite or undefined.
    public var hazardRatio: Double?

    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) {
        guard let first = a.firstContact, let second = b.firstContact, a.postings > 0, b.postings > 0 else { return }
        let test = LogRank((first.followUp, first.contacted), (second.followUp, second.contacted))
        guard test.variance > 0 else { return }
        self.test = test
        let ratio = (test.observed.0 / test.expected.0) / (test.observed.1 / test.expected.1)
        hazardRatio = ratio.isFinite ? ratio : nil
    }

    /// The two-sided p.
    public var p: Double? { test?.p }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: hazardRatio, undefined: "no posting has a first contact, so the log-rank variance is 0")
    }
}
