public import DecoyModel
import DecoySimulation

/// What `decoy validate` reports about a valid config: per arm, its design and the contacts a
/// posting is expected to receive.
public struct ExperimentSummary: Sendable {
    /// One arm's design and expectations.
    public struct Arm: Sendable {
        public var name: String
        public var postings: Int
        /// The response model's name, `nil` for an arm of observed data.
        public var model: String?
        public var population: String
        public var populationSize: Int
        /// Whether the arm names a population (else it has its own default one).
        public var populationNamed: Bool
        public var channels: [ChannelWeight]
        /// Whether the config lists the arm's channels (else the default `message`, and for
        /// observed data any label).
        public var channelsDeclared: Bool
        /// E N per posting over the horizon and over the first 2 hours; `nil` without a model.
        public var expectedOverHorizon: Double?
        public var expectedInTwoHours: Double?
        public var hasRemoval: Bool
    }

    public let loaded: LoadedConfig
    public let arms: [Arm]

    /// Expected contacts per posting are E N over the horizon and over the first 2 hours,
    /// averaged over the arm's postings (diurnal factors make go-live times matter; see
    /// `ExperimentPlan.meanCount(ofArm:horizon:)` for arms of very many postings), with the window
    /// cut short by exponential removal where the arm has a `lifetime`.
    public init(_ loaded: LoadedConfig) {
        self.loaded = loaded
        let config = loaded.config
        let plan = ExperimentPlan(config)
        arms = config.arms.enumerated().map { index, arm in
            let population = config.population(of: arm)
            return Arm(
                name: arm.name, postings: arm.postings, model: arm.response?.model.name, population: population.name,
                populationSize: population.size, populationNamed: arm.population != nil, channels: arm.channels,
                channelsDeclared: arm.channelsDeclared,
                expectedOverHorizon: plan.meanCount(ofArm: index, horizon: config.horizon),
                expectedInTwoHours: plan.meanCount(ofArm: index, horizon: min(2, config.horizon)), hasRemoval: arm.lifetime != nil)
        }
    }
}
