public import DecoyAnalysis
import DecoyModel
import DecoyStudies

extension ExperimentRunner {
    /// The whole experiment simulated into memory (``InMemoryExperiment``) on the runner's jobs:
    /// the values analysis would read from a stored run of it.
    public func simulateInMemory() -> RunValues {
        InMemoryExperiment.simulate(loaded.config, jobs: jobs)
    }
}
