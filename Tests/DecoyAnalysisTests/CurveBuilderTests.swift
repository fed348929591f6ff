@testable import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import Foundation
import Testing

/// Curves computed from values held in memory, as the power analysis and the coverage study use them.
@Suite struct CurveBuilderTests {
    /// Two arms, windows in whole microseconds: arm 0 has postings observed 10 h and 4 h, arm 1 one posting of 10 h.
    static func values() -> RunValues {
        let hour: Int64 = 3_600_000_000
        let run = RunDescription(
            id: 9, source: .observed, horizonMicros: 10 * hour, gridMicros: hour,
            arms: [ArmDescription(id: 0, name: "decoy", population: "p", populationSize: nil),
                   ArmDescription(id: 1, name: "control", population: "p", populationSize: nil)],
            postings: [PostingDescription(replicate: 1, arm: 0, index: 0, windowMicros: 10 * hour),
                       PostingDescription(replicate: 1, arm: 0, index: 1, windowMicros: 4 * hour),
                       PostingDescription(replicate: 1, arm: 1, index: 0, windowMicros: 10 * hour)])
        return RunValues(run: run, contacts: [[hour / 2, 2 * hour, 7 * hour], [3 * hour], []], contactors: [[1, 2, 1], [1], []])
    }

    @Test func meanCumulativeContactsFollowTheEstimatorOnTheSameData() throws {
        let values = Self.values()
        let rows = try CurveBuilder.curves(of: values, request: CurveRequest(metrics: [.mcf]))
        let decoy = rows.filter { $0.arm == "decoy" }
        let direct = MeanCumulativeFunction.estimate(values.events(ofArm: 0), at: (0...10).map(Double.init))
        #expect(decoy.map(\.point) == direct)
        // μ(10) = 1/2 + 1/2 + 1/2 + 1/1 (the 7 h contact has one posting at risk) = 2.5.
        #expect(decoy.last?.point.estimate == 2.5)
        #expect(rows.filter { $0.arm == "control" }.allSatisfy { $0.point.estimate == 0 })
    }

    @Test func distinctContactorsCountEachContactorOncePerPosting() throws {
        let rows = try CurveBuilder.curves(of: Self.values(), request: CurveRequest(metrics: [.unique]))
        // Posting 0's contactor 1 comes back at 7 h: not counted again, so 1/2 + 1/2 + 1/2 at 10 h.
        #expect(rows.first { $0.arm == "decoy" && $0.point.t == 10 }?.point.estimate == 1.5)
    }

    @Test func expectedCurveNeedsASimulatedRunsModel() {
        #expect(throws: AnalysisError.noModel(run: 9, reason: "holds observed data")) {
            try CurveBuilder.curves(of: Self.values(), request: CurveRequest(metrics: [.expected]))
        }
    }

    @Test func anUnknownArmIsNamedWithASuggestion() {
        #expect(throws: AnalysisError.unknownArm(run: 9, arm: "decoi", known: ["decoy", "control"])) {
            try ArmComparison((Self.values(), "decoi"), (Self.values(), "control"))
        }
        #expect(AnalysisError.unknownArm(run: 9, arm: "decoi", known: ["decoy", "control"]).description
            == "run 9 has no arm of that name (a value of 5 characters); did you mean `decoy`?; its arms: decoy, control")
    }
}
