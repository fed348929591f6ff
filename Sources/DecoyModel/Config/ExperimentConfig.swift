/// A validated experiment: what a config file describes, with every default filled in.
///
/// Durations are in hours and rates in events per hour throughout. Build one with
/// ``ConfigLoader``; its initialiser does no validation of its own.
public struct ExperimentConfig: Sendable, Equatable {
    /// The config schema version; only `1` exists.
    public var version: Int
    /// The experiment's name, `[a-z0-9][a-z0-9_-]*`.
    public var name: String
    /// Free text; example configs name the published figures they reproduce.
    public var description: String
    /// The seed every random stream of a run derives from; `nil` only for a config of observed
    /// data (no arm has a `response`), which nothing is drawn for.
    public var seed: UInt64?
    /// Independent repetitions of the whole design inside one run, at least 1.
    public var replicates: Int
    /// Wall-clock instant of the first posting; its offset sets local time.
    public var start: Timestamp
    /// Length of every posting's observation window, in hours.
    public var horizon: Double
    /// Default curve resolution, in hours.
    public var grid: Double
    /// Declared populations of potential contactors (arms without one get their own).
    public var populations: [PopulationSpec]
    /// The arms, in config order.
    public var arms: [ArmSpec]

    public init(
        version: Int = 1, name: String, description: String = "", seed: UInt64?, replicates: Int = 1,
        start: Timestamp, horizon: Double, grid: Double = 1, populations: [PopulationSpec] = [], arms: [ArmSpec]
    ) {
        self.version = version
        self.name = name
        self.description = description
        self.seed = seed
        self.replicates = replicates
        self.start = start
        self.horizon = horizon
        self.grid = grid
        self.populations = populations
        self.arms = arms
    }

    /// The population an arm draws its contactors from: a declared one, or the arm's own default.
    public func population(of arm: ArmSpec) -> PopulationSpec {
        if let name = arm.population, let declared = populations.first(where: { $0.name == name }) {
            return declared
        }
        return PopulationSpec.defaultPopulation(forArm: arm.name)
    }
}

/// Who can contact: a named pool of potential contactors shared by the arms that name it.
public struct PopulationSpec: Sendable, Equatable {
    /// Number of potential contactors an arm's contacts are drawn from by default.
    public static let defaultSize = 10_000

    /// The population's name, `[a-z0-9][a-z0-9_-]*`.
    public var name: String
    /// Number of potential contactors, at least 1.
    public var size: Int
    /// Gamma shape of the contact propensities, or `nil` for equal propensity.
    public var heterogeneity: Double?

    public init(name: String, size: Int, heterogeneity: Double? = nil) {
        self.name = name
        self.size = size
        self.heterogeneity = heterogeneity
    }

    /// The population of an arm that names none: its own, of ``defaultSize``, equal propensity.
    public static func defaultPopulation(forArm arm: String) -> PopulationSpec {
        PopulationSpec(name: arm, size: defaultSize)
    }
}

/// A group of postings sharing one design.
public struct ArmSpec: Sendable, Equatable {
    public var name: String
    /// Number of postings in each replicate, at least 1.
    public var postings: Int
    /// When each posting goes live.
    public var schedule: Schedule
    /// Free labels exported as `attr_<name>` columns, sorted by name.
    public var attributes: [String: String]
    /// How contacts arrive; `nil` only for arms of observed data.
    public var response: ResponseSpec?
    /// Moderation takedown, if any.
    public var lifetime: LifetimeSpec?
    /// The name of a declared population, or `nil` for the arm's own default one.
    public var population: String?
    /// Channels with their probabilities (normalised to sum 1), in config order.
    public var channels: [ChannelWeight]
    /// Whether the config lists `channels` (then observed contacts must use one of them).
    public var channelsDeclared: Bool

    public init(
        name: String, postings: Int, schedule: Schedule = Schedule(), attributes: [String: String] = [:],
        response: ResponseSpec?, lifetime: LifetimeSpec? = nil, population: String? = nil,
        channels: [ChannelWeight]? = nil
    ) {
        self.name = name
        self.postings = postings
        self.schedule = schedule
        self.attributes = attributes
        self.response = response
        self.lifetime = lifetime
        self.population = population
        self.channels = channels ?? [ChannelWeight(name: "message", probability: 1)]
        self.channelsDeclared = channels != nil
    }
}

/// Posting `k` of an arm goes live at `start + offset + k · every`.
public struct Schedule: Sendable, Equatable {
    /// Hours after the experiment's start that the first posting goes live.
    public var offset: Double
    /// Hours between consecutive postings of the arm.
    public var every: Double

    public init(offset: Double = 0, every: Double = 0) {
        self.offset = offset
        self.every = every
    }

    /// Hours after the experiment's start that posting `index` goes live.
    public func goLive(ofPosting index: Int) -> Double { offset + Double(index) * every }
}

/// A posting's moderation takedown: exponential with `removalRate` per hour.
public struct LifetimeSpec: Sendable, Equatable {
    /// Takedowns per hour of exposure, ≥ 0.
    public var removalRate: Double

    public init(removalRate: Double) { self.removalRate = removalRate }
}

/// One channel label and the probability that a contact uses it.
public struct ChannelWeight: Sendable, Equatable {
    public var name: String
    public var probability: Double

    public init(name: String, probability: Double) {
        self.name = name
        self.probability = probability
    }
}
