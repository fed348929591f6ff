import DecoyModel
import DecoySimulation
public import DecoyStatistics

/// The response curves `decoy curves` computes (docs/statistics.md).
public enum CurveMetric: String, Sendable, CaseIterable {
    /// Mean cumulative contacts per posting, Nelson–Aalen with robust variance.
    case mcf
    /// Contacts per posting-hour in each grid bin, cluster-robust interval never narrower than
    /// Garwood's (default; Garwood's below three postings exposed) or Garwood's.
    case rate
    /// `mcf` over each contactor's first contact with each posting.
    case unique
    /// The model's exact mean cumulative contacts per posting given the observation windows.
    case expected
    /// Kaplan–Meier probability that a posting has had no contact yet.
    case ttfc
}

/// How postings are pooled into curves.
public enum CurveGrouping: String, Sendable, CaseIterable {
    /// One curve per arm, replicates pooled.
    case arm
    /// One curve per arm and replicate.
    case replicate
}

/// What to compute; `nil` grid and until mean the run's own grid and horizon.
public struct CurveRequest: Sendable {
    public var metrics: [CurveMetric]
    /// Grid step in hours.
    public var grid: Double?
    /// Last grid time in hours.
    public var until: Double?
    public var grouping: CurveGrouping
    public var confidence: Double
    /// The interval scale, or `nil` for each metric's default (log for `mcf` and `unique`,
    /// log-log for `ttfc`; `rate` intervals take no scale, see ``BinnedRate``).
    public var interval: SurvivalInterval?
    /// Small-sample corrected cluster-robust intervals (the default), or R's classic ones.
    public var intervals: IntervalMethod

    public init(metrics: [CurveMetric] = [.mcf, .rate], grid: Double? = nil, until: Double? = nil,
                grouping: CurveGrouping = .arm, confidence: Double = 0.95, interval: SurvivalInterval? = nil,
                intervals: IntervalMethod = .corrected) {
        self.metrics = metrics
        self.grid = grid
        self.until = until
        self.grouping = grouping
        self.confidence = confidence
        self.interval = interval
        self.intervals = intervals
    }
}

/// One row of the curves table (docs/outputs.md).
public struct CurveRow: Sendable, Equatable {
    public var runID: Int64
    public var arm: String
    /// `nil` when replicates are pooled.
    public var replicate: Int?
    public var metric: CurveMetric
    /// The metric's value at `point.t`. Its `atRisk` is a count of postings for every metric but
    /// `rate`, where it is the posting-hours at risk in the bin: ``postingsAtRisk`` and
    /// ``exposureHours`` hold each meaning alone.
    public var point: CurvePoint
    /// Postings at risk at `point.t`: for `mcf`, `unique`, `expected` and `rate` (at the bin's
    /// start) those whose window reaches t, Y(t); for `ttfc`, those not contacted before t whose
    /// window reaches t. `nil` where it was not counted.
    public var postingsAtRisk: Int?

    /// Posting-hours at risk in a `rate` bin (T, the rate's denominator); `nil` for other metrics.
    public var exposureHours: Double? { metric == .rate ? point.atRisk : nil }

    /// - Parameter postingsAtRisk: for `rate`, the postings at risk at the bin's start (the point
    ///   does not hold it); for other metrics `nil` takes the point's count.
    public init(runID: Int64, arm: String, replicate: Int? = nil, metric: CurveMetric, point: CurvePoint, postingsAtRisk: Int? = nil) {
        self.runID = runID
        self.arm = arm
        self.replicate = replicate
        self.metric = metric
        self.point = point
        self.postingsAtRisk = postingsAtRisk ?? (metric == .rate ? nil : Int(point.atRisk))
    }
}

/// Reads a stored run and computes its curves; the estimators themselves live in DecoyStatistics.
public enum CurveBuilder {
    /// The most grid points one curve may have (`until / grid + 1`).
    public static let maximumGridPoints = 100_000

