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
            for _ in 0..<draws {
                var sum = 0.0
                for k in 0..<m {
                    let j = k + Self.index(below: g - k, using: &generator)
                    indices.swapAt(k, j)
                    sum += centred[indices[k]]
                }
                if abs(sum) >= threshold { extreme += 1 }
            }
            p = Double(1 + extreme) / Double(1 + draws)
            drawn = draws
        }
        self.draws = drawn
        let p = p
        monteCarloError = drawn.map { (p * (1 - p) / Double($0)).squareRoot() }
    }

    /// C(n, k) as a double (exact below 2⁵³).
    public static func assignments(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result.rounded()
    }

    /// The number of size-`size` subsets whose sum has |sum| ≥ threshold, by depth-first
    /// enumeration with running sums: O(C(n, size)) additions.
    static func countExtreme(_ values: [Double], size: Int, threshold: Double) -> Int {
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

    /// A uniform integer in 0..<bound: ⌊U · bound⌋ with U the top 53 bits of one output.
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
