public import DecoyModel

/// What analysis knows of a run besides its contacts: its arms and the observation window of every
/// posting, in canonical order. A stored run and an experiment simulated in memory give the same
/// description, so every analysis serves both.
///
/// Times are whole microseconds, as stored; estimators read them in hours (``hours(_:)``).
public struct RunDescription: Sendable {
    /// The stored run's id; 0 for an experiment held in memory.
    public var id: Int64
    public var source: RunSource
    /// Whether the run finished; an analysis of an unfinished run covers what it holds.
    public var status: RunStatus
    /// The experiment's horizon and default grid, in microseconds.
    public var horizonMicros: Int64
    public var gridMicros: Int64
    public var arms: [ArmDescription]
    /// Every posting, in canonical order (replicate, arm, index); contacts refer to their position.
    public var postings: [PostingDescription]
    /// The verified resolved config of a simulated run, for its model's `expected` curve;
    /// `nil` when it is not needed or the run holds observed data.
    public var model: ExperimentConfig?
    /// The offset from UTC of local time (that of the config's `start`), in seconds: the clock
    /// of `posted_hour` and `posted_weekday`.
    public var utcOffsetSeconds: Int

    public init(
        id: Int64, source: RunSource, status: RunStatus = .complete, horizonMicros: Int64, gridMicros: Int64,
        arms: [ArmDescription], postings: [PostingDescription], model: ExperimentConfig? = nil, utcOffsetSeconds: Int = 0
    ) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.id = id
        self.source = source
        self.status = status
        self.horizonMicros = horizonMicros
        self.gridMicros = gridMicros
        self.arms = arms
        self.postings = postings
        self.model = model
    }

    /// The horizon in hours.
    public var horizon: Double { hours(horizonMicros) }

    /// The positions of an arm's postings, optionally of one replicate.
    public func members(ofArm arm: Int, replicate: Int? = nil) -> [Int] {
        postings.indices.filter { postings[$0].arm == arm && (replicate == nil || postings[$0].replicate == replicate) }
    }

    /// The arm named `name`, or a located error listing the run's arms.
    public func arm(named name: String) throws(AnalysisError) -> ArmDescription {
        guard let arm = arms.first(where: { $0.name == name }) else {
            let names = arms.map(\.name)
            throw AnalysisError.unknownArm(run: id, arm: name, known: names)
        }
        return arm
    }
}

/// One arm of a run.
public struct ArmDescription: Sendable, Equatable {
    /// Position of the arm in the config, 0-based.
    public var id: Int
    public var name: String
    /// The population its contactors come from, and its size for simulated runs.
    public var population: String
    public var populationSize: Int?
    /// The config's `attributes:` labels of the arm (platform, section, …).
    public var attributes: [String: String]

    public init(id: Int, name: String, population: String, populationSize: Int?, attributes: [String: String] = [:]) {
        self.attributes = attributes
        self.id = id
        self.name = name
        self.population = population
        self.populationSize = populationSize
    }
}

/// One posting: where it sits in the design and how long it was observed.
public struct PostingDescription: Sendable, Equatable {
    /// Replicate, 1-based.
    public var replicate: Int
    /// Position of its arm in the config.
    public var arm: Int
    /// Index within the arm, 0-based.
    public var index: Int
    /// Length of its observation window, in microseconds.
    public var windowMicros: Int64
    /// When it went live, microseconds since the Unix epoch.
    public var postedAtMicros: Int64
    /// Its own values of attributes (an observed postings file's `attr_<name>` columns), as written.
    public var attributes: [String: String]

    public init(replicate: Int, arm: Int, index: Int, windowMicros: Int64, postedAtMicros: Int64 = 0, attributes: [String: String] = [:]) {
        self.postedAtMicros = postedAtMicros
        self.attributes = attributes
        self.replicate = replicate
        self.arm = arm
        self.index = index
        self.windowMicros = windowMicros
    }

    /// The window in hours.
    public var window: Double { hours(windowMicros) }
}

/// Whole microseconds as hours, the unit every estimator works in.
@inline(__always)
public func hours(_ micros: Int64) -> Double { Units.hours(micros: micros) }
