import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStatistics

/// The stratified randomization test against brute force, and the residuals it permutes.
struct StratifiedPermutationTestTests {
    /// Every permutation of the postings within each block (with repeats: each distinct assignment
    /// appears equally often), the statistic recomputed from scratch for each.
    static func bruteForceP(scores: [Double], levels: [Int], blocks: [Int]) -> Double {
        func statistic(_ l: [Int]) -> Double {
            var sums: [Int: Double] = [:], sizes: [Int: Int] = [:]
            for (a, level) in zip(scores, l) { sums[level, default: 0] += a; sizes[level, default: 0] += 1 }
            return sums.keys.reduce(0) { $0 + sums[$1]! * sums[$1]! / Double(sizes[$1]!) }
        }
        let observed = statistic(levels)
        func permutations(_ items: [Int]) -> [[Int]] {
            guard items.count > 1 else { return [items] }
            return items.indices.flatMap { i in
                var rest = items
                let first = rest.remove(at: i)
                return permutations(rest).map { [first] + $0 }
            }
        }
        let groups = Dictionary(grouping: levels.indices, by: { blocks[$0] }).values.map { $0 }
        var assignments: [[Int]] = [levels]
        for group in groups {
            let orders = permutations(group.map { levels[$0] })
            assignments = assignments.flatMap { base in
                orders.map { order in
                    var next = base
                    for (k, i) in group.enumerated() { next[i] = order[k] }
                    return next
                }
            }
        }
        let extreme = assignments.filter { statistic($0) >= observed - 1e-9 * max(1, observed) }.count
        return Double(extreme) / Double(assignments.count)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func enumerationEqualsBruteForce(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let scores = (0..<9).map { _ in Double(generator.below(1000)) / 100 - 5 }
        let levels = [0, 1, 2, 0, 1, 0, 1, 1, 2]
        let blocks = [0, 0, 0, 0, 1, 1, 1, 1, 1]
        let test = StratifiedPermutationTest(scores: scores, levels: levels, blocks: blocks, using: &generator)
        #expect(test.draws == nil)
        // 4!/(2!1!1!) × 5!/(1!3!1!)... block 0 holds levels 0,1,2,0 (12 arrangements), block 1 0,1,1,1,2 (20).
        #expect(test.assignments == 240)
        #expect(abs(test.p - Self.bruteForceP(scores: scores, levels: levels, blocks: blocks)) < 1e-12)
    }

    /// Two levels in one block: the same p as the two-arm permutation test of the same scores.
    @Test func twoLevelsOneBlockIsTheTwoArmTest() {
        var generator = SeededGenerator(seed: 9)
        let scores = (0..<12).map { _ in Double(generator.below(1000)) / 100 }
        let inFirst = (0..<12).map { $0 % 3 == 0 }
        let two = PermutationTest(scores: scores, inFirst: inFirst, using: &generator)
        let mean = scores.reduce(0, +) / 12
        let stratified = StratifiedPermutationTest(scores: scores.map { $0 - mean }, levels: inFirst.map { $0 ? 1 : 0 }, blocks: Array(repeating: 0, count: 12),
                                                   using: &generator)
        #expect(abs(two.p - stratified.p) < 1e-12 && two.assignments == stratified.assignments)
    }

    @Test func drawsGiveAValidPWithItsMonteCarloError() {
        var generator = SeededGenerator(seed: 4)
        let scores = (0..<40).map { _ in Double(generator.below(1000)) / 100 }
        let levels = (0..<40).map { $0 % 2 }
        let test = StratifiedPermutationTest(scores: scores, levels: levels, blocks: (0..<40).map { $0 / 20 }, draws: 999, using: &generator)
        #expect(test.draws == 999 && test.p >= 1.0 / 1000 && test.p <= 1)
        #expect(test.monteCarloError == (test.p * (1 - test.p) / 999).squareRoot())
    }

    /// With η = 0 and one stratum, the residuals are the pooled ones; worked by hand: windows 2, 1,
    /// contacts {0.5, 1.5} and {0.8}, η = (log 2, 0): Λ̂₀ jumps 1/3 at 0.5 and 0.8 (both at risk,
    /// weights 2 + 1) and 1/2 at 1.5 (the first alone), so Λ̂₀(1) = 2/3, Λ̂₀(2) = 2/3 + 1/2;
    /// M̂ = (2 − 2·7/6, 1 − 2/3) = (−1/3, 1/3).
    @Test func martingaleResiduals() {
        let windows = [2.0, 1.0], times = [[0.5, 1.5], [0.8]]
        let m = MartingaleResiduals.residuals(windows: windows, times: times, linearPredictors: [Foundation.log(2), 0], strata: [0, 0])
        #expect(abs(m[0] + 1.0 / 3) < 1e-14 && abs(m[1] - 1.0 / 3) < 1e-14)
        var generator = SeededGenerator(seed: 12)
        let w = (0..<15).map { _ in 1 + Double(generator.below(100)) / 10 }
        let t = w.map { c in (0..<generator.below(6)).map { _ in Double(generator.below(1000)) / 1000 * c }.sorted() }
        let pooled = PooledResiduals.residuals(windows: w, times: t)
        let general = MartingaleResiduals.residuals(windows: w, times: t, linearPredictors: Array(repeating: 0, count: 15), strata: Array(repeating: 0, count: 15))
        #expect(zip(pooled, general).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
