public import DecoyAnalysis
import DecoyModel
import DecoySimulation

extension ExperimentRunner {
    /// The whole experiment simulated into memory: exactly the values analysis would read from a
    /// stored run of it (same events, the same description), without a database. For analyses
    /// that repeat an experiment many times; memory holds every contact.
    public func simulateInMemory() -> RunValues {
        let plan = ExperimentPlan(loaded.config)
        let results = simulate(Array(plan.postings), with: PostingSimulator(plan: plan))
        let run = RunDescription(
            id: 0, source: .simulated, horizonMicros: Units.micros(hours: plan.config.horizon),
            gridMicros: Units.micros(hours: plan.config.grid),
            arms: plan.arms.map { ArmDescription(id: $0.index, name: $0.spec.name, population: $0.population.name, populationSize: $0.population.size) },
            postings: results.map { PostingDescription(replicate: $0.plan.replicate, arm: $0.plan.arm, index: $0.plan.index, windowMicros: $0.windowMicros) },
            model: plan.config)
        return RunValues(
            run: run, contacts: results.map { $0.contacts.map(\.micros) },
            contactors: results.map { $0.contacts.map { Int64($0.contactor) } })
    }
}
