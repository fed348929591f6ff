import Foundation

/// Contacts per posting-hour in consecutive bins, with cluster-robust or exact Poisson intervals.
///
/// In the bin [a, b): rate r = k / T, where k = Σᵢ kᵢ counts contacts with a ≤ s < b (a ≤ s ≤ b
/// in the last bin, which is closed at `until` so that a contact at the window end or horizon
/// counts, as it does in `mcf`) and T = Σᵢ tᵢ, tᵢ = max(0, min(b, Cᵢ) − a), is the posting-hours
/// at risk.
///
/// ``IntervalMethod/classic``: Garwood's exact Poisson interval (Biometrika 28:437–442, 1936),
/// [χ²_{α/2}(2k)/(2T), χ²_{1−α/2}(2k+2)/(2T)], i.e. R's `qgamma(α/2, k) / T` and
/// `qgamma(1 − α/2, k + 1) / T`, with lower limit 0 when k = 0. It assumes Poisson counts.
///
/// ``IntervalMethod/corrected`` (the default): contacts cluster within postings, so the ratio
/// estimator's variance is the sandwich with the n postings exposed in the bin as clusters and
/// the CR1 factor, Var log r = n/(n−1) · Σᵢ (kᵢ − r tᵢ)² / k² (n the postings with tᵢ > 0 or
/// kᵢ > 0: a contact at a window's end that is the bin's start counts without hours), and the interval is
/// r · exp(∓ q · se) with q = `qt(1 − α/2, n − 1)`. R: `glm(k ~ 1, family = poisson,
/// offset = log(t))` on the bin's postings with `sandwich::vcovCL(fit, cluster = ~posting,
/// type = "HC0", cadjust = TRUE)` and `qt`. A bin without contacts has no variance to estimate:
/// its interval is [0, Garwood's upper limit −log(α/2)/T]; a bin with one exposed posting falls
/// back to Garwood's interval.
public enum BinnedRate {
    /// One point per bin start `a` (ascending), each bin ending at min(a + width, until); the last
    /// bin includes its end.
    /// Bins with no exposure have `nil` estimate and limits. With `resolution` (the unit times are
    /// recorded in, in hours), each posting's exposure in a bin is rounded to a whole number of
    /// units, so that differences of nearby times do not lose digits to cancellation.
    /// - Complexity: O(n + P · B) for n contacts, P postings and B bins.
    public static func estimate(_ data: RecurrentEvents, binStarts: [Double], width: Double, until: Double, confidence: Double = 0.95,
                                resolution: Double? = nil, method: IntervalMethod = .corrected) -> [CurvePoint] {
        var accumulator = BinnedRateAccumulator(windows: data.windows, binStarts: binStarts, width: width, until: until, resolution: resolution)
        for (i, times) in data.times.enumerated() { accumulator.add(posting: i, times: times) }
        return accumulator.estimate(confidence: confidence, method: method)
    }
}

/// ``BinnedRate``'s estimate built from postings fed one at a time, in memory that grows with the
/// bins but not with the contacts.
public struct BinnedRateAccumulator: Sendable {
    let binStarts: [Double]
    let ends: [Double]
    let windows: [Double]
    let resolution: Double?
    var counts: [Int]
    var exposure: [Double]
    /// Per bin: postings exposed, Σ tᵢ², and (as postings arrive) Σ kᵢ² and Σ kᵢ tᵢ.
    var clusters: [Int]
    var squaredExposure: [Double]
    var squaredCounts: [Double]
    var crossProducts: [Double]

    /// - Parameters:
    ///   - windows: each posting's window end in hours.
    ///   - binStarts: ascending; bin b is [binStarts[b], min(binStarts[b] + width, until)), the last
    ///     bin closed on the right.
    ///   - resolution: the unit times are recorded in, in hours (see ``BinnedRate``).
    public init(windows: [Double], binStarts: [Double], width: Double, until: Double, resolution: Double? = nil) {
        self.binStarts = binStarts
        self.windows = windows
        self.resolution = resolution
        ends = binStarts.map { min($0 + width, until) }
        counts = Array(repeating: 0, count: binStarts.count)
        exposure = Array(repeating: 0, count: binStarts.count)
        clusters = Array(repeating: 0, count: binStarts.count)
        squaredExposure = Array(repeating: 0, count: binStarts.count)
        squaredCounts = Array(repeating: 0, count: binStarts.count)
        crossProducts = Array(repeating: 0, count: binStarts.count)
        for window in windows {
            for b in binStarts.indices where binStarts[b] <= window {
                let hours = exposure(of: window, inBin: b)
                exposure[b] += hours
                squaredExposure[b] += hours * hours
                if hours > 0 { clusters[b] += 1 }
            }
        }
    }

    /// tᵢ: the hours a posting with window end `window` is at risk in bin `b` (rounded to the
    /// resolution).
    func exposure(of window: Double, inBin b: Int) -> Double {
        guard binStarts[b] <= window else { return 0 }
        let hours = max(0, min(ends[b], window) - binStarts[b])
        return resolution.map { (hours / $0).rounded() * $0 } ?? hours
    }

    /// Adds one posting's contact times (hours, ascending).
    public mutating func add(posting index: Int, times: [Double]) {
        var k = -1
        var run = 0
        func flush(_ b: Int) {
            guard b >= 0, run > 0 else { return }
            let c = Double(run), hours = exposure(of: windows[index], inBin: b)
            squaredCounts[b] += c * c
            crossProducts[b] += c * hours
            // A contact at a window's end that is also the bin's start: a cluster without hours.
            if hours == 0 { clusters[b] += 1 }
            run = 0
        }
        for s in times {
            // The last bin starting at or before s; times ascend, so it only moves forward.
            let previous = k
            while k + 1 < binStarts.count, binStarts[k + 1] <= s { k += 1 }
            if k != previous { flush(previous) }
            if k >= 0, s < ends[k] || (k == binStarts.count - 1 && s == ends[k]) {
                counts[k] += 1
                run += 1
            }
        }
        flush(k)
    }

    /// One point per bin: rate, interval (see ``BinnedRate``), posting-hours and contacts.
    public func estimate(confidence: Double = 0.95, method: IntervalMethod = .corrected) -> [CurvePoint] {
        let alpha = 1 - confidence
        return binStarts.indices.map { b in
            let k = counts[b], t = exposure[b]
            guard t > 0 else {
                return CurvePoint(t: binStarts[b], estimate: nil, lower: nil, upper: nil, atRisk: 0, events: k)
            }
            let rate = Double(k) / t
            let n = Double(clusters[b])
            if method == .corrected, k > 0, n > 1 {
                let meat = max(0, squaredCounts[b] - 2 * rate * crossProducts[b] + rate * rate * squaredExposure[b])
                let se = (meat * n / (n - 1)).squareRoot() / Double(k)
                let q = SpecialFunctions.studentTQuantile(1 - alpha / 2, degreesOfFreedom: n - 1)
                return CurvePoint(t: binStarts[b], estimate: rate, standardError: rate * se, lower: rate * Foundation.exp(-q * se),
                                  upper: rate * Foundation.exp(q * se), atRisk: t, events: k)
            }
            let lower = k == 0 ? 0 : SpecialFunctions.gammaQuantile(alpha / 2, shape: Double(k)) / t
            let upper = SpecialFunctions.gammaQuantile(1 - alpha / 2, shape: Double(k + 1)) / t
            return CurvePoint(t: binStarts[b], estimate: rate, lower: lower, upper: upper, atRisk: t, events: k)
        }
    }
}
