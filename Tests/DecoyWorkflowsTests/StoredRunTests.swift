import DecoyAnalysis
import DecoyModel
import DecoyStore
import DecoyTestSupport
import DecoyWorkflows
import Foundation
import Testing

/// Analysis reads a stored run and an experiment simulated in memory as the same values.
@Suite struct StoredRunTests {
    static let config = """
        version: 1
        name: memory
        seed: 7
        replicates: 2
        start: 2024-01-01T00:00:00+02:00
        horizon: 12h
        grid: 30m
        populations: [{ name: town, size: 300, heterogeneity: 0.5 }]
        arms:
          - name: decoy
            postings: 4
            schedule: { every: 1h }
            response: { model: exponential-decay, initial: 20/h, half_life: 2h, baseline: 0.5/h, diurnal: [1,1,1,1,1,1,1,1,2,2,2,2,2,2,2,2,1,1,1,1,1,1,1,1] }
            lifetime: { removal_rate: 0.05/h }
            population: town
          - name: control
            postings: 3
            response: { model: poisson, rate: 0.3/h }
        """

    @Test func curvesOfTheStoredRunEqualThoseOfTheSameExperimentInMemory() throws {
        let folder = try TestCLI().folder
        let loaded = try ConfigLoader.load(text: Self.config, file: "memory.yaml")
        let runner = ExperimentRunner(loaded: loaded, configPath: nil, jobs: 2)
        let database = try Database(path: folder.appendingPathComponent("m.sqlite").path, create: true)
        let outcome = try runner.run(into: database)
        let stored = try StoredRun(try database.run(String(outcome.runID)), in: database, model: true)
        var memory = runner.simulateInMemory()
        memory.run.id = outcome.runID
        #expect(memory.run.postings == stored.run.postings)
        #expect(memory.contacts.reduce(0) { $0 + $1.count } == outcome.contacts)
        for grouping in CurveGrouping.allCases {
            let request = CurveRequest(metrics: CurveMetric.allCases, grouping: grouping)
            let fromStore = try CurveBuilder.curves(of: stored, request: request)
            let fromMemory = try CurveBuilder.curves(of: memory, request: request)
            #expect(fromStore.count > 100)
            // Compared as text: an undefined standard error is NaN, which is never equal to itself.
            #expect(String(describing: fromStore) == String(describing: fromMemory), "\(grouping)")
        }
        let comparisonStored = try ArmComparison((try stored.values(), "decoy"), (try stored.values(), "control"))
        let comparisonMemory = try ArmComparison((memory, "decoy"), (memory, "control"))
        #expect(comparisonStored.rateRatio == comparisonMemory.rateRatio && comparisonStored.mcfDifference == comparisonMemory.mcfDifference)
        #expect(PopulationEstimate(try stored.values(contactors: true)).chao1 == PopulationEstimate(memory).chao1)
    }

    @Test func aStoredConfigThatNoLongerHashesToItsDigestIsRefused() throws {
        let folder = try TestCLI().folder
        let loaded = try ConfigLoader.load(text: Self.config, file: "memory.yaml")
        let database = try Database(path: folder.appendingPathComponent("m.sqlite").path, create: true)
        let outcome = try ExperimentRunner(loaded: loaded, configPath: nil).run(into: database)
        var record = try database.run(String(outcome.runID))
        record.resolvedConfig = record.resolvedConfig.replacingOccurrences(of: "\"seed\":7", with: "\"seed\":8")
        #expect(throws: StoredConfigError.self) { try StoredConfig.load(record) }
        #expect(throws: StoredConfigError.self) { try StoredRun(record, in: database, model: true) }
    }
}
