import Foundation

/// The randomization distribution of a one-way statistic of per-posting scores when labels
/// (levels 0..<L) are re-assigned among the postings of each block only, and the p of the
/// observed assignment.
///
/// The statistic is S = Σ_ℓ (Σ_{i in level ℓ} aᵢ)² / n_ℓ, the between-level sum of squares of the
/// scores (with scores that sum to zero within each block, as residuals of a model with a
/// baseline per block do); with two levels and one block it is a monotone function of |T| of
/// ``PermutationTest``, so both give the same p. Re-assignments keep each block's count of each
/// level (a restricted randomization: strata, or cells of other factors, held). The p is the
/// share of assignments with S* ≥ S (less 10⁻⁹ relative, so that equal values reached in another
/// order count):
/// - over every distinct assignment when there are at most `enumerationLimit` of them
///   (Π over blocks of the multinomial coefficients);
/// - otherwise over `draws` assignments, each block shuffled uniformly, p = (1 + b)/(1 + B).
public struct StratifiedPermutationTest: Sendable, Equatable {
    public var statistic: Double
    public var p: Double
    /// The number of distinct assignments.
    public var assignments: Double
    /// B, where assignments were drawn; `nil` when every one was enumerated.
    public var draws: Int?
    public var monteCarloError: Double?

    /// - Parameters:
    ///   - scores: aᵢ of every posting.
    ///   - levels: each posting's level, 0..<L.
    ///   - blocks: each posting's block (any integers).
    /// - Precondition: at least two levels occur.
    public init(scores: [Double], levels: [Int], blocks: [Int], enumerationLimit: Int = PermutationTest.defaultEnumerationLimit,
                draws: Int = PermutationTest.defaultDraws, using generator: inout some RandomNumberGenerator) {
        precondition(scores.count == levels.count && scores.count == blocks.count, "one level and one block per score")
        let levelCount = (levels.max() ?? 0) + 1
        var sizes = [Int](repeating: 0, count: levelCount)
        for level in levels { sizes[level] += 1 }
        precondition(sizes.filter { $0 > 0 }.count >= 2, "two levels at least")
        func statistic(_ levels: [Int]) -> Double {
            var sums = [Double](repeating: 0, count: levelCount)
            for (a, level) in zip(scores, levels) { sums[level] += a }
            return zip(sums, sizes).reduce(0) { $1.1 > 0 ? $0 + $1.0 * $1.0 / Double($1.1) : $0 }
        }
        let observed = statistic(levels)
        let threshold = observed - 1e-9 * max(1, observed)
        self.statistic = observed
        // Each block's postings and its multiset of levels.
        var members: [Int: [Int]] = [:]
        for (i, block) in blocks.enumerated() { members[block, default: []].append(i) }
        let groups = members.keys.sorted().map { members[$0]! }
        var count = 1.0
        for group in groups {
            var counts = [Int](repeating: 0, count: levelCount)
            for i in group { counts[levels[i]] += 1 }
            count *= Self.multinomial(counts)
        }
        assignments = count
        if count <= Double(enumerationLimit) {
            var current = levels
            var extreme = 0.0, total = 0.0
            // Every distinct arrangement of each block's levels, block by block.
            func visit(_ g: Int) {
                if g == groups.count {
                    total += 1
                    if statistic(current) >= threshold { extreme += 1 }
                    return
                }
                let group = groups[g]
                var pool = group.map { levels[$0] }.sorted()
                Self.forEachArrangement(&pool) { arrangement in
                    for (k, i) in group.enumerated() { current[i] = arrangement[k] }
                    visit(g + 1)
                }
            }
            visit(0)
            p = extreme / total
            self.draws = nil
            monteCarloError = nil
        } else {
            var current = levels
            var extreme = 0
            for _ in 0..<draws {
                for group in groups where group.count > 1 {
                    for k in 0..<(group.count - 1) {
                        let j = k + PermutationTest.index(below: group.count - k, using: &generator)
                        current.swapAt(group[k], group[j])
                    }
                }
                if statistic(current) >= threshold { extreme += 1 }
            }
            let p = Double(1 + extreme) / Double(1 + draws)
            self.p = p
            self.draws = draws
            monteCarloError = (p * (1 - p) / Double(draws)).squareRoot()
        }
    }

    /// n! / Π cₖ!, as a double.
    static func multinomial(_ counts: [Int]) -> Double {
        var result = 1.0, n = 0
        for c in counts {
            for k in stride(from: 1, through: c, by: 1) {
                n += 1
                result = result * Double(n) / Double(k)
            }
        }
        return result.rounded()
    }

    /// Calls `body` with each distinct arrangement of `values` (sorted ascending on entry), in
    /// lexicographic order (the next-permutation algorithm, which skips repeats).
    static func forEachArrangement(_ values: inout [Int], _ body: ([Int]) -> Void) {
        while true {
            body(values)
            var i = values.count - 2
            while i >= 0, values[i] >= values[i + 1] { i -= 1 }
            if i < 0 { return }
            var j = values.count - 1
            while values[j] <= values[i] { j -= 1 }
            values.swapAt(i, j)
            values[(i + 1)...].reverse()
        }
    }
}

/// Each posting's martingale residual under a proportional-rates model with fixed linear
/// predictors ηᵢ: M̂ᵢ = Nᵢ(Cᵢ) − e^{ηᵢ} Λ̂₀ₖ(Cᵢ), with Breslow's baseline
/// Λ̂₀ₖ(t) = Σ_{s ≤ t} dNₖ(s) / Σ_{l in stratum k, C_l ≥ s} e^{η_l}. With η = 0 and one stratum,
/// ``PooledResiduals``. Σ over a stratum of M̂ᵢ is 0, and Σᵢ xᵢ M̂ᵢ is the model's score for a
/// covariate x at coefficient 0 (Breslow ties).
public enum MartingaleResiduals {
    public static func residuals(windows: [Double], times: [[Double]], linearPredictors eta: [Double], strata: [Int]) -> [Double] {
        var members: [Int: [Int]] = [:]
        for (i, k) in strata.enumerated() { members[k, default: []].append(i) }
        var result = [Double](repeating: 0, count: windows.count)
        for group in members.values {
            // Postings by descending window: the risk set at s is a prefix of those with C ≥ s.
            let order = group.sorted { windows[$0] > windows[$1] }
            var contacts: [Double] = []
            for i in group { contacts += times[i] }
            contacts.sort()
            // Λ̂₀ at each window: accumulate jumps in ascending time with the risk sum of C ≥ t.
            let ascending = order.reversed().map { $0 }
            var riskSum = group.reduce(0.0) { $0 + Foundation.exp(eta[$1]) }
            var cumulative = 0.0, next = 0
            for i in ascending {
                // Contacts up to Cᵢ see every posting not yet passed (windows ≥ the contact).
                while next < contacts.count, contacts[next] <= windows[i] {
                    cumulative += 1 / riskSum
                    next += 1
                }
                result[i] = Double(times[i].count) - Foundation.exp(eta[i]) * cumulative
                riskSum -= Foundation.exp(eta[i])
            }
        }
        return result
    }
}
