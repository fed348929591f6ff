import DecoyModel
public import DecoyStatistics
public import DecoyStore

/// The response curves `decoy curves` computes (SPEC §6).
public enum CurveMetric: String, Sendable, CaseIterable {
    /// Mean cumulative contacts per posting, Nelson–Aalen with robust variance.
    case mcf
    /// Contacts per posting-hour in each grid bin, Garwood interval.
    case rate
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
    public var interval: IntervalKind

    public init(metrics: [CurveMetric] = [.mcf, .rate], grid: Double? = nil, until: Double? = nil,
                grouping: CurveGrouping = .arm, confidence: Double = 0.95, interval: IntervalKind = .log) {
        self.metrics = metrics
        self.grid = grid
        self.until = until
        self.grouping = grouping
        self.confidence = confidence
        self.interval = interval
    }
}

/// One row of the curves table (SPEC §5).
public struct CurveRow: Sendable, Equatable {
    public var runID: Int64
    public var arm: String
    /// `nil` when replicates are pooled.
    public var replicate: Int?
    public var metric: CurveMetric
    public var point: CurvePoint

    /// The SPEC §5 column names.
    public static let columns = ["run_id", "arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "at_risk", "events"]
}

/// Reads a stored run and computes its curves; the estimators themselves live in DecoyStatistics.
public enum CurveBuilder {
    /// The curves of `run`, arm by arm in config order (then replicate), metric by metric.
    public static func curves(of run: RunRecord, in database: Database, request: CurveRequest) throws -> [CurveRow] {
        let arms = try database.arms(run: run.id)
        let postings = try database.postings(run: run.id)
        var slot: [Int64: Int] = [:]
        for (index, posting) in postings.enumerated() { slot[posting.id] = index }
        var times = [[Double]](repeating: [], count: postings.count)
        try database.forEachContactTime(run: run.id) { posting, micros in
            if let index = slot[posting] { times[index].append(hours(micros)) }
        }

        let gridMicros = request.grid.map(SimulationUnits.micros) ?? run.gridMicros
        let untilMicros = request.until.map(SimulationUnits.micros) ?? run.horizonMicros
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
        var groups: [(arm: ArmRecord, replicate: Int?, members: [Int])] = []
        for arm in arms {
            let members = postings.indices.filter { postings[$0].arm == arm.id }
            switch request.grouping {
            case .arm:
                groups.append((arm, nil, members))
            case .replicate:
                let replicates = Set(members.map { postings[$0].replicate }).sorted()
                for replicate in replicates {
                    groups.append((arm, replicate, members.filter { postings[$0].replicate == replicate }))
                }
            }
        }

        var rows: [CurveRow] = []
        for group in groups where !group.members.isEmpty {
            let data = RecurrentEvents(
                windows: group.members.map { hours(postings[$0].windowMicros) },
                times: group.members.map { times[$0] })
            for metric in request.metrics {
                let points: [CurvePoint]
                switch metric {
                case .mcf:
                    points = MeanCumulativeFunction.estimate(data, at: gridPoints, confidence: request.confidence, interval: request.interval)
                case .rate:
                    points = BinnedRate.estimate(data, binStarts: binStarts, width: hours(gridMicros), until: hours(untilMicros), confidence: request.confidence)
                }
                rows += points.map { CurveRow(runID: run.id, arm: group.arm.name, replicate: group.replicate, metric: metric, point: $0) }
            }
        }
        return rows
    }

    static func hours(_ micros: Int64) -> Double { Double(micros) / 3.6e9 }
}

/// Conversions between hours and the stored microseconds.
public enum SimulationUnits {
    /// Hours to whole microseconds, rounding to nearest.
    public static func micros(_ hours: Double) -> Int64 { Int64((hours * 3.6e9).rounded()) }
}
