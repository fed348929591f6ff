import DecoyModel
public import DecoyStatistics
import Foundation

/// `decoy compare`: two arms of a run set side by side (SPEC §6).
///
/// Arms of runs with different horizons are compared over the common part of their windows: both
/// are cut at the shorter horizon (contacts after it dropped, windows ended there), so every
/// quantity — rate ratio, log-rank, medians, mean counts — refers to the same hours since posting.
/// Quantities that an empty arm leaves undefined are `nil`, never 0.
public struct ArmComparison: Sendable {
    /// One arm's summary.
    public struct Arm: Sendable {
        public var name: String
        public var postings: Int
        public var contacts: Int
        /// Posting-hours observed (within the compared horizon).
        public var postingHours: Double
        /// Contacts per posting-hour; `nil` without observation time.
        public var rate: Double?
        /// Kaplan–Meier median time to first contact and its interval (log-log), in hours.
        public var medianTTFC: (Double?, Double?, Double?)
        /// Mean cumulative contacts per posting at the compared horizon with its standard error;
        /// `nil` for an arm without postings.
        public var mcfAtHorizon: Double?
        public var mcfStandardError: Double?
        /// The horizon of the arm's own run, in hours.
        public var runHorizon: Double
    }

    public var arms: (Arm, Arm)
    /// Rate of the first arm over the second, cluster-robust interval.
    public var rateRatio: RateRatio
    /// `nil` when an arm has no postings.
    public var logRank: LogRank?
    /// μ₁(H) − μ₂(H) with its interval (independent arms: variances add); `nil` when an arm has no
    /// postings. Classic: each arm's Lawless–Nadeau variance and a normal quantile. Corrected: each
    /// arm's variance × nₐ/(nₐ−1) and Student's t with the Welch–Satterthwaite degrees of freedom
    /// (v₁ + v₂)² / (v₁²/(n₁−1) + v₂²/(n₂−1)).
    public var mcfDifference: Double?
    public var mcfDifferenceLower: Double?
    public var mcfDifferenceUpper: Double?
    /// The two-sided p of μ₁ = μ₂ from the same standard error and reference.
    public var mcfDifferenceP: Double?
    /// The exact conditional test of equal rates given the arms' totals and posting-hours
    /// (ignores overdispersion); `nil` when an arm has no observation time.
    public var exactPoisson: ExactPoissonTest?
    /// The time the arms are compared up to: the shorter horizon of the two runs.
    public var horizon: Double
    /// The interval method every interval here was computed with.
    public var method: IntervalMethod

    /// Whether the two runs' horizons differ (then the comparison stops at the shorter one).
    public var horizonsDiffer: Bool { arms.0.runHorizon != arms.1.runHorizon }

    /// Compares arm `first` with arm `second` (each pooled over replicates), possibly of two runs.
    public init(_ first: (data: RunValues, arm: String), _ second: (data: RunValues, arm: String), confidence: Double = 0.95,
                method: IntervalMethod = .corrected) throws(AnalysisError) {
        let horizonA = first.data.run.horizon, horizonB = second.data.run.horizon
        let horizon = min(horizonA, horizonB)
        func members(_ side: (data: RunValues, arm: String)) throws(AnalysisError) -> (ArmDescription, RecurrentEvents) {
            let record = try side.data.run.arm(named: side.arm)
            let events = side.data.events(ofArm: record.id)
            // Cut at the common horizon: windows end there, later contacts are not compared.
            return (record, RecurrentEvents(windows: events.windows.map { min($0, horizon) },
                                            times: events.times.map { $0.filter { $0 <= horizon } }))
        }
        let (recordA, a) = try members(first), (recordB, b) = try members(second)
        func summary(_ record: ArmDescription, _ data: RecurrentEvents, runHorizon: Double) -> Arm {
            let hours = data.windows.reduce(0, +)
            let km = FirstContact(data).kaplanMeier
            let mcf = data.count > 0 ? MeanCumulativeFunction.estimate(data, at: [horizon], confidence: confidence, method: method)[0] : nil
            return Arm(name: record.name, postings: data.count, contacts: data.contactCount, postingHours: hours,
                       rate: hours > 0 ? Double(data.contactCount) / hours : nil, medianTTFC: km.median(confidence: confidence),
                       mcfAtHorizon: mcf?.estimate, mcfStandardError: mcf?.standardError, runHorizon: runHorizon)
        }
        let armA = summary(recordA, a, runHorizon: horizonA), armB = summary(recordB, b, runHorizon: horizonB)
        arms = (armA, armB)
        rateRatio = RateRatio((a.times.map(\.count), a.windows), (b.times.map(\.count), b.windows), confidence: confidence, method: method)
        if a.count > 0, b.count > 0 {
            let firstA = FirstContact(a), firstB = FirstContact(b)
            logRank = LogRank((firstA.followUp, firstA.contacted), (firstB.followUp, firstB.contacted))
        }
        if armA.postingHours > 0, armB.postingHours > 0 {
            exactPoisson = ExactPoissonTest(contacts: (a.contactCount, b.contactCount), hours: (armA.postingHours, armB.postingHours),
                                            confidence: confidence)
        }
        if let muA = armA.mcfAtHorizon, let muB = armB.mcfAtHorizon {
            let difference = MeanCumulativeDifference((muA, armA.mcfStandardError, a.count), (muB, armB.mcfStandardError, b.count),
                                                      confidence: confidence, method: method)
            mcfDifference = difference.difference
            mcfDifferenceLower = difference.lower
            mcfDifferenceUpper = difference.upper
            mcfDifferenceP = difference.p
        }
        self.horizon = horizon
        self.method = method
    }

}