    /// The grid step and the last grid time in microseconds; refuses a step under 1 µs (times are
    /// stored in whole microseconds), an `until` past the run's horizon (no posting is observed
    /// beyond it), and more than ``maximumGridPoints`` points.
    static func bounds(of run: RunDescription, request: CurveRequest) throws(AnalysisError) -> (grid: Int64, until: Int64) {
        if let grid = request.grid, !(grid * Units.microsPerHour >= 1) {
            throw .request("\(Setting.curveStep) \(Units.durationText(hours: grid)) is under 1 µs, the resolution contact times are stored in; choose a step of at least 1 µs such as `1m`")
        }
        if let grid = request.grid, !(grid * Units.microsPerHour <= Double(run.horizonMicros)) {
            throw .request("\(Setting.curveStep) \(Units.durationText(hours: grid)) is longer than the run's horizon \(Units.durationText(hours: run.horizon)); choose a step of at most the horizon")
        }
        if let until = request.until, !(until * Units.microsPerHour <= Double(run.horizonMicros)) {
            throw .request("\(Setting.curveEnd) \(Units.durationText(hours: until)) is past the run's horizon \(Units.durationText(hours: run.horizon)); no posting is observed beyond it")
        }
        let grid = request.grid.map(Units.micros(hours:)) ?? run.gridMicros
        let until = request.until.map(Units.micros(hours:)) ?? run.horizonMicros
        let points = until / max(grid, 1) + 1
        guard grid >= 1, points <= Int64(maximumGridPoints) else {
            throw .request("\(Setting.curveStep) \(Units.durationText(hours: hours(grid))) up to \(Units.durationText(hours: hours(until))) gives \(until) µs / \(grid) µs + 1 = \(points) grid points per curve, more than the \(maximumGridPoints) allowed; choose a coarser \(Setting.curveStep) or a shorter \(Setting.curveEnd)")
        }
        return (grid, until)
    }

    /// The curves of a run, arm by arm in config order (then replicate), metric by metric.
    ///
    /// Contacts are read once, posting by posting, into per-group accumulators, so memory grows
    /// with the postings and the grid but not with the contacts; `ttfc` alone reads only each
    /// posting's first contact.
    public static func curves(of source: some ContactSource, request: CurveRequest) throws -> [CurveRow] {
        let run = source.run
        let arms = run.arms
        let postings = run.postings
        let model = request.metrics.contains(.expected) ? try ExpectedCurve(run) : nil
        // For mean counts, log(−log S) with S = e^(−μ) is log μ: log-log is the log interval.
        let countInterval: IntervalKind = request.interval == .plain ? .plain : .log

        let (gridMicros, untilMicros) = try bounds(of: run, request: request)
        var gridPoints: [Double] = []
        var binStarts: [Double] = []
        var k: Int64 = 0
        while k * gridMicros <= untilMicros {
            gridPoints.append(hours(k * gridMicros))
            if k * gridMicros < untilMicros { binStarts.append(hours(k * gridMicros)) }
            k += 1
        }
        if let last = gridPoints.last, last < hours(untilMicros) { gridPoints.append(hours(untilMicros)) }

        // Groups in output order: arm, then replicate.
        var groups: [CurveGroup] = []
        for arm in arms {
            let members = postings.indices.filter { postings[$0].arm == arm.id }
            switch request.grouping {
            case .arm:
                groups.append(CurveGroup(arm: arm, replicate: nil, members: members))
            case .replicate:
                let replicates = Set(members.map { postings[$0].replicate }).sorted()
                for replicate in replicates {
                    groups.append(CurveGroup(arm: arm, replicate: replicate, members: members.filter { postings[$0].replicate == replicate }))
                }
            }
        }
        groups.removeAll { $0.members.isEmpty }

        // Where each posting's contacts go: its group and its place in the group.
        var place = [(group: Int, member: Int)?](repeating: nil, count: postings.count)
        for (g, group) in groups.enumerated() {
            for (m, index) in group.members.enumerated() { place[index] = (g, m) }
        }
        let metrics = Set(request.metrics)
        var states = groups.map { group in
            GroupState(windows: group.members.map { hours(postings[$0].windowMicros) }, metrics: metrics,
                       grid: gridPoints, binStarts: binStarts, width: hours(gridMicros), until: hours(untilMicros))
        }
        if !metrics.isDisjoint(with: [.mcf, .rate, .unique, .expected]) {
            var times: [Double] = []
            try source.forEachPosting(contactors: metrics.contains(.unique)) { posting, micros, contactors in
                guard let (g, m) = place[posting] else { return }
                times.removeAll(keepingCapacity: true)
                for us in micros { times.append(hours(us)) }
                states[g].add(member: m, times: times, contactors: contactors)
            }
            for g in states.indices { states[g].addUncontacted() }
        } else if metrics.contains(.ttfc) {
            for (posting, micros) in try source.firstContacts() {
                guard let (g, m) = place[posting] else { continue }
                states[g].firstContact[m] = hours(micros)
            }
        }

        var rows: [CurveRow] = []
        for (group, state) in zip(groups, states) {
            for metric in request.metrics {
                let points: [CurvePoint]
                switch metric {
                case .mcf:
                    points = state.mcf?.estimate(confidence: request.confidence, interval: countInterval, method: request.intervals) ?? []
                case .rate:
                    points = state.rate?.estimate(confidence: request.confidence, method: request.intervals) ?? []
                case .unique:
                    points = state.unique?.estimate(confidence: request.confidence, interval: countInterval, method: request.intervals) ?? []
                case .ttfc:
                    let km = KaplanMeier(followUp: zip(state.firstContact, state.windows).map { $0 ?? $1 },
                                         contacted: state.firstContact.map { $0 != nil })
                    points = km.estimate(at: gridPoints, confidence: request.confidence, interval: request.interval ?? .logLog, method: request.intervals)
                case .expected:
                    guard let model, let counted = state.counted ?? state.mcf else { preconditionFailure("the expected curve's model and counts are prepared with the request") }
                    points = model.curve(postings: group.members.map { postings[$0] }, windows: state.windows,
                                         events: counted.estimate().map(\.events), at: gridPoints)
                }
                rows += points.map {
                    CurveRow(runID: run.id, arm: group.arm.name, replicate: group.replicate, metric: metric, point: $0,
                             postingsAtRisk: metric == .rate ? state.postingsAtRisk(at: $0.t) : nil)
                }
            }
        }
        return rows
    }

}

