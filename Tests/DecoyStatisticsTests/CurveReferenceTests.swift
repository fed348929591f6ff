import Foundation
import Testing
@testable import DecoyStatistics

/// `mcf` and `rate` against R's survival package and `qgamma`
/// (Fixtures/make_curves_reference.R on Fixtures/recurrent_data.csv). The data sets have
/// censoring, ties at one instant across postings and within one posting, a contact at the very
/// end of a window, postings with no contact, and a single posting.
@Suite struct CurveReferenceTests {
    struct Reference {
        var dataset: String, metric: String, t: Double
        var estimate: Double?, se: Double?, lower: Double?, upper: Double?, atRisk: Double, events: Int
    }

    static func fixture(_ name: String) throws -> [[String]] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func datasets() throws -> [String: RecurrentEvents] {
        var windows: [String: [Double]] = [:], times: [String: [[Double]]] = [:]
        for row in try fixture("recurrent_data") {
            windows[row[0], default: []].append(Double(row[2])!)
            times[row[0], default: []].append(row[3].isEmpty ? [] : row[3].split(separator: ";").map { Double($0)! })
        }
        return windows.mapValues { _ in RecurrentEvents(windows: [], times: []) }.keys.reduce(into: [:]) { result, key in
            result[key] = RecurrentEvents(windows: windows[key]!, times: times[key]!)
        }
    }

    static func references() throws -> [Reference] {
        try fixture("curves_reference").map { r in
            Reference(dataset: r[0], metric: r[1], t: Double(r[3])!, estimate: Double(r[4]), se: Double(r[5]),
                      lower: Double(r[6]), upper: Double(r[7]), atRisk: Double(r[8])!, events: Int(r[9])!)
        }
    }

    static func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-12) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) <= tolerance * max(1, abs(y))
        default: return false
        }
    }

    @Test(arguments: ["mixed", "single", "ties"])
    func meanCumulativeFunctionMatchesSurvival(dataset: String) throws {
        let data = try #require(try Self.datasets()[dataset])
        let expected = try Self.references().filter { $0.dataset == dataset && $0.metric == "mcf" }
        try #require(expected.count == 21)
        let points = MeanCumulativeFunction.estimate(data, at: expected.map(\.t), confidence: 0.95, method: .classic)
        for (point, reference) in zip(points, expected) {
            #expect(Self.close(point.estimate, reference.estimate), "\(dataset) t=\(reference.t) estimate")
            #expect(Self.close(point.standardError, reference.se), "\(dataset) t=\(reference.t) se")
            #expect(Self.close(point.lower, reference.lower), "\(dataset) t=\(reference.t) lower")
            #expect(Self.close(point.upper, reference.upper), "\(dataset) t=\(reference.t) upper")
            #expect(point.atRisk == reference.atRisk, "\(dataset) t=\(reference.t) at risk")
            #expect(point.events == reference.events, "\(dataset) t=\(reference.t) events")
        }
    }

    @Test(arguments: ["mixed", "single", "ties"])
    func binnedRateMatchesGarwoodFromQgamma(dataset: String) throws {
        let data = try #require(try Self.datasets()[dataset])
        let expected = try Self.references().filter { $0.dataset == dataset && $0.metric == "rate" }
        try #require(expected.count == 10)
        let points = BinnedRate.estimate(data, binStarts: expected.map(\.t), width: 1, until: 10, confidence: 0.95, method: .classic)
        for (point, reference) in zip(points, expected) {
            #expect(Self.close(point.estimate, reference.estimate), "\(dataset) bin \(reference.t) estimate")
            #expect(Self.close(point.lower, reference.lower), "\(dataset) bin \(reference.t) lower")
            #expect(Self.close(point.upper, reference.upper), "\(dataset) bin \(reference.t) upper")
            #expect(Self.close(point.atRisk, reference.atRisk), "\(dataset) bin \(reference.t) exposure")
            #expect(point.events == reference.events, "\(dataset) bin \(reference.t) events")
        }
    }

    /// Worked by hand: two postings observed 2 h, contacts at 1 h in one of them.
    /// μ(1) = 1/2; terms (1 − 1/2)/2 = 1/4 and (0 − 1/2)/2 = −1/4, so se = √(1/8).
    @Test func plainIntervalIsSymmetricAndCutAtZero() {
        let data = RecurrentEvents(windows: [2, 2], times: [[1], []])
        let z = SpecialFunctions.normalQuantile(0.975)
        let point = MeanCumulativeFunction.estimate(data, at: [1], interval: .plain, method: .classic)[0]
        #expect(point.estimate == 0.5)
        #expect(abs(point.standardError! - (1.0 / 8).squareRoot()) < 1e-15)
        #expect(abs(point.upper! - (0.5 + z * (1.0 / 8).squareRoot())) < 1e-15)
        #expect(point.lower == 0)
    }

    @Test func binWithoutExposureHasNoEstimate() {
        let data = RecurrentEvents(windows: [1.5], times: [[0.5]])
        let points = BinnedRate.estimate(data, binStarts: [0, 1, 2], width: 1, until: 3)
        #expect(points[0].estimate == 1)
        #expect(points[1].estimate == 0 && points[1].atRisk == 0.5)
        #expect(points[2].estimate == nil && points[2].lower == nil && points[2].atRisk == 0)
    }

    /// docs/statistics.md: the last bin is closed at its end, so a contact at the window end (t = horizon)
    /// is counted, as `mcf` counts it; the exposure does not change.
    @Test func contactAtTheHorizonIsInTheLastBin() {
        let data = RecurrentEvents(windows: [3, 3], times: [[0.5, 3], [2]])
        let points = BinnedRate.estimate(data, binStarts: [0, 1, 2], width: 1, until: 3)
        #expect(points.map(\.events) == [1, 0, 2])
        #expect(points.map(\.atRisk) == [2, 2, 2])
        #expect(points[2].estimate == 1)
        let mcf = MeanCumulativeFunction.estimate(data, at: [3])[0]
        #expect(mcf.events == points.reduce(0) { $0 + $1.events })
    }

    /// Only the last bin is closed: a contact at an inner bin's end belongs to the next bin.
    @Test func innerBinsStayHalfOpen() {
        let data = RecurrentEvents(windows: [3], times: [[1, 2]])
        let points = BinnedRate.estimate(data, binStarts: [0, 1, 2], width: 1, until: 3)
        #expect(points.map(\.events) == [0, 1, 1])
    }
}
