public import DecoyAnalysis
public import DecoyModel
public import DecoyStatistics
public import DecoyStore
import Foundation

/// Everything `decoy report` shows of a run, computed by the same code as the commands that
/// print each part: `curves` (mcf with the model's expected curve, rate bins with the default
/// intervals), Kaplan–Meier of time to first contact, `compare`, `fit`, `population`, `show`.
public struct RunReport: Sendable {
    /// One arm's summary line.
    public struct ArmSummary: Sendable {
        public var name: String
        public var postings: Int
        public var contacts: Int
        public var distinctContactors: Int?
        public var removed: Int
        /// Kaplan–Meier median time to first contact, hours, with its interval.
        public var medianTTFC: Estimate
        /// Contacts within the first two hours after going live.
        public var firstTwoHours: Int
        public var contactsPerPosting: Double? { postings > 0 ? Double(contacts) / Double(postings) : nil }
    }

    /// One arm's time to first contact: the Kaplan–Meier curve at every time it changes.
    public struct Survival: Sendable {
        public var arm: String
        /// 0 and each distinct first-contact or censoring time (or, past
        /// ``RunReport/maximumSurvivalTimes`` of them, the grid), with the estimate right after it.
        public var points: [CurvePoint]
        public var followUp: [Double]
        public var contacted: [Bool]

        /// Postings still without contact and observed at `t` (at risk at t).
        public func atRisk(_ t: Double) -> Int { followUp.filter { $0 >= t }.count }

        /// The estimate in force at `t` (right-continuous), by binary search.
        public func estimate(at t: Double) -> Double? {
            var low = 0, high = points.count
            while low < high {
                let mid = (low + high) / 2
                if points[mid].t <= t { low = mid + 1 } else { high = mid }
            }
            return low > 0 ? points[low - 1].estimate : nil
        }

        /// Censoring times (window ends without a contact).
        public var censored: [Double] { zip(followUp, contacted).filter { !$0.1 }.map(\.0) }
    }

    /// Another run's arm drawn beside this run's.
    public struct Overlay: Sendable {
        public var label: String
        public var mcf: [CurveRow]
        public var survival: Survival
    }

    public var record: RunRecord
    public var status: RunStatus
    /// The run's resolved config (arms, models, description).
    public var config: ExperimentConfig
    /// For an observed run, what was observed of its design (go-live times, windows, channels
    /// used), which the page shows instead of the config's simulation settings; `nil` when simulated.
    public var observed: ObservedDesign?
    public var grid: Double
    public var confidence: Double
    public var arms: [ArmSummary]
    /// `mcf` and, for simulated runs, `expected` (intervals corrected).
    public var mcf: [CurveRow]
    /// `rate` bins with the default (corrected) intervals.
    public var rate: [CurveRow]
    public var survival: [Survival]
    public var overlay: Overlay?
    public var comparison: ArmComparison?
    /// The regression asked for with `report --terms` (``ProportionalRatesRegression``).
    public var regression: ProportionalRatesRegression?
    public var fits: [ArmFits]
    public var population: PopulationEstimate

    /// The request for the mcf chart, as `decoy curves --metric mcf,expected --grid G` makes it.
    public static func mcfRequest(grid: Double?, confidence: Double, expected: Bool) -> CurveRequest {
        CurveRequest(metrics: expected ? [.mcf, .expected] : [.mcf], grid: grid, grouping: .arm, confidence: confidence, intervals: .corrected)
    }

    /// The request for the rate chart: `decoy curves --metric rate`, the default (corrected,
    /// cluster-robust) bin intervals, so that the page and the command give one answer.
    public static func rateRequest(grid: Double?, confidence: Double) -> CurveRequest {
        CurveRequest(metrics: [.rate], grid: grid, grouping: .arm, confidence: confidence, intervals: .corrected)
    }

