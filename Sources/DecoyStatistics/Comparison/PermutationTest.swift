import Foundation

/// The randomization (permutation) distribution of a sum of per-posting scores over every
/// re-assignment of the arm labels, and the two-sided p of the observed assignment.
///
/// With scores aᵢ fixed under relabelling and arm A holding n_A of the G postings, the statistic
/// is T = Σ_{i∈A} aᵢ − n_A·ā (centred: its mean over assignments is 0). The two-sided p is the
/// share of assignments with |T*| ≥ |T| (within 10⁻⁹ of Σ|aᵢ|, so that equal sums reached in
/// another order count):
/// - all C(G, n_A) assignments when there are at most `enumerationLimit` of them (the exact p;
///   coin's `distribution = exact()` for the same scores);
/// - otherwise `draws` assignments drawn uniformly (each a partial Fisher–Yates shuffle from the
///   generator), p = (1 + b)/(1 + B) with b of the B draws at least as extreme: a valid p for
///   any B (Phipson and Smyth, Stat Appl Genet Mol Biol 9:39, 2010), with Monte Carlo standard
///   error √(p(1 − p)/B).
///
/// It tests the sharp null hypothesis that the arm changes nothing about a posting, its
/// observation window included (Wang, Lagakos and Gray, Biostatistics 11:676–692, 2010, on
/// permutation tests when censoring differs between groups).
public struct PermutationTest: Sendable, Equatable {
    /// T, the centred statistic of the observed assignment.
    public var statistic: Double
    /// The two-sided p.
    public var p: Double
    /// C(G, n_A), the number of possible assignments.
    public var assignments: Double
    /// B, the number of drawn assignments; `nil` when every assignment was enumerated.
    public var draws: Int?
    /// √(p(1 − p)/B) for drawn assignments; `nil` when enumerated (p is then exact).
    public var monteCarloError: Double?

    /// At most this many assignments are enumerated by default (10 postings against 10 have 184,756).
    public static let defaultEnumerationLimit = 200_000
    /// Draws when the assignments are too many to enumerate.
    public static let defaultDraws = 9_999

    /// - Parameters:
    ///   - scores: aᵢ of every posting.
    ///   - inFirst: whether each posting is in arm A.
    /// - Precondition: both arms have at least one posting.
    /// - Complexity: enumerated, O(2^(G/2) · G); drawn, O(B · min(n_A, n_B)).
    @inlinable  // so that the draws are specialised for the caller's generator
    public init(scores: [Double], inFirst: [Bool], enumerationLimit: Int = defaultEnumerationLimit, draws: Int = defaultDraws,
                using generator: inout some RandomNumberGenerator) {
        precondition(scores.count == inFirst.count, "one label per score")
        let g = scores.count
        let first = inFirst.filter { $0 }.count
        precondition(first >= 1 && first < g, "both arms need postings")
        precondition(draws >= 1, "at least one draw")
        // Enumerate the smaller side: its centred sum is minus the other's.
        let chosenFirst = first <= g - first
        let m = chosenFirst ? first : g - first
        let mean = scores.reduce(0, +) / Double(g)
        let centred = scores.map { $0 - mean }
        let observed = zip(centred, inFirst).reduce(0) { $0 + ($1.1 == chosenFirst ? $1.0 : 0) }
        let tolerance = 1e-9 * centred.reduce(0) { $0 + abs($1) }
        let threshold = abs(observed) - tolerance
        statistic = chosenFirst ? observed : -observed
        assignments = Self.assignments(g, m)
        let drawn: Int?
        if assignments <= Double(enumerationLimit) {
            let extreme = Self.countExtreme(centred, size: m, threshold: threshold)
            p = min(1, Double(extreme) / assignments)
            drawn = nil
        } else {
            var indices = Array(0..<g)
            var extreme = 0
            indices.withUnsafeMutableBufferPointer { indices in
                centred.withUnsafeBufferPointer { centred in
                    for _ in 0..<draws {
                        var sum = 0.0
                        for k in 0..<m {
                            let j = k + Self.index(below: g - k, using: &generator)
                            let chosen = indices[j]
                            indices[j] = indices[k]
                            indices[k] = chosen
                            sum += centred[chosen]
                        }
                        if abs(sum) >= threshold { extreme += 1 }
                    }
                }
            }
            p = Double(1 + extreme) / Double(1 + draws)
            drawn = draws
        }
        self.draws = drawn
        let p = p
        monteCarloError = drawn.map { (p * (1 - p) / Double($0)).squareRoot() }
    }

    /// The two-sided p of the normal approximation to the permutation distribution: z = T/σ with
    /// σ² = n_A n_B/(G(G − 1)) · Σ (aᵢ − ā)², the exact variance of T over all assignments
    /// (Mantel's; coin's default asymptotic p for the same scores). `nil` when σ = 0.
    public static func normalApproximation(scores: [Double], inFirst: [Bool]) -> Double? {
        let g = scores.count
        let first = inFirst.filter { $0 }.count
        guard first >= 1, first < g else { return nil }
        let mean = scores.reduce(0, +) / Double(g)
        let statistic = zip(scores, inFirst).reduce(0) { $0 + ($1.1 ? $1.0 - mean : 0) }
        let squares = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = Double(first) * Double(g - first) / (Double(g) * Double(g - 1)) * squares
        guard variance > 0 else { return nil }
        return 2 * SpecialFunctions.normalCDF(-abs(statistic) / variance.squareRoot())
    }

    /// C(n, k) as a double (exact below 2⁵³).
    @inlinable
    public static func assignments(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result.rounded()
    }

