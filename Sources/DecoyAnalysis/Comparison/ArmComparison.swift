import DecoyModel
public import DecoyStatistics
import Foundation

/// `decoy compare`: two arms of a run set side by side (SPEC §6).
///
/// Arms of runs with different horizons are compared over the common part of their windows: both
/// are cut at the shorter horizon (contacts after it dropped, windows ended there), so every
/// quantity refers to the same hours since posting. Each test is the function ``ArmTest`` names,
/// the one `power` and `coverage` call too; quantities that the data leave undefined are `nil`
/// with the reason, never 0.
public struct ArmComparison: Sendable {
    /// One arm's summary.
    public struct Arm: Sendable, Equatable {
        public var name: String
        public var postings: Int
        public var contacts: Int
        /// Posting-hours observed (within the compared horizon).
        public var postingHours: Double
        /// Contacts per posting-hour; `nil` without observation time.
        public var rate: Double?
        /// Kaplan–Meier median time to first contact and its interval (log-log), in hours.
        public var medianTTFC: Estimate
        /// Mean cumulative contacts per posting at the compared time, with its standard error;
        /// `nil` for an arm without postings.
        public var mcf: MeanCumulativeDifference.Arm?
        /// The horizon of the arm's own run, in hours.
        public var runHorizon: Double
    }

    public var first: Arm
    public var second: Arm
    /// Rate of the first arm over the second, cluster-robust interval.
    public var rateRatio: RateRatio
    /// `nil` when an arm has no observation time.
    public var exactPoisson: ExactPoissonTest?
    public var logRank: LogRankComparison
    public var mcfDifference: McfDifferenceComparison
    /// The time the arms are compared up to: the shorter horizon of the two runs.
    public var horizon: Double
    public var settings: ComparisonSettings

    /// Whether the two runs' horizons differ (then the comparison stops at the shorter one).
    public var horizonsDiffer: Bool { first.runHorizon != second.runHorizon }

    /// Compares arm `first` with arm `second` (each pooled over replicates), possibly of two runs.
    public init(_ first: (data: RunValues, arm: String), _ second: (data: RunValues, arm: String),
                settings: ComparisonSettings = ComparisonSettings()) throws(AnalysisError) {
        let horizonA = first.data.run.horizon, horizonB = second.data.run.horizon
        let horizon = min(horizonA, horizonB)
        func members(_ side: (data: RunValues, arm: String)) throws(AnalysisError) -> (ArmDescription, ArmSample) {
            let record = try side.data.run.arm(named: side.arm)
            let events = side.data.events(ofArm: record.id)
            // Cut at the common horizon: windows end there, later contacts are not compared.
            return (record, ArmSample(RecurrentEvents(windows: events.windows.map { min($0, horizon) },
                                                      times: events.times.map { $0.filter { $0 <= horizon } })))
        }
        let (recordA, a) = try members(first), (recordB, b) = try members(second)
        self.horizon = horizon
        self.settings = settings
        rateRatio = RateRatio(a, b, settings: settings)
        exactPoisson = ExactPoissonTest.compare(a, b, settings: settings)
        logRank = LogRankComparison(a, b, settings: settings)
        mcfDifference = McfDifferenceComparison(a, b, at: horizon, settings: settings)
        func summary(_ record: ArmDescription, _ sample: ArmSample, mcf: MeanCumulativeDifference.Arm?, runHorizon: Double) -> Arm {
            let hours = sample.postingHours
            return Arm(name: record.name, postings: sample.postings, contacts: sample.contacts, postingHours: hours,
                       rate: hours > 0 ? Double(sample.contacts) / hours : nil,
                       medianTTFC: sample.firstContact!.kaplanMeier.median(confidence: settings.confidence),
                       mcf: mcf, runHorizon: runHorizon)
        }
        self.first = summary(recordA, a, mcf: mcfDifference.first, runHorizon: horizonA)
        self.second = summary(recordB, b, mcf: mcfDifference.second, runHorizon: horizonB)
    }
}
