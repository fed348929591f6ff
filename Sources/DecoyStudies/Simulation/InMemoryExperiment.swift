public import DecoyAnalysis
public import DecoyModel
import DecoySimulation
import Foundation

/// An experiment simulated into memory: exactly the values analysis would read from a stored
/// run of it (the same events, the same description), without a database, for studies that
/// repeat an experiment many times. Memory holds every contact.
public enum InMemoryExperiment {
    /// Simulates every posting of `config` on `jobs` threads (the result does not depend on it).
    public static func simulate(_ config: ExperimentConfig, jobs: Int = 1) -> RunValues {
        do {
            return try simulate(config, jobs: jobs, cancellation: .never)
        } catch {
            preconditionFailure("a simulation nobody cancels was cancelled")
        }
    }

    /// Simulates every posting of `config` on `jobs` threads, checking `cancellation` after each
    /// block of postings.
    public static func simulate(_ config: ExperimentConfig, jobs: Int = 1, cancellation: Cancellation) throws(Cancelled) -> RunValues {
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        let postings = Array(plan.postings)
        var results: [SimulatedPosting] = []
        results.reserveCapacity(postings.count)
        for start in stride(from: 0, to: postings.count, by: Self.block) {
            try cancellation.check()
            results += simulator.simulate(Array(postings[start..<min(postings.count, start + Self.block)]), jobs: jobs)
        }
        let run = RunDescription(
            id: 0, source: .simulated, horizonMicros: Units.micros(hours: config.horizon), gridMicros: Units.micros(hours: config.grid),
            arms: plan.arms.map {
                ArmDescription(id: $0.index, name: $0.spec.name, population: $0.population.name, populationSize: $0.population.size,
                               attributes: $0.spec.attributes)
            },
            postings: results.map {
                PostingDescription(replicate: $0.plan.replicate, arm: $0.plan.arm, index: $0.plan.index, windowMicros: $0.windowMicros,
                                   postedAtMicros: config.start.microseconds + Units.micros(hours: $0.plan.goLive))
            },
            model: config, utcOffsetSeconds: config.start.utcOffsetSeconds)
        return RunValues(
            run: run, contacts: results.map { $0.contacts.map(\.micros) },
            contactors: results.map { $0.contacts.map { Int64($0.contactor) } })
    }

    /// Postings simulated between two checks of a cancellation.
    static let block = 1024
}
