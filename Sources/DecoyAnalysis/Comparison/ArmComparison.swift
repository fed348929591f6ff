import DecoyModel
public import DecoyStatistics
import Foundation

/// `decoy compare`: two arms of a run set side by side (docs/statistics.md).
///
/// The headline is the proportional-rates ratio (contact intensities at the same age since going
/// live, removal as censoring) beside its randomization test; then the mcf difference where it is
/// supported, the log-rank test of first contact, and the crude rate ratio and exact Poisson test,
/// labelled with what they assume and warned where the data contradict it.
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
        /// The id of the run the arm was read from (0 for an experiment held in memory).
        public var run: Int64
        public var postings: Int
        public var contacts: Int
        /// Posting-hours observed (within the compared horizon).
        public var postingHours: Double
        /// Contacts per posting-hour; `nil` without observation time.
        public var rate: Double?
        /// Kaplan–Meier median time to first contact and its interval (log-log), in hours.
        public var medianTTFC: Estimate
        /// Mean cumulative contacts per posting at the mcf difference's time, with its standard
        /// error and interval as `curves` gives them; `nil` where that time is undefined.
        public var mcf: CurvePoint?
        /// The same at the compared horizon.
        public var mcfAtHorizon: CurvePoint?
        /// Postings whose window ended before the compared horizon.
        public var removed: Int
        /// The horizon of the arm's own run, in hours.
        public var runHorizon: Double
    }

    public var first: Arm
    public var second: Arm
    public var proportionalRates: ProportionalRatesComparison
    public var randomization: RandomizationComparison
    public var mcfDifference: McfDifferenceComparison
    public var logRank: LogRankComparison
    /// Rate of the first arm over the second, contacts per posting-hour, cluster-robust interval.
    public var rateRatio: RateRatio
    /// `nil` when an arm has no observation time.
    public var exactPoisson: ExactPoissonTest?
    /// Where the crude rate ratio and the exact test's assumptions fail.
    public var caveats: CrudeRateCaveats
    /// The time the arms are compared up to: the shorter horizon of the two runs.
    public var horizon: Double
    public var settings: ComparisonSettings

    /// Whether the two runs' horizons differ (then the comparison stops at the shorter one).
    public var horizonsDiffer: Bool { first.runHorizon != second.runHorizon }

    /// Compares arm `first` with arm `second` (each pooled over replicates), possibly of two runs.
    /// - Throws: ``AnalysisError`` for an unknown arm, or a time for the mcf difference beyond the horizon.
    public init(_ first: (data: RunValues, arm: String), _ second: (data: RunValues, arm: String),
                settings: ComparisonSettings = ComparisonSettings()) throws(AnalysisError) {
        let horizonA = first.data.run.horizon, horizonB = second.data.run.horizon
        let horizon = min(horizonA, horizonB)
        if let at = settings.mcfAt, at > horizon {
            throw .request("the mcf difference cannot be read at \(String(format: "%.15g", at)) h, beyond the \(String(format: "%.15g", horizon)) h compared; give a time within it")
        }
        func members(_ side: (data: RunValues, arm: String)) throws(AnalysisError) -> (ArmDescription, ArmSample) {
            let record = try side.data.run.arm(named: side.arm)
            let events = side.data.events(ofArm: record.id)
            // Cut at the common horizon: windows end there, later contacts are not compared.
            return (record, ArmSample(name: record.name, RecurrentEvents(windows: events.windows.map { min($0, horizon) },
                                                                         times: events.times.map { $0.filter { $0 <= horizon } })))
        }
        let (recordA, a) = try members(first), (recordB, b) = try members(second)
        self.horizon = horizon
        self.settings = settings
        proportionalRates = ProportionalRatesComparison(a, b, settings: settings)
        randomization = RandomizationComparison(a, b, settings: settings)
        mcfDifference = McfDifferenceComparison(a, b, settings: settings)
        logRank = LogRankComparison(a, b, settings: settings)
        rateRatio = RateRatio(a, b, settings: settings)
        exactPoisson = ExactPoissonTest.compare(a, b, settings: settings)
        caveats = CrudeRateCaveats(a, b, horizon: horizon)
        let at = mcfDifference.at
        func summary(_ record: ArmDescription, _ sample: ArmSample, run: Int64, runHorizon: Double) -> Arm {
            let hours = sample.postingHours
            var mcf: [CurvePoint?] = [nil, nil]
            if let events = sample.events, sample.postings > 0 {
                let times = [at ?? horizon, horizon]
                let points = MeanCumulativeFunction.estimate(events, at: Array(Set(times)).sorted(), confidence: settings.confidence, method: settings.intervals)
                mcf = times.map { t in points.first { $0.t == t } }
                if at == nil { mcf[0] = nil }
            }
            return Arm(name: record.name, run: run, postings: sample.postings, contacts: sample.contacts, postingHours: hours,
                       rate: hours > 0 ? Double(sample.contacts) / hours : nil,
                       medianTTFC: sample.firstContact!.kaplanMeier.median(confidence: settings.confidence),
                       mcf: mcf[0], mcfAtHorizon: mcf[1], removed: sample.windows.filter { $0 < horizon }.count, runHorizon: runHorizon)
        }
        self.first = summary(recordA, a, run: first.data.run.id, runHorizon: horizonA)
        self.second = summary(recordB, b, run: second.data.run.id, runHorizon: horizonB)
    }

    /// Whether the two arms were read from two runs.
    public var armsOfTwoRuns: Bool { first.run != second.run }

    /// An arm as people read it: its name, and its run's where the arms come from two runs (an
    /// observed `adult` against the simulated `adult` it was planned with).
    public func label(_ arm: Arm) -> String { armsOfTwoRuns ? "\(arm.name) (run \(arm.run))" : arm.name }
}
