@testable import DecoyStatistics
import Foundation
import Testing
@testable import DecoyAnalysis

/// The two-arm comparisons on values whose answers are known: R's `coxph` for the
/// proportional-rates ratio (classic) and its jackknife (corrected), a brute-force enumeration
/// of the randomization test, and what each test says of data that leave it undefined.
@Suite struct ArmComparisonTests {
    /// The R fixture of the proportional-rates model (Tests/DecoyStatisticsTests/Fixtures).
    static func fixture(_ name: String) throws -> [[String]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DecoyStatisticsTests/Fixtures/\(name).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The fixture's postings as two arms: x1 = 1 is the first.
    static func arms(_ dataset: String) throws -> (ArmSample, ArmSample) {
        var rows: [(id: String, first: Bool, window: Double, times: [Double])] = []
        for row in try fixture("proportional_rates_postings") where row[0] == dataset {
            rows.append((row[1], row[2] == "1", Double(row[5])!, []))
        }
        for row in try fixture("proportional_rates_contacts") where row[0] == dataset {
            let i = try #require(rows.firstIndex { $0.id == row[1] })
            rows[i].times.append(Double(row[2])!)
        }
        func arm(_ first: Bool) -> ArmSample {
            let members = rows.filter { $0.first == first }
            return ArmSample(name: first ? "a" : "b", RecurrentEvents(windows: members.map(\.window), times: members.map(\.times)))
        }
        return (arm(true), arm(false))
    }

    static func close(_ a: Double?, _ b: String, _ tolerance: Double = 1e-10) -> Bool {
        guard let a, let b = Double(b) else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// Classic: R `coxph(Surv(start, stop, event) ~ arm + cluster(posting))`'s ratio, interval and
    /// p; corrected: the jackknife of refits without each posting, with t on G − 1 df.
    @Test(arguments: ["sim1", "sim2", "sim3", "sim4", "cgd", "bladder2"], Ties.allCases)
    func proportionalRatesEqualCoxph(dataset: String, ties: Ties) throws {
        let (a, b) = try Self.arms(dataset)
        let row = try #require(try Self.fixture("proportional_rates_reference").first { $0[0] == dataset && $0[1] == "arm" && $0[2] == ties.rawValue })
        let classic = ProportionalRatesComparison(a, b, settings: ComparisonSettings(intervals: .classic, ties: ties))
        #expect(Self.close(classic.ratio.value.map(log), row[4]), "\(dataset) \(ties) coef")
        #expect(Self.close(classic.logStandardError, row[6]), "\(dataset) \(ties) robust se")
        #expect(Self.close(classic.p, row[8]), "\(dataset) \(ties) p")
        #expect(Self.close(classic.ratio.lower, row[9]) && Self.close(classic.ratio.upper, row[10]), "\(dataset) \(ties) interval")
        let corrected = ProportionalRatesComparison(a, b, settings: ComparisonSettings(ties: ties))
        #expect(Self.close(corrected.logStandardError, row[13]), "\(dataset) \(ties) jackknife se")
        let g = Double(a.postings + b.postings)
        #expect(corrected.degreesOfFreedom == g - 1)
        let z = abs(log(try #require(corrected.ratio.value))) / (try #require(corrected.logStandardError))
        #expect(abs(try #require(corrected.p) - 2 * SpecialFunctions.studentTCDF(-z, degreesOfFreedom: g - 1)) < 1e-15)
    }

    /// The randomization test's p is the share of all relabellings whose proportional-rates score
    /// at β = 0 (Breslow) is at least as far from 0 as the observed one: recomputed here from the
    /// model itself for every relabelling.
    @Test func randomizationEqualsBruteForceOverRelabellings() throws {
        let windows = [10.0, 4, 9, 10, 2.5, 7, 8, 6.5, 10]
        let times: [[Double]] = [[0.5, 1.25, 9], [0.75, 3.9], [0.1, 2, 2.2], [6], [], [4, 4.5], [0.2, 0.3, 7.5, 7.9], [6], [1, 2, 3]]
        let first = [true, true, false, false, true, false, true, false, false]
        func sample(_ members: [Int], _ name: String) -> ArmSample {
            ArmSample(name: name, RecurrentEvents(windows: members.map { windows[$0] }, times: members.map { times[$0] }))
        }
        func score(_ labels: [Bool]) -> Double {
            let model = ProportionalRates(ProportionalRates.Data(covariates: labels.map { [$0 ? 1 : 0] }, windows: windows, times: times), ties: .breslow)
            var work = ProportionalRates.Workspace(postings: windows.count, dimension: 1)
            _ = work.run { model.accumulate([0], excluding: nil, into: $0) }
            return work.scoreVector[0]
        }
        let observed = abs(score(first))
        var extreme = 0, total = 0
        for mask in 0..<(1 << windows.count) where mask.nonzeroBitCount == 4 {
            total += 1
            if abs(score((0..<windows.count).map { mask & (1 << $0) != 0 })) >= observed - 1e-9 { extreme += 1 }
        }
        let comparison = RandomizationComparison(sample(first.indices.filter { first[$0] }, "a"), sample(first.indices.filter { !first[$0] }, "b"),
                                                 settings: ComparisonSettings())
        let test = try #require(comparison.test)
        #expect(test.draws == nil && test.assignments == Double(total))
        #expect(abs(test.p - Double(extreme) / Double(total)) < 1e-12, "\(test.p) vs \(extreme)/\(total)")
        #expect(abs(abs(test.statistic) - observed) < 1e-12)
    }

    /// One rule for every path: a test the data leave undefined gives no p and says why.
    @Test func degenerateDataAreUndefinedWithTheReason() {
        // Windows of about a nanosecond: no contact can be observed.
        let tiny = ArmSample(name: "a", RecurrentEvents(windows: Array(repeating: 1e-9, count: 5), times: Array(repeating: [], count: 5)))
        let other = ArmSample(name: "b", RecurrentEvents(windows: Array(repeating: 1e-9, count: 5), times: Array(repeating: [], count: 5)))
        for method in IntervalMethod.allCases {
            let settings = ComparisonSettings(intervals: method)
            for test in ArmTest.allCases where test != .exactPoisson {
                let outcome = test.outcome(tiny, other, settings: settings)
                #expect(outcome.p == nil && outcome.undefined != nil, "\(test.rawValue) \(method.rawValue): \(outcome)")
            }
        }
        // Contacts in one arm only: the ratio is infinite, not a number.
        let silent = ArmSample(name: "couch", RecurrentEvents(windows: [48, 48, 48], times: [[], [], []]))
        let busy = ArmSample(name: "adult", RecurrentEvents(windows: [48, 48, 48], times: [[0.1, 0.2], [0.3], [1, 2, 3]]))
        let ratio = ProportionalRatesComparison(busy, silent, settings: ComparisonSettings())
        #expect(ratio.p == nil && ratio.ratio.value == nil && ratio.undefined == "arm couch has no contact, so the ratio is infinite")
        // The randomization test and the exact test still answer.
        #expect(RandomizationComparison(busy, silent, settings: ComparisonSettings()).p != nil)
        #expect(ArmTest.exactPoisson.outcome(busy, silent, settings: ComparisonSettings()).p != nil)
    }

    /// The mcf difference is read where each arm keeps max(3, ⌈n/4⌉) postings at risk.
    @Test func theMcfDifferenceIsReadWhereBothArmsAreSupported() throws {
        let a = ArmSample(name: "a", RecurrentEvents(windows: [1, 2, 3, 4, 5, 6, 7, 8], times: Array(repeating: [0.5], count: 8)))
        let b = ArmSample(name: "b", RecurrentEvents(windows: [10, 10, 10, 2, 2], times: [[1], [1, 2], [], [0.5], []]))
        let mcf = McfDifferenceComparison(a, b, settings: ComparisonSettings())
        // a: 3 postings reach 6 h; b: 3 reach 10 h; the smaller is 6.
        #expect(mcf.at == 6 && mcf.atRisk == [3, 3] && mcf.floor == [3, 3] && !mcf.requested && mcf.warning == nil)
        var asked = ComparisonSettings()
        asked.mcfAt = 7.5
        let late = McfDifferenceComparison(a, b, settings: asked)
        #expect(late.at == 7.5 && late.atRisk == [1, 3] && late.warning != nil)
        let small = McfDifferenceComparison(ArmSample(name: "s", RecurrentEvents(windows: [5, 5], times: [[1], [2]])), b, settings: ComparisonSettings())
        #expect(small.p == nil && small.undefined?.contains("fewer than the 3 at risk") == true)
    }
}
