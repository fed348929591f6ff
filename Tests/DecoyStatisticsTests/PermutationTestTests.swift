import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStatistics

/// The randomization test against a brute-force enumeration written out here, against coin's
/// exact log-rank test (Fixtures/make_logrank_exact_reference.R, `logrank_test(…, distribution =
/// exact(algorithm = "split-up"))`, and its default asymptotic p), and its draws against the exact p
/// within Monte Carlo error.
@Suite struct PermutationTestTests {
    typealias SplitMix = SeededGenerator

    /// Every labelling with the observed number in arm A, by brute force over bit masks.
    static func bruteForce(_ scores: [Double], _ inFirst: [Bool]) -> Double {
        let g = scores.count, first = inFirst.filter { $0 }.count
        let mean = scores.reduce(0, +) / Double(g)
        func statistic(_ labels: (Int) -> Bool) -> Double { (0..<g).reduce(0) { $0 + (labels($1) ? scores[$1] - mean : 0) } }
        let observed = abs(statistic { inFirst[$0] })
        var total = 0, extreme = 0
        for mask in 0..<(1 << g) where mask.nonzeroBitCount == first {
            total += 1
            if abs(statistic { mask & (1 << $0) != 0 }) >= observed - 1e-9 { extreme += 1 }
        }
        return Double(extreme) / Double(total)
    }

    @Test(arguments: [(4, 4), (5, 5), (3, 7), (6, 4), (8, 8), (2, 9)])
    func enumerationEqualsBruteForce(first: Int, second: Int) {
        var generator = SplitMix(seed: UInt64(first * 100 + second))
        for trial in 0..<20 {
            // Integer-valued scores often tie, the case that needs care at the threshold.
            let scores = (0..<(first + second)).map { _ in trial % 2 == 0 ? Double(generator.next() % 7) - 3 : Double(generator.next() % 1000) / 97 }
            var labels = Array(repeating: true, count: first) + Array(repeating: false, count: second)
            labels.shuffle(using: &generator)
            let test = PermutationTest(scores: scores, inFirst: labels, using: &generator)
            #expect(test.draws == nil)
            #expect(abs(test.p - Self.bruteForce(scores, labels)) < 1e-12, "trial \(trial): \(test.p)")
            #expect(test.assignments == PermutationTest.assignments(first + second, first))
        }
    }

    @Test func drawsApproachTheExactPWithinMonteCarloError() {
        var generator = SplitMix(seed: 99)
        let scores = (0..<22).map { _ in Double(generator.next() % 1000) / 100 }
        let labels = (0..<22).map { $0 % 2 == 0 }
        let exact = PermutationTest(scores: scores, inFirst: labels, enumerationLimit: 1_000_000, using: &generator)
        let drawn = PermutationTest(scores: scores, inFirst: labels, enumerationLimit: 10, draws: 9_999, using: &generator)
        #expect(exact.draws == nil && drawn.draws == 9_999)
        let error = try! #require(drawn.monteCarloError)
        #expect(abs(drawn.p - exact.p) < 4.5 * error + 1.0 / 10_000, "exact \(exact.p), drawn \(drawn.p) ± \(error)")
    }

    @Test func assignmentsAreBinomialCoefficients() {
        #expect(PermutationTest.assignments(20, 10) == 184_756)
        #expect(PermutationTest.assignments(40, 20) == 137_846_528_820)
        #expect(PermutationTest.assignments(5, 0) == 1)
    }

