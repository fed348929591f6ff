import Foundation

/// The mean cumulative number of contacts per posting, μ(t) = Σ_{s≤t} d(s) / Y(s).
///
/// The Nelson–Aalen estimator for recurrent events with independent censoring, with the robust
/// variance of Lawless and Nadeau (Technometrics 37:158–168, 1995):
/// Var μ(t) = Σᵢ ( Σ_{s≤t, s≤Cᵢ} (dNᵢ(s) − d(s)/Y(s)) / Y(s) )².
/// Agrees with R: `survfit(Surv(start, stop, event) ~ 1, id = posting, robust = TRUE)`'s
/// `cumhaz` and `std.chaz` on counting-process rows (see the fixture script in the tests).
public enum MeanCumulativeFunction {
    /// μ(t), its robust standard error and interval at each grid time (right-continuous).
    ///
    /// - Parameters:
    ///   - grid: times in hours, ascending.
    ///   - confidence: coverage of the interval, in (0, 1).
    /// - Returns: one point per grid time; `lower`/`upper` are `nil` where μ = 0 on the log scale.
    /// - Complexity: O(n log n + P · G) for n contacts, P postings and G grid times; memory O(n)
    ///   for one sorted copy of the contact times.
    public static func estimate(
        _ data: RecurrentEvents, at grid: [Double], confidence: Double = 0.95, interval: IntervalKind = .log
    ) -> [CurvePoint] {
        let sortedWindows = data.sortedWindows
        func inverseAtRisk(_ s: Double) -> Double { 1 / Double(RecurrentEvents.atRisk(s, sortedWindows: sortedWindows)) }
        // All contact times, sorted: the only array as large as the data.
        var all: [Double] = []
        all.reserveCapacity(data.contactCount)
        for times in data.times { all.append(contentsOf: times) }
        all.sort()

        // One sweep over distinct times s with counts d(s) accumulates M = Σ d/Y (at grid times)
        // and G = Σ d/Y² (at grid times and at every window end, where the variance needs it).
        let windowOrder = data.windows.indices.sorted { data.windows[$0] < data.windows[$1] }
        var meanAtGrid = [Double](repeating: 0, count: grid.count)
        var eventsAtGrid = [Int](repeating: 0, count: grid.count)
        var squareAtGrid = [Double](repeating: 0, count: grid.count)
        var squareAtWindow = [Double](repeating: 0, count: data.windows.count)
        var mean = 0.0, square = 0.0, seen = 0
        var nextGrid = 0, nextWindow = 0
        var k = 0
        func settle(upTo limit: Double) {
            while nextGrid < grid.count, grid[nextGrid] < limit {
                meanAtGrid[nextGrid] = mean
                squareAtGrid[nextGrid] = square
                eventsAtGrid[nextGrid] = seen
                nextGrid += 1
            }
            while nextWindow < windowOrder.count, data.windows[windowOrder[nextWindow]] < limit {
                squareAtWindow[windowOrder[nextWindow]] = square
                nextWindow += 1
            }
        }
        while k < all.count {
            let s = all[k]
            var d = 0
            while k < all.count, all[k] == s {
                d += 1
                k += 1
            }
            settle(upTo: s)   // queries before s see the sums without it
            let inverse = inverseAtRisk(s)
            mean += Double(d) * inverse
            square += Double(d) * inverse * inverse
            seen += d
        }
        settle(upTo: .infinity)
        all = []

        // Σᵢ (Aᵢ(min(t, Cᵢ)) − G(min(t, Cᵢ)))², where Aᵢ(u) = Σ_{contacts of i at s ≤ u} 1/Y(s).
        var variance = [Double](repeating: 0, count: grid.count)
        var frozen = [Double](repeating: 0, count: grid.count + 1)   // terms constant once t ≥ Cᵢ
        for (i, times) in data.times.enumerated() {
            let window = data.windows[i]
            var a = 0.0
            var next = 0
            var g = 0
            while g < grid.count, grid[g] < window {
                while next < times.count, times[next] <= grid[g] {
                    a += inverseAtRisk(times[next])
                    next += 1
                }
                let term = a - squareAtGrid[g]
                variance[g] += term * term
                g += 1
            }
            while next < times.count {
                a += inverseAtRisk(times[next])
                next += 1
            }
            let term = a - squareAtWindow[i]
            frozen[g] += term * term
        }
        var carried = 0.0
        for g in grid.indices {
            carried += frozen[g]
            variance[g] += carried
        }

        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        return grid.enumerated().map { g, t in
            let mu = meanAtGrid[g]
            let se = variance[g].squareRoot()
            let (lower, upper) = Self.interval(mu, se, z, interval)
            return CurvePoint(
                t: t, estimate: mu, standardError: se, lower: lower, upper: upper,
                atRisk: Double(RecurrentEvents.atRisk(t, sortedWindows: sortedWindows)), events: eventsAtGrid[g])
        }
    }

    /// The interval for an estimate ≥ 0 with standard error `se` and normal quantile `z`.
    static func interval(_ mu: Double, _ se: Double, _ z: Double, _ kind: IntervalKind) -> (Double?, Double?) {
        switch kind {
        case .log:
            guard mu > 0 else { return (nil, nil) }
            let factor = Foundation.exp(z * se / mu)
            return (mu / factor, mu * factor)
        case .plain:
            return (max(0, mu - z * se), mu + z * se)
        }
    }
}
