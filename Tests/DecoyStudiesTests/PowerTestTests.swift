import DecoyModel
import DecoySimulation
import DecoyStatistics
import Foundation
import Testing
import DecoyAnalysis
@testable import DecoyStudies

/// A power analysis applies each test exactly as `compare` computes it: on simulated experiments
/// held in memory, the p of ``PowerTest`` equals ``ArmComparison``'s for the same values.
@Suite struct PowerTestTests {
    static func experiment(removal: Bool, seed: UInt64) throws -> RunValues {
        let lifetime = removal ? "lifetime: { removal_rate: 0.08/h }" : ""
        let text = """
        version: 1
        name: as-compare
        seed: \(seed)
        start: 2026-02-01T10:00:00Z
        horizon: 30h
        grid: 1h
        arms:
          - name: a
            postings: 7
            schedule: { offset: 0h, every: 3h }
            response: { model: hawkes, background: { model: exponential-decay, initial: 5/h, half_life: 3h, baseline: 0.1/h }, branching: 0.4, decay: 1h }
            \(lifetime)
          - name: b
            postings: 6
            schedule: { offset: 1h, every: 3h }
            response: { model: exponential-decay, initial: 3/h, half_life: 3h, baseline: 0.1/h }
            \(lifetime)
        """
        let plan = ExperimentPlan(try ConfigLoader.load(text: text, file: "as-compare.yaml").config)
        let simulator = PostingSimulator(plan: plan)
        let results = plan.postings.map(simulator.simulate)
        let run = RunDescription(
            id: 0, source: .simulated, horizonMicros: Units.micros(hours: 30), gridMicros: Units.micros(hours: 1),
            arms: plan.arms.map { ArmDescription(id: $0.index, name: $0.spec.name, population: $0.population.name, populationSize: $0.population.size) },
            postings: results.map { PostingDescription(replicate: $0.plan.replicate, arm: $0.plan.arm, index: $0.plan.index, windowMicros: $0.windowMicros) },
            model: plan.config)
        return RunValues(run: run, contacts: results.map { $0.contacts.map(\.micros) })
    }

    static func sampled(_ values: RunValues, arm: Int) -> ArraySlice<SampledPosting> {
        ArraySlice(values.run.members(ofArm: arm).map { i in
            let times = values.contacts[i].map { Double($0) / Units.microsPerHour }
            return SampledPosting(window: values.run.postings[i].window, count: times.count, firstContact: times.first, times: times)
        })
    }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a == b || abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    }

    /// What `compare` reports as each test's p.
    static func reported(_ test: ArmTest, _ compare: ArmComparison) -> Double? {
        switch test {
        case .proportionalRates: compare.proportionalRates.p
        case .randomization: compare.randomization.p
        case .rateRatio: compare.rateRatio.p
        case .exactPoisson: compare.exactPoisson?.p
        case .logrank: compare.logRank.p
        case .mcfDifference: compare.mcfDifference.p
        }
    }

    @Test(arguments: [false, true], IntervalMethod.allCases)
    func everyTestGivesComparesP(removal: Bool, method: IntervalMethod) throws {
        let settings = ComparisonSettings(intervals: method)
        for seed in UInt64(1)...12 {
            let values = try Self.experiment(removal: removal, seed: seed)
            let compare = try ArmComparison((values, "a"), (values, "b"), settings: settings)
            let a = Self.sampled(values, arm: 0), b = Self.sampled(values, arm: 1)
            for test in ArmTest.allCases {
                // Only what a power simulation would draw for the test.
                let needs = test.needs(removal: removal)
                let outcome = test.outcome(ArmSample(name: "a", a, needs: needs), ArmSample(name: "b", b, needs: needs), settings: settings)
                let label = "seed \(seed), removal \(removal), \(method.rawValue), \(test.rawValue)"
                #expect(Self.close(outcome.p, Self.reported(test, compare)), "\(label)")
                #expect((outcome.p == nil) == (outcome.undefined != nil), "\(label): undefined exactly when there is no p")
            }
            #expect(Self.close(ArmTest.rateRatio.outcome(ArmSample(name: "a", a, needs: .count), ArmSample(name: "b", b, needs: .count), settings: settings).effect,
                               compare.rateRatio.ratio))
        }
    }
}