/// One curve's postings: an arm, or an arm's replicate.
struct CurveGroup {
    var arm: ArmDescription
    var replicate: Int?
    /// Indices into the run's postings.
    var members: [Int]
}

/// The accumulators of one group, fed posting by posting.
struct GroupState {
    let windows: [Double]
    let ascendingWindows: [Double]
    var mcf: MeanCumulativeAccumulator?
    var unique: MeanCumulativeAccumulator?
    var rate: BinnedRateAccumulator?
    /// Contacts up to each grid time, for `expected`.
    var counted: MeanCumulativeAccumulator?
    /// Each member's first contact, if it had one.
    var firstContact: [Double?]

    init(windows: [Double], metrics: Set<CurveMetric>, grid: [Double], binStarts: [Double], width: Double, until: Double) {
        self.windows = windows
        ascendingWindows = windows.sorted()
        mcf = metrics.contains(.mcf) ? MeanCumulativeAccumulator(windows: windows, grid: grid) : nil
        unique = metrics.contains(.unique) ? MeanCumulativeAccumulator(windows: windows, grid: grid) : nil
        rate = metrics.contains(.rate)
            ? BinnedRateAccumulator(windows: windows, binStarts: binStarts, width: width, until: until, resolution: 1 / Units.microsPerHour) : nil
        counted = metrics.contains(.expected) && !metrics.contains(.mcf) ? MeanCumulativeAccumulator(windows: windows, grid: grid) : nil
        firstContact = Array(repeating: nil, count: windows.count)
        added = Array(repeating: false, count: windows.count)
    }

    /// Whether each member's contacts have been added.
    var added: [Bool]

    /// Y(t): the members whose window reaches `t` (hours), as `mcf` counts them.
    func postingsAtRisk(at t: Double) -> Int { RecurrentEvents.atRisk(t, sortedWindows: ascendingWindows) }

    /// Adds the members that had no contacts: they count in the variance as postings at risk.
    mutating func addUncontacted() {
        for member in added.indices where !added[member] { add(member: member, times: [], contactors: []) }
    }

    /// Adds a member's contact times (ascending) and, for `unique`, each contact's contactor.
    mutating func add(member: Int, times: [Double], contactors: [Int64?]) {
        added[member] = true
        mcf?.add(posting: member, times: times)
        rate?.add(posting: member, times: times)
        counted?.add(posting: member, times: times)
        firstContact[member] = times.first
        if unique != nil {
            // Each contactor's first contact with the posting; contacts without a contactor all count.
            var seen: Set<Int64> = []
            let firsts = zip(times, contactors).filter { _, contactor in contactor.map { seen.insert($0).inserted } ?? true }.map(\.0)
            unique?.add(posting: member, times: firsts)
        }
    }
}


extension CurveBuilder {
    /// The model's mean of the `mcf` estimand for some postings of a simulated run (positions in
    /// `run.postings`) at each of `times` (hours, ascending): the `expected` metric's values at
    /// any times, not only a grid's.
    public static func expected(of run: RunDescription, postings members: [Int], at times: [Double]) throws(AnalysisError) -> [Double] {
        let model = try ExpectedCurve(run)
        let postings = members.map { run.postings[$0] }
        return model.curve(postings: postings, windows: postings.map(\.window), events: times.map { _ in 0 }, at: times).map { $0.estimate ?? 0 }
    }
}
