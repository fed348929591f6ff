public import DecoyModel
import Foundation

/// Simulates the contacts of single postings; a pure function of the plan and the posting.
///
/// Draws from the posting's own stream (``RandomStream/posting(seed:replicate:arm:index:)``),
/// in this order: the takedown time −log(1 − U)/removal_rate when the arm has a `lifetime`;
/// then every contact time (``PostingIntensity/sample(until:using:)``); then for each contact in
/// time order its channel (first k with U < cumulative probability) and its contactor
/// (⌊U · population size⌋, or two uniforms through the population's alias table when the
/// population is heterogeneous). Times are rounded to whole microseconds.
public struct PostingSimulator: Sendable {
    public let plan: ExperimentPlan
    let populations: PopulationTables

    public init(plan: ExperimentPlan) {
        self.plan = plan
        self.populations = PopulationTables(seed: plan.seed)
    }

    /// The contacts and observation window of one posting.
    public func simulate(_ posting: PostingPlan) -> SimulatedPosting {
        let arm = plan.arms[posting.arm]
        var rng = RandomStream.posting(seed: plan.seed, replicate: posting.replicate, arm: arm.spec.name, index: posting.index)
        let horizon = plan.config.horizon
        var window = horizon
        if let lifetime = arm.spec.lifetime, lifetime.removalRate > 0 {
            window = min(horizon, rng.nextExponential() / lifetime.removalRate)
        }
        let removed = window < horizon
        let windowMicros = Units.micros(hours: window)
        var contacts: [SimulatedContact] = []
        if let intensity = plan.intensity(of: posting) {
            let times = intensity.sample(until: window, using: &rng)
            let table = populations.table(for: arm.population, replicate: posting.replicate)
            contacts.reserveCapacity(times.count)
            for t in times {
                let channel = rng.nextIndex(cumulative: arm.channelCumulative)
                let contactor = table?.sample(using: &rng) ?? rng.nextIndex(count: arm.population.size)
                contacts.append(SimulatedContact(
                    micros: min(windowMicros, Units.micros(hours: t)), channel: channel, contactor: contactor))
            }
        }
        return SimulatedPosting(plan: posting, windowMicros: windowMicros, removed: removed, contacts: contacts)
    }

    /// The contactor propensities of a heterogeneous population in a replicate (`nil` if equal).
    public func propensities(of population: PopulationSpec, replicate: Int) -> [Double]? {
        populations.propensities(for: population, replicate: replicate)
    }
}

/// The outcome of one posting: its observation window and its contacts in time order.
public struct SimulatedPosting: Sendable, Equatable {
    public let plan: PostingPlan
    /// Length of the observation window in microseconds.
    public let windowMicros: Int64
    /// Whether moderation took the posting down before the horizon.
    public let removed: Bool
    /// Contacts in time order; their position is their `seq`.
    public let contacts: [SimulatedContact]

}

/// One simulated contact.
public struct SimulatedContact: Sendable, Equatable {
    /// Microseconds since the posting went live.
    public let micros: Int64
    /// Index into the arm's channels.
    public let channel: Int
    /// Index of the contactor within the arm's population.
    public let contactor: Int
}

extension PostingSimulator {
    /// Simulates `postings` on `jobs` threads, results in their order (the same for any `jobs`:
    /// each posting draws from its own stream).
    public func simulate(_ postings: [PostingPlan], jobs: Int) -> [SimulatedPosting] {
        guard jobs > 1, postings.count > 1 else { return postings.map(simulate) }
        let results = ResultSlots<SimulatedPosting>(count: postings.count)
        let stripes = min(jobs, postings.count)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var index = stripe
            while index < postings.count {
                results.set(index, simulate(postings[index]))
                index += stripes
            }
        }
        return results.values
    }
}