    /// - Parameters:
    ///   - compared: the two arms of the comparison (default the first two).
    ///   - against: another run and one of its arms, overlaid on the charts.
    ///   - grid: the curves' step in hours (default the run's grid).
    ///   - regression: the model of a forest plot, as `decoy regress` fits it.
    ///   - cancellation: stops the report between its parts and inside its fits (``Cancelled``).
    public init(_ run: StoredRun, database: Database, compared: (String, String)? = nil, against: (StoredRun, String)? = nil,
                grid: Double? = nil, confidence: Double = 0.95, regression: RegressionSettings? = nil,
                cancellation: Cancellation = .never) throws {
        record = run.record
        status = RunLiveness.effectiveStatus(run.record)
        config = try StoredConfig.load(run.record).config
        observed = try ObservedDesign(run.record, database: database)
        let span = config.horizon
        if let grid, span / grid + 1 > Double(Self.maximumPointsPerCurve) {
            let finest = Int((span * 3600 / Double(Self.maximumPointsPerCurve - 1)).rounded(.up))
            throw AnalysisError.request("a report draws at most \(Self.maximumPointsPerCurve) points per curve, and the grid given gives \(Int((span / grid).rounded(.down)) + 1) over the horizon of \(Units.durationText(hours: span)); choose a grid of at least \(finest) s (`decoy curves` gives finer grids as numbers)")
        }
        // The run's own grid, coarsened where it would draw more points than a page can hold.
        let runGrid = Double(run.run.gridMicros) / Units.microsPerHour
        let step = grid ?? max(runGrid, runGrid * (span / runGrid / Double(Self.maximumPointsPerCurve - 1)).rounded(.up))
        self.grid = step
        self.confidence = confidence
        // One read of the run: its values (with the model's config for the expected curve) feed
        // every part of the report.
        let simulated = run.record.source == .simulated
        let values = try (simulated ? try StoredRun(run.record, in: database, model: true) : run).values(contactors: true)
        try cancellation.check()
        mcf = try CurveBuilder.curves(of: values, request: Self.mcfRequest(grid: step, confidence: confidence, expected: simulated))
        try cancellation.check()
        rate = try CurveBuilder.curves(of: values, request: Self.rateRequest(grid: step, confidence: confidence))
        try cancellation.check()
        let description = values.run
        let horizon = description.horizon
        survival = description.arms.map { arm in
            Self.survival(values.events(ofArm: arm.id), arm: arm.name, confidence: confidence, grid: step, horizon: horizon)
        }
        arms = description.arms.map { arm in
            let members = description.members(ofArm: arm.id)
            let events = values.events(members)
            var who = Set<Int64>()
            var known = !values.contactors.isEmpty
            for i in members {
                for id in values.contactors.isEmpty ? [] : values.contactors[i] {
                    if let id { who.insert(id) } else { known = false }
                }
            }
            let km = FirstContact(events).kaplanMeier
            return ArmSummary(
                name: arm.name, postings: members.count, contacts: events.contactCount, distinctContactors: known ? who.count : nil,
                removed: members.filter { description.postings[$0].window < horizon }.count,
                medianTTFC: km.median(confidence: confidence),
                firstTwoHours: events.times.reduce(0) { $0 + $1.filter { $0 <= 2 }.count })
        }
        let names = description.arms.map(\.name)
        try cancellation.check()
        if let against {
            let other = try against.0.values()
            let arm = try other.run.arm(named: against.1)
            let request = Self.mcfRequest(grid: step, confidence: confidence, expected: false)
            overlay = Overlay(
                label: "run \(against.0.record.id): \(against.1)",
                mcf: try CurveBuilder.curves(of: other, request: request).filter { $0.arm == arm.name },
                survival: Self.survival(other.events(ofArm: arm.id), arm: arm.name, confidence: confidence, grid: step,
                                        horizon: other.run.horizon))
            if let first = compared?.0 ?? names.first {
                comparison = try ArmComparison((values, first), (other, against.1), settings: ComparisonSettings(confidence: confidence))
            }
        } else if let pair = compared ?? (names.count >= 2 ? (names[0], names[1]) : nil) {
            comparison = try ArmComparison((values, pair.0), (values, pair.1), settings: ComparisonSettings(confidence: confidence))
        }
        try cancellation.check()
        if var model = regression {
            model.confidence = confidence
            self.regression = try ProportionalRatesRegression(values, settings: model)
            try cancellation.check()
        }
        fits = try names.map { try ArmFits(values, arm: $0, models: IntensityFit.Model.allCases, cancellation: cancellation) }
        population = PopulationEstimate(values, confidence: confidence)
    }

    /// The most grid points one curve of a page may have: at 2 s over 48 h a page was 142 MB.
    public static let maximumPointsPerCurve = 5_000

    /// Kaplan–Meier is drawn at each distinct time up to this many; beyond, on the curves' grid.
    public static let maximumSurvivalTimes = 2_000

    static func survival(_ events: RecurrentEvents, arm: String, confidence: Double, grid: Double, horizon: Double) -> Survival {
        let first = FirstContact(events)
        let km = first.kaplanMeier
        var times = [0] + Array(Set(first.followUp)).sorted()
        if times.count > maximumSurvivalTimes {
            let steps = Int((horizon / grid).rounded(.down))
            times = (0...steps).map { Double($0) * grid }
        }
        return Survival(arm: arm, points: km.estimate(at: times, confidence: confidence), followUp: first.followUp, contacted: first.contacted)
    }
}
