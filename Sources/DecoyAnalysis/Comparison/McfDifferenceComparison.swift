public import DecoyStatistics

/// The difference of two arms' mean cumulative contacts per posting at one time, μ_A(t) − μ_B(t)
/// (``MeanCumulativeDifference``), as `compare` and `power` report it.
public struct McfDifferenceComparison: Sendable, Equatable {
    /// The time compared, in hours since going live.
    public var at: Double
    /// Each arm's μ(t) with its standard error; `nil` for an arm without postings.
    public var first: MeanCumulativeDifference.Arm?
    public var second: MeanCumulativeDifference.Arm?
    /// The difference with its interval and p; `nil` when an arm has no postings.
    public var difference: MeanCumulativeDifference?

    public init(_ a: ArmSample, _ b: ArmSample, at t: Double, settings: ComparisonSettings) {
        at = t
        first = Self.mean(a, at: t, method: settings.intervals)
        second = Self.mean(b, at: t, method: settings.intervals)
        if let first, let second {
            difference = MeanCumulativeDifference(first, second, confidence: settings.confidence, method: settings.intervals)
        }
    }

    /// The two-sided p.
    public var p: Double? { difference?.p }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: difference?.difference, undefined: "the standard error of the difference is 0 or undefined")
    }

    /// μ(t) and its standard error for the interval method: from each posting's contact times,
    /// or from counts alone when every window is t.
    static func mean(_ sample: ArmSample, at t: Double, method: IntervalMethod) -> MeanCumulativeDifference.Arm? {
        guard sample.postings > 0 else { return nil }
        var accumulator = MeanCumulativeAccumulator(windows: sample.windows, grid: [t])
        if let times = sample.times {
            for (i, posting) in times.enumerated() { accumulator.add(posting: i, times: posting) }
        } else {
            precondition(sample.everyWindowIs(t), "the mcf before the end of a window needs the contact times")
            for (i, count) in sample.counts.enumerated() { accumulator.add(posting: i, count: count) }
        }
        let point = accumulator.standardErrors(method: method)[0]
        return MeanCumulativeDifference.Arm(estimate: point.estimate ?? 0, standardError: point.standardError, postings: sample.postings)
    }
}
