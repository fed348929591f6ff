import DecoyModel
public import DecoyStatistics

/// `decoy population`: how many distinct contactors there are, by capture–recapture.
public struct PopulationEstimate: Sendable {
    public var chao1: Chao1
    /// The number of potential contactors the simulation drew from, for simulated runs.
    public var trueSize: Int?

    /// From a run read with its contactors; pseudonyms of an observed run are the same people in
    /// every arm, simulated contactors are numbered within their population.
    public init(_ data: RunValues, confidence: Double = 0.95) {
        var perContactor: [String: [Int64: Int]] = [:]
        for (posting, contactors) in data.contactors.enumerated() {
            let arm = data.run.postings[posting].arm
            let population = data.run.source == .observed ? "observed"
                : data.run.arms.indices.contains(arm) ? data.run.arms[arm].population : "?"
            for contactor in contactors {
                guard let contactor else { continue }
                perContactor[population, default: [:]][contactor, default: 0] += 1
            }
        }
        chao1 = Chao1(counts: perContactor.values.flatMap(\.values), confidence: confidence)
        if data.run.source == .simulated {
            var sizes: [String: Int] = [:]
            for arm in data.run.arms { sizes[arm.population] = arm.populationSize }
            trueSize = sizes.values.reduce(0, +)
        }
    }

}
