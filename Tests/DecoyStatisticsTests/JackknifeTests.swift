import Testing
@testable import DecoyStatistics

/// The leave-one-out means behind the mcf difference's jackknife, against recomputing the mean
/// of the other postings from scratch.
@Suite struct JackknifeTests {
    static let windows = [10.0, 4, 9, 10, 2.5, 7, 4]
    static let times: [[Double]] = [[0.5, 1.25, 9], [0.75, 3.9, 4], [0.1, 2, 2.2], [6], [], [4, 4.5], [1, 4]]

    @Test(arguments: [1.0, 3.95, 4, 6.5, 10])
    func leaveOneOutEqualsTheMeanOfTheOthers(at t: Double) {
        let leftOut = MeanCumulativeFunction.leaveOneOut(at: t, windows: Self.windows, times: Self.times, counts: Self.times.map(\.count))
        for i in Self.windows.indices {
            let others = RecurrentEvents(windows: Self.windows.enumerated().filter { $0.offset != i }.map(\.element),
                                         times: Self.times.enumerated().filter { $0.offset != i }.map(\.element))
            let expected = MeanCumulativeFunction.estimate(others, at: [t])[0].estimate ?? 0
            #expect(abs(leftOut[i] - expected) < 1e-12, "t = \(t), without \(i): \(leftOut[i]) vs \(expected)")
        }
    }

    @Test func countsAloneGiveTheSameWhenEveryWindowReachesT() {
        let times: [[Double]] = [[1, 2], [3], [], [0.5, 0.7, 0.9]]
        let fromTimes = MeanCumulativeFunction.leaveOneOut(at: 5, windows: [5, 5, 5, 5], times: times, counts: times.map(\.count))
        let fromCounts = MeanCumulativeFunction.leaveOneOut(at: 5, windows: [5, 5, 5, 5], times: nil, counts: times.map(\.count))
        #expect(fromTimes == fromCounts)
        #expect(fromCounts == [4.0 / 3, 5.0 / 3, 2, 1])
    }

    /// The jackknife of a difference of means: (G − 1)/G · Σ (d₍₋ᵢ₎ − d)², t on G − 1.
    @Test func differenceJackknifeByHand() throws {
        // Arm 1 means without each posting 2, 4; arm 2 without each 1, 1, 4: d = 3 − 2 = 1.
        let jackknife = try #require(MeanCumulativeDifference.jackknife((3, [2, 4]), (2, [1, 1, 4])))
        // d₍₋ᵢ₎ = 0, 2, 2, 2, −1: squares 1, 1, 1, 1, 4; variance 4/5 · 8.
        let se = (0.8 * 8.0).squareRoot()
        #expect(jackknife.difference == 1)
        #expect(abs((jackknife.upper! - jackknife.lower!) / 2 - SpecialFunctions.studentTQuantile(0.975, degreesOfFreedom: 4) * se) < 1e-12)
        #expect(abs(jackknife.p! - 2 * SpecialFunctions.studentTCDF(-1 / se, degreesOfFreedom: 4)) < 1e-15)
        #expect(MeanCumulativeDifference.jackknife((3, [2]), (2, [1, 1])) == nil)
    }
}
