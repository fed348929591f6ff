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
    /// - Complexity: O(n log n + P · G) for n contacts, P postings and G grid times.
    public static func estimate(
        _ data: RecurrentEvents, at grid: [Double], confidence: Double = 0.95, interval: IntervalKind = .log
    ) -> [CurvePoint] {
        let sortedWindows = data.sortedWindows
        // Distinct contact times s_j with their counts d_j.
        var all: [Double] = []
        all.reserveCapacity(data.contactCount)
        for times in data.times { all.append(contentsOf: times) }
        all.sort()
        var distinct: [Double] = []
        var counts: [Int] = []
        for s in all {
            if let last = distinct.last, last == s { counts[counts.count - 1] += 1 } else { distinct.append(s); counts.append(1) }
        }
        // Running sums M_j = Σ d/Y and G_j = Σ d/Y² over distinct times; inverse Y per time.
        var inverseAtRisk = [Double](repeating: 0, count: distinct.count)
        var cumulativeMean = [Double](repeating: 0, count: distinct.count)
        var cumulativeSquare = [Double](repeating: 0, count: distinct.count)
        var mean = 0.0, square = 0.0
        for j in distinct.indices {
            let y = Double(RecurrentEvents.atRisk(distinct[j], sortedWindows: sortedWindows))
            inverseAtRisk[j] = 1 / y
            mean += Double(counts[j]) / y
            square += Double(counts[j]) / (y * y)
            cumulativeMean[j] = mean
            cumulativeSquare[j] = square
        }
        func running(_ values: [Double], upTo u: Double) -> Double {
            let k = RecurrentEvents.upperBound(distinct, u)
            return k == 0 ? 0 : values[k - 1]
        }

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
                    a += inverseAtRisk[RecurrentEvents.lowerBound(distinct, times[next])]
                    next += 1
                }
                let term = a - running(cumulativeSquare, upTo: grid[g])
                variance[g] += term * term
                g += 1
            }
            while next < times.count {
                a += inverseAtRisk[RecurrentEvents.lowerBound(distinct, times[next])]
                next += 1
            }
            let term = a - running(cumulativeSquare, upTo: window)
            frozen[g] += term * term
        }
        var carried = 0.0
        for g in grid.indices {
            carried += frozen[g]
            variance[g] += carried
        }

        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        var eventsSoFar = 0
        var cursor = 0
        return grid.enumerated().map { g, t in
            while cursor < distinct.count, distinct[cursor] <= t {
                eventsSoFar += counts[cursor]
                cursor += 1
            }
            let mu = cursor == 0 ? 0 : cumulativeMean[cursor - 1]
            let se = variance[g].squareRoot()
            let (lower, upper) = Self.interval(mu, se, z, interval)
            return CurvePoint(
                t: t, estimate: mu, standardError: se, lower: lower, upper: upper,
                atRisk: Double(RecurrentEvents.atRisk(t, sortedWindows: sortedWindows)), events: eventsSoFar)
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
