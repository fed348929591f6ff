@testable import DecoyAnalysis
import DecoyModel
import DecoySimulation
import DecoyStatistics
import Foundation
import Testing

/// The `expected` curve: the model's mean of the `mcf` estimand given the observation windows.
@Suite struct ExpectedCurveTests {
    /// Worked by hand. Rate 2/h with diurnal factors 1 for local hours 0–11 and 0 after (so 2 and
    /// 0 after normalising to mean 1): posting A live at 00:00 for 24 h has intensity 4/h for 12 h,
    /// then 0; posting B live at 12:00 for 6 h has 0. On (0, 6] both are at risk: (4 + 0)/2 = 2/h,
    /// so 12 at 6 h; on (6, 12] only A: 4/h more, 36 at 12 h; then nothing: 36 at 24 h.
    @Test func weightsEachPostingsIntensityByWhoIsAtRisk() {
        let config = ExperimentConfig(
            name: "x", seed: 1, start: Timestamp(iso8601: "2020-01-01T00:00:00Z")!, horizon: 24,
            arms: [ArmSpec(name: "a", postings: 2, schedule: Schedule(offset: 0, every: 12),
                           response: ResponseSpec(model: .poisson(rate: 2), diurnal: (0..<24).map { $0 < 12 ? 1 : 0 }))])
        let model = ExpectedCurve(plan: ExperimentPlan(config))
        let postings = [
            PostingDescription(replicate: 1, arm: 0, index: 0, windowMicros: 86_400_000_000),
            PostingDescription(replicate: 1, arm: 0, index: 1, windowMicros: 21_600_000_000),
        ]
        let data = RecurrentEvents(windows: [24, 6], times: [[1, 2], [3]])
        let grid: [Double] = [0, 3, 6, 9, 12, 24]
        let events = MeanCumulativeFunction.estimate(data, at: grid).map(\.events)
        let points = model.curve(postings: postings, windows: data.windows, events: events, at: grid)
        let expected = [0.0, 6, 12, 24, 36, 36]
        for (point, value) in zip(points, expected) {
            #expect(abs(point.estimate! - value) < 1e-12, "t = \(point.t): \(point.estimate!) vs \(value)")
        }
        #expect(points.map(\.atRisk) == [2, 2, 2, 1, 1, 1])
        #expect(points.map(\.events) == [0, 3, 3, 3, 3, 3])
    }
}
