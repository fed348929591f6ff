public import DecoyModel

/// What a run will simulate: the experiment's arms resolved against their populations, and the
/// postings in canonical order (replicate, then arm in config order, then posting index).
public struct ExperimentPlan: Sendable {
    public let config: ExperimentConfig
    public let arms: [ArmPlan]

    public init(_ config: ExperimentConfig) {
        self.config = config
        self.arms = config.arms.enumerated().map { index, spec in
            ArmPlan(index: index, spec: spec, population: config.population(of: spec))
        }
    }

    /// The seed of every stream; a config with a response model always has one (the loader
    /// requires it), and an observed config draws nothing.
    public var seed: UInt64 { config.seed ?? 0 }

    /// Postings in one replicate.
    public var postingsPerReplicate: Int { arms.reduce(0) { $0 + $1.spec.postings } }

    /// Postings of the whole run.
    public var postingCount: Int { postingsPerReplicate * config.replicates }

    /// Local hour of day (0 ≤ h < 24, in the offset of `start`) when a posting goes live.
    public func goLiveLocalHour(_ goLive: Double) -> Double {
        let micros = config.start.microseconds + Int64(config.start.utcOffsetSeconds) * 1_000_000 + Int64((goLive * 3.6e9).rounded())
        let day: Int64 = 86_400_000_000
        return Double(((micros % day) + day) % day) / 3.6e9
    }

    /// The contact intensity of a posting, or `nil` for an arm without a response model.
    public func intensity(of posting: PostingPlan) -> PostingIntensity? {
        guard let response = arms[posting.arm].spec.response else { return nil }
        return PostingIntensity(response, goLiveLocalHour: response.diurnal == nil ? 0 : goLiveLocalHour(posting.goLive))
    }

    /// Every posting of the run, in canonical order.
    public var postings: [PostingPlan] {
        var all: [PostingPlan] = []
        all.reserveCapacity(postingCount)
        for replicate in 1...config.replicates {
            for arm in arms {
                for index in 0..<arm.spec.postings {
                    all.append(PostingPlan(replicate: replicate, arm: arm.index, index: index, goLive: arm.spec.schedule.goLive(ofPosting: index)))
                }
            }
        }
        return all
    }
}

/// One arm with its resolved population.
public struct ArmPlan: Sendable {
    /// Position of the arm in the config.
    public let index: Int
    public let spec: ArmSpec
    public let population: PopulationSpec
    /// Running sums of the channel probabilities, for drawing a channel.
    public let channelCumulative: [Double]

    init(index: Int, spec: ArmSpec, population: PopulationSpec) {
        self.index = index
        self.spec = spec
        self.population = population
        var sum = 0.0
        self.channelCumulative = spec.channels.map { sum += $0.probability; return sum }
    }
}

/// One posting of a run.
public struct PostingPlan: Sendable, Equatable {
    /// Replicate, 1-based.
    public let replicate: Int
    /// Position of the posting's arm in the config.
    public let arm: Int
    /// Index of the posting within its arm, 0-based (posting k goes live at offset + k · every).
    public let index: Int
    /// Hours after the experiment's start that the posting goes live.
    public let goLive: Double

    public init(replicate: Int, arm: Int, index: Int, goLive: Double) {
        self.replicate = replicate
        self.arm = arm
        self.index = index
        self.goLive = goLive
    }
}
