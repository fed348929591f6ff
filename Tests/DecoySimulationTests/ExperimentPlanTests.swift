import DecoyModel
import Testing
@testable import DecoySimulation

/// The plan indexes postings arithmetically, in canonical order (replicate, arm, index).
@Suite struct ExperimentPlanTests {
    static let config = ExperimentConfig(
        name: "t", seed: 1, replicates: 3, start: Timestamp(iso8601: "2020-01-01T09:30:00+01:00")!, horizon: 30,
        arms: [
            ArmSpec(name: "a", postings: 4, schedule: Schedule(offset: 1, every: 5),
                    response: ResponseSpec(model: .poisson(rate: 2), diurnal: (0..<24).map { 0.5 + Double($0) / 23 })),
            ArmSpec(name: "b", postings: 2, response: ResponseSpec(model: .poisson(rate: 1))),
        ])

    @Test func postingAtIndexFollowsTheCanonicalOrder() {
        let plan = ExperimentPlan(Self.config)
        var expected: [PostingPlan] = []
        for replicate in 1...3 {
            for arm in plan.arms {
                for index in 0..<arm.spec.postings {
                    expected.append(PostingPlan(replicate: replicate, arm: arm.index, index: index, goLive: arm.spec.schedule.goLive(ofPosting: index)))
                }
            }
        }
        #expect(plan.postingCount == 18)
        #expect(Array(plan.postings) == expected)
        #expect((0..<18).map(plan.posting(at:)) == expected)
    }

    @Test func armMeansAverageThePostingsIntensities() throws {
        let plan = ExperimentPlan(Self.config)
        for arm in plan.arms {
            let mine = plan.postings.prefix(6).filter { $0.arm == arm.index }.compactMap(plan.intensity(of:))
            let direct = mine.reduce(0.0) { $0 + $1.meanCount(horizon: 30, removalRate: 0) } / Double(mine.count)
            #expect(plan.meanCount(ofArm: arm.index, horizon: 30) == direct)
        }
    }
}
