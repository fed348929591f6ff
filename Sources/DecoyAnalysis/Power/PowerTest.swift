public import DecoySimulation
public import DecoyStatistics

/// A two-sided test of two arms as `compare` computes it, applied to one simulated experiment.
public enum PowerTest: String, Sendable, CaseIterable {
    /// The rate ratio's Wald test with the cluster-robust variance (``RateRatio``): undefined when
    /// an arm has no contact or the standard error is 0.
    case rateRatio = "rate-ratio"
    /// The exact conditional test of the arms' totals given their posting-hours
    /// (``ExactPoissonTest``): always defined.
    case exactPoisson = "exact-poisson"
    /// The log-rank test on time to first contact (``LogRank``): undefined without a first contact.
    case logrank
    /// The difference of mean contacts per posting at the horizon (``MeanCumulativeDifference``):
    /// undefined when its standard error is 0.
    case mcfDifference = "mcf-difference"

    /// The test's effect estimate, as `compare` reports it.
    public var effectName: String {
        switch self {
        case .rateRatio, .exactPoisson: "rate ratio"
        case .logrank: "hazard ratio (O/E)"
        case .mcfDifference: "mcf difference"
        }
    }

    /// What the test needs of each posting; `removal`: whether the arm's windows can end early
    /// (then the mcf needs the contact times, else counts determine it).
    public func needs(removal: Bool) -> PostingNeeds {
        switch self {
        case .rateRatio, .exactPoisson: .count
        case .logrank: .firstContact
        case .mcfDifference: removal ? .times : .count
        }
    }

    /// The test's result on one experiment: its two-sided p and effect estimate (`nil` where
    /// infinite), or `nil` where the test is undefined.
    public struct Outcome: Sendable, Equatable {
        public var p: Double
        public var effect: Double?
    }

    /// Applies the test to arm A's postings `a` and arm B's `b` observed up to `horizon` hours.
    public func apply(_ a: ArraySlice<SampledPosting>, _ b: ArraySlice<SampledPosting>, horizon: Double,
                      method: IntervalMethod) -> Outcome? {
        switch self {
        case .rateRatio:
            let test = RateRatio.test((a.map(\.count), a.map(\.window)), (b.map(\.count), b.map(\.window)), method: method)
            guard let p = test.p else { return nil }
            return Outcome(p: p, effect: test.ratio)
        case .exactPoisson:
            var ka = 0, kb = 0, ta = 0.0, tb = 0.0
            for posting in a { ka += posting.count; ta += posting.window }
            for posting in b { kb += posting.count; tb += posting.window }
            guard ta > 0, tb > 0 else { return nil }
            let p = ExactPoissonTest.pValue(contacts: (ka, kb), hours: (ta, tb))
            return Outcome(p: p, effect: kb > 0 ? (Double(ka) / ta) / (Double(kb) / tb) : nil)
        case .logrank:
            let test = LogRank((a.map { $0.firstContact ?? $0.window }, a.map { $0.firstContact != nil }),
                               (b.map { $0.firstContact ?? $0.window }, b.map { $0.firstContact != nil }))
            guard test.variance > 0 else { return nil }
            let hazardA = test.observed.0 / test.expected.0, hazardB = test.observed.1 / test.expected.1
            let ratio = hazardA / hazardB
            return Outcome(p: test.p, effect: ratio.isFinite ? ratio : nil)
        case .mcfDifference:
            let first = Self.meanAtHorizon(a, horizon: horizon, method: method)
            let second = Self.meanAtHorizon(b, horizon: horizon, method: method)
            guard let p = MeanCumulativeDifference.pValue(first, second, method: method) else { return nil }
            return Outcome(p: p, effect: first.estimate - second.estimate)
        }
    }

    /// μ(H) and its standard error for the method, from counts when every window is the horizon.
    static func meanAtHorizon(_ postings: ArraySlice<SampledPosting>, horizon: Double, method: IntervalMethod)
        -> MeanCumulativeDifference.Arm {
        let windows = postings.map(\.window)
        var accumulator = MeanCumulativeAccumulator(windows: windows, grid: [horizon])
        let equal = windows.allSatisfy { $0 == horizon }
        for (i, posting) in postings.enumerated() {
            if equal && posting.times.isEmpty {
                accumulator.add(posting: i, count: posting.count)
            } else {
                accumulator.add(posting: i, times: posting.times)
            }
        }
        let point = accumulator.standardErrors(method: method)[0]
        return (point.estimate ?? 0, point.standardError, postings.count)
    }
}