    /// Log-rank scores are the pooled residuals of first contacts: their sum over group 1 is
    /// survdiff's O − E, and their exact permutation p is coin's.
    @Test func logRankScoresGiveCoinsExactP() throws {
        var units: [String: [(group: Int, time: Double, status: Bool)]] = [:]
        for row in try CurveReferenceTests.fixture("logrank_exact_data") {
            units[row[0], default: []].append((Int(row[2])!, Double(row[3])!, row[4] == "1"))
        }
        let reference = try CurveReferenceTests.fixture("logrank_exact_reference")
        try #require(reference.count == 6)
        for row in reference {
            let data = try #require(units[row[0]])
            let scores = PooledResiduals.residuals(windows: data.map(\.time), times: data.map { $0.status ? [$0.time] : [] })
            let inFirst = data.map { $0.group == 1 }
            let oMinusE = zip(scores, inFirst).reduce(0) { $0 + ($1.1 ? $1.0 : 0) }
            #expect(abs(oMinusE - Double(row[3])!) < 1e-12, "\(row[0]) O − E \(oMinusE)")
            var generator = SplitMix(seed: 1)
            let test = PermutationTest(scores: scores, inFirst: inFirst, using: &generator)
            #expect(abs(test.p - Double(row[5])!) < 1e-12, "\(row[0]) exact p \(test.p) vs coin \(row[5])")
            #expect(abs(test.p - Double(row[6])!) < 1e-12, "\(row[0]) exact p \(test.p) vs enumerated \(row[6])")
            let normal = try #require(PermutationTest.normalApproximation(scores: scores, inFirst: inFirst))
            #expect(abs(normal - Double(row[7])!) < 1e-12, "\(row[0]) normal approximation \(normal) vs coin's asymptotic \(row[7])")
            let logRank = LogRank((data.filter { $0.group == 1 }.map(\.time), data.filter { $0.group == 1 }.map(\.status)),
                                  (data.filter { $0.group == 2 }.map(\.time), data.filter { $0.group == 2 }.map(\.status)))
            #expect(abs(logRank.chiSquare - Double(row[1])!) < 1e-12 * max(1, Double(row[1])!), "\(row[0]) χ²")
        }
    }

    /// Σ over arm A of the pooled residuals of recurrent contacts is the proportional-rates score
    /// at β = 0 (Breslow), from the model's own score residuals.
    @Test func pooledResidualsSumToTheModelsScoreAtZero() throws {
        let windows = [10, 4, 9, 10, 2.5, 7], times: [[Double]] = [[0.5, 1.25, 9], [0.75, 3.9], [0.1, 2, 2.2], [6], [], [4, 4.5]]
        let first = [true, true, false, false, true, false]
        let residuals = PooledResiduals.residuals(windows: windows, times: times)
        let model = ProportionalRates(ProportionalRates.Data(covariates: first.map { [$0 ? 1 : 0] }, windows: windows, times: times), ties: .breslow)
        var work = ProportionalRates.Workspace(postings: windows.count, dimension: 1)
        _ = work.run { model.accumulate([0], excluding: nil, into: $0) }
        let score = work.scoreVector[0]
        #expect(abs(zip(residuals, first).reduce(0) { $0 + ($1.1 ? $1.0 : 0) } - score) < 1e-12)
        #expect(abs(residuals.reduce(0, +)) < 1e-12)
    }
}

/// One posting against many: few assignments, each visited, whatever the number of postings.
@Suite struct UnbalancedPermutationTests {
    @Test func onePostingAgainstManyIsEnumeratedQuickly() {
        var generator = SeededGenerator(seed: 7)
        let scores = (0..<200).map { _ in Double(generator.next() % 1000) / 10 }
        var labels = Array(repeating: false, count: 200)
        labels[17] = true
        let test = PermutationTest(scores: scores, inFirst: labels, using: &generator)
        #expect(test.draws == nil && test.assignments == 200)
        // Each of the 200 single postings is an assignment: the share at least as far from the mean.
        let mean = scores.reduce(0, +) / 200
        let observed = abs(scores[17] - mean)
        let extreme = scores.filter { abs($0 - mean) >= observed - 1e-9 * scores.reduce(0) { $0 + abs($1 - mean) } }.count
        #expect(abs(test.p - Double(extreme) / 200) < 1e-12)
    }
}
