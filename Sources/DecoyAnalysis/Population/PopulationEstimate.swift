import DecoyModel
public import DecoyStatistics

/// `decoy population`: how many distinct contactors there are, by capture–recapture.
///
/// Chao1 estimates the people who could have been seen: it is a lower bound of a population's
/// size when people differ in how likely they are to make contact, and a population whose
/// members (almost) never make contact is invisible to it. A simulated run's populations are
/// estimated each on its own, beside its true size, as well as pooled.
public struct PopulationEstimate: Sendable {
    /// All contactors pooled.
    public var chao1: Chao1
    /// The number of potential contactors the simulation drew from (every population), for
    /// simulated runs.
    public var trueSize: Int?
    /// Each population of a simulated run (in the order of the arms that draw from it); one
    /// entry, `observed`, for an observed run.
    public var populations: [Part]
    /// Contacts stored without a contactor (a run imported without contact identifiers, or rows
    /// that had none), which no estimate counts.
    public var contactsWithoutContactor: Int
    /// All contacts of the run.
    public var contacts: Int

    /// Why there is no estimate: contacts were made but none carries a contactor, so distinct
    /// contactors cannot be counted (Chao1 would read 0 people behind them). `nil` otherwise.
    public var undefined: String? {
        guard contacts > 0, contactsWithoutContactor == contacts else { return nil }
        return "none of the \(contacts) contacts carries a contact identifier (none was given, or they were dropped), so distinct contactors cannot be counted"
    }

    /// One population's estimate.
    public struct Part: Sendable {
        public var name: String
        public var chao1: Chao1
        /// Its size in the config, for a simulated run.
        public var trueSize: Int?

        /// Whether the interval holds the true size (`nil` when there is none).
        public var holdsTrueSize: Bool? {
            trueSize.map { chao1.lower <= Double($0) && Double($0) <= chao1.upper }
        }
    }

    /// From a run read with its contactors; pseudonyms of an observed run are the same people in
    /// every arm, simulated contactors are numbered within their population.
    public init(_ data: RunValues, confidence: Double = 0.95) {
        let observed = data.run.source == .observed
        var order: [String] = observed ? ["observed"] : []
        var sizes: [String: Int] = [:]
        if !observed {
            for arm in data.run.arms where !order.contains(arm.population) {
                order.append(arm.population)
                sizes[arm.population] = arm.populationSize
            }
        }
        var perContactor: [String: [Int64: Int]] = [:]
        var contacts = 0, withoutContactor = 0
        for (posting, contactors) in data.contactors.enumerated() {
            let arm = data.run.postings[posting].arm
            let population = observed ? "observed" : data.run.arms.indices.contains(arm) ? data.run.arms[arm].population : "?"
            if !order.contains(population) { order.append(population) }
            contacts += contactors.count
            for contactor in contactors {
                guard let contactor else { withoutContactor += 1; continue }
                perContactor[population, default: [:]][contactor, default: 0] += 1
            }
        }
        self.contacts = contacts
        contactsWithoutContactor = withoutContactor
        chao1 = Chao1(counts: perContactor.values.flatMap(\.values), confidence: confidence)
        trueSize = observed ? nil : sizes.values.reduce(0, +)
        populations = order.map { name in
            Part(name: name, chao1: Chao1(counts: Array((perContactor[name] ?? [:]).values), confidence: confidence), trueSize: sizes[name])
        }
    }
}
