import Foundation

/// The mean cumulative number of contacts per posting, μ(t) = Σ_{s≤t} d(s) / Y(s).
///
/// The Nelson–Aalen estimator for recurrent events with independent censoring, with the robust
/// variance of Lawless and Nadeau (Technometrics 37:158–168, 1995):
/// Var μ(t) = Σᵢ ( Σ_{s≤t, s≤Cᵢ} (dNᵢ(s) − d(s)/Y(s)) / Y(s) )².
/// Agrees with R: `survfit(Surv(start, stop, event) ~ 1, id = posting, robust = TRUE)`'s
/// `cumhaz` and `std.chaz` on counting-process rows (see the fixture script in the tests) under
/// ``IntervalMethod/classic``, interval μ·exp(∓z·se/μ) with z = `qnorm(1 − α/2)`.
/// ``IntervalMethod/corrected`` (the default) multiplies the variance by n/(n−1), n the postings
/// of the group, and uses q = `qt(1 − α/2, n − 1)`: R's `std.chaz * sqrt(n/(n-1))` and `qt`.
public enum MeanCumulativeFunction {
    /// μ(t), its robust standard error and interval at each grid time (right-continuous).
    ///
    /// - Parameters:
    ///   - grid: times in hours, ascending.
    ///   - confidence: coverage of the interval, in (0, 1).
    /// - Returns: one point per grid time; the interval is [0, 0] where μ = 0.
    /// - Complexity: O(n + P · G) for n contacts, P postings and G grid times; memory O(P + G)
    ///   besides the data (see ``MeanCumulativeAccumulator``, which does the work).
    public static func estimate(
        _ data: RecurrentEvents, at grid: [Double], confidence: Double = 0.95, interval: IntervalKind = .log,
        method: IntervalMethod = .corrected
    ) -> [CurvePoint] {
        var accumulator = MeanCumulativeAccumulator(windows: data.windows, grid: grid)
        for (i, times) in data.times.enumerated() { accumulator.add(posting: i, times: times) }
        return accumulator.estimate(confidence: confidence, interval: interval, method: method)
    }

    /// The interval for an estimate ≥ 0 with standard error `se` and quantile `z` (normal or t);
    /// `nil` limits where either is undefined (a single posting under the corrected method).
    static func interval(_ mu: Double, _ se: Double?, _ z: Double?, _ kind: IntervalKind) -> (Double?, Double?) {
        if kind == .log, !(mu > 0) { return (0, 0) }
        guard let se, let z else { return (nil, nil) }
        switch kind {
        case .log:
            // No contact yet: the estimate is exactly 0 with no variance, as R survival and
            // lifelines report it, so a plotted ribbon starts at 0 instead of a gap.
            guard mu > 0 else { return (0, 0) }
            let factor = Foundation.exp(z * se / mu)
            return (mu / factor, mu * factor)
        case .plain:
            return (max(0, mu - z * se), mu + z * se)
        }
    }
}

extension MeanCumulativeFunction {
    /// μ̂₍₋ᵢ₎(t) for every posting i: the mean cumulative contacts at `t` of the other postings,
    /// for a jackknife over postings.
    ///
    /// A contact at s ≤ t sees Y(s) = n − k postings, k = #{Cⱼ < s}; posting i is among them
    /// exactly when k ≤ #{Cⱼ < Cᵢ}. With d_k the contacts seen by n − k and d_ik posting i's,
    /// μ̂₍₋ᵢ₎(t) = Σ_k (d_k − d_ik) / (n − k − 1{k ≤ #{Cⱼ < Cᵢ}}), O(n) per posting after one pass.
    /// - Parameters:
    ///   - windows: Cᵢ.
    ///   - times: each posting's contact times, ascending; or `nil` with `counts` when every
    ///     window is at least `t` and every contact is before it.
    public static func leaveOneOut(at t: Double, windows: [Double], times: [[Double]]?, counts: [Int]) -> [Double] {
        let n = windows.count
        guard n > 1 else { return [] }
        let sorted = windows.sorted()
        var seen = Array(repeating: 0.0, count: n + 1)   // d_k
        var own: [[(k: Int, count: Int)]] = Array(repeating: [], count: n)
        for i in 0..<n {
            if let times {
                var k = 0, run = 0
                for s in times[i] where s <= t {
                    if k < n, sorted[k] < s {
                        if run > 0 { own[i].append((k, run)); run = 0 }
                        while k < n, sorted[k] < s { k += 1 }
                    }
                    run += 1
                }
                if run > 0 { own[i].append((k, run)) }
            } else if counts[i] > 0 {
                own[i].append((0, counts[i]))
            }
            for (k, count) in own[i] { seen[k] += Double(count) }
        }
        let occupied = seen.indices.filter { seen[$0] > 0 }
        return (0..<n).map { i in
            let before = RecurrentEvents.lowerBound(sorted, windows[i])
            var mine = own[i][...]
            var mu = 0.0
            for k in occupied {
                var d = seen[k]
                if let first = mine.first, first.k == k {
                    d -= Double(first.count)
                    mine = mine.dropFirst()
                }
                let atRisk = n - k - (k <= before ? 1 : 0)
                if d > 0, atRisk > 0 { mu += d / Double(atRisk) }
            }
            return mu
        }
    }
}