    /// The number of size-`size` subsets whose sum has |sum| ≥ threshold.
    ///
    /// Meet in the middle: the subset sums of each half of the values by subset size, each list
    /// sorted (built by merging, 2^(n/2) sums per half); for each split of the size between the
    /// halves, the pairs with s + t ≥ threshold and those with s + t ≤ −threshold are counted by
    /// two pointers moving once through both lists. O(2^(n/2) · n) instead of the C(n, size) of
    /// visiting every subset (10 postings against 10: about 20,000 steps instead of 184,756).
    @usableFromInline
    static func countExtreme(_ values: [Double], size: Int, threshold: Double) -> Int {
        let n = values.count
        // Few assignments (one posting against many): visiting each is cheaper than the halves'
        // 2^(n/2) sums, which grow without bound in n.
        if assignments(n, size) <= 4 * Double(1 << min(n / 2, 60)) { return visitExtreme(values, size: size, threshold: threshold) }
        let half = n / 2
        let left = sortedSubsetSums(Array(values[0..<half])), right = sortedSubsetSums(Array(values[half...]))
        var count = 0
        for k in max(0, size - (n - half))...min(size, half) {
            let l = left[k], r = right[size - k]
            if threshold <= 0 {
                count += l.count * r.count
                continue
            }
            // s + t ≥ threshold: as s rises, the first such t falls.
            var j = r.count
            for s in l {
                while j > 0, s + r[j - 1] >= threshold { j -= 1 }
                count += r.count - j
            }
            // s + t ≤ −threshold: as s falls, the last such t rises.
            j = 0
            for s in l.reversed() {
                while j < r.count, s + r[j] <= -threshold { j += 1 }
                count += j
            }
        }
        return count
    }

    /// The same count by visiting every size-`size` subset with running sums: O(C(n, size)).
    static func visitExtreme(_ values: [Double], size: Int, threshold: Double) -> Int {
        let n = values.count
        var count = 0
        func visit(_ start: Int, _ left: Int, _ sum: Double) {
            if left == 0 {
                if abs(sum) >= threshold { count += 1 }
                return
            }
            var i = start
            while i <= n - left {
                visit(i + 1, left - 1, sum + values[i])
                i += 1
            }
        }
        visit(0, size, 0)
        return count
    }

    /// Every subset's sum, grouped by the subset's size, each group ascending: adding one value
    /// merges each size's sums with the next smaller size's sums plus the value.
    static func sortedSubsetSums(_ values: [Double]) -> [[Double]] {
        var bySize: [[Double]] = [[0]]
        for value in values {
            var next: [[Double]] = []
            next.reserveCapacity(bySize.count + 1)
            for k in 0...bySize.count {
                let without = k < bySize.count ? bySize[k] : []
                let with = k > 0 ? bySize[k - 1] : []
                var merged: [Double] = []
                merged.reserveCapacity(without.count + with.count)
                var i = 0, j = 0
                while i < without.count || j < with.count {
                    if j == with.count || (i < without.count && without[i] <= with[j] + value) {
                        merged.append(without[i])
                        i += 1
                    } else {
                        merged.append(with[j] + value)
                        j += 1
                    }
                }
                next.append(merged)
            }
            bySize = next
        }
        return bySize
    }

    /// A uniform integer in 0..<bound: ⌊U · bound⌋ with U the top 53 bits of one output.
    @inlinable
    static func index(below bound: Int, using generator: inout some RandomNumberGenerator) -> Int {
        min(bound - 1, Int(Double(generator.next() >> 11) * 0x1p-53 * Double(bound)))
    }
}

/// Each posting's observed contacts minus those the pooled mean function expects of it over its
/// window: rᵢ = Nᵢ(Cᵢ) − μ̂(Cᵢ), μ̂(t) = Σ_{s≤t} d(s)/Y(s) the Nelson–Aalen mean over all postings.
///
/// Σ_{i∈A} rᵢ is the log-rank statistic O_A − E_A of recurrent contacts, which is the score of
/// the proportional-rates model at β = 0 (Breslow); with each posting's first contact alone (and
/// its follow-up as window) it is `survdiff`'s O − E of time to first contact. The residuals do
/// not change when the arm labels are re-assigned, so Σ_{i∈A} rᵢ can be permuted cheaply.
public enum PooledResiduals {
    /// - Parameters:
    ///   - windows: Cᵢ.
    ///   - times: each posting's contact times, ascending, within [0, Cᵢ].
    /// - Complexity: O(E + G log G) for E contacts and G postings.
    public static func residuals(windows: [Double], times: [[Double]]) -> [Double] {
        let g = windows.count
        let sorted = windows.sorted()
        // A contact at t sees Y(t) = #{C ≥ t} = g − #{C < t} postings; bucket 1/Y by #{C < t}.
        var jump = Array(repeating: 0.0, count: g + 1)
        for postingTimes in times {
            var leaving = 0
            for t in postingTimes {
                while leaving < g, sorted[leaving] < t { leaving += 1 }
                if leaving < g { jump[leaving] += 1 / Double(g - leaving) }
            }
        }
        // A contact at t is within Cᵢ exactly when #{C < t} ≤ #{C < Cᵢ}.
        var cumulative = jump
        for k in 1..<cumulative.count { cumulative[k] += cumulative[k - 1] }
        return (0..<g).map { i in
            let before = RecurrentEvents.lowerBound(sorted, windows[i])
            return Double(times[i].count) - cumulative[before]
        }
    }
}
