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
/// `qgamma(1 − α/2, k + 1) / T`, with lower limit 0 when k = 0 (``exactInterval(count:exposure:confidence:)``).
/// It assumes Poisson counts.
///
/// ``IntervalMethod/corrected`` (the default): contacts cluster within postings, so the ratio
/// estimator's variance is the sandwich with the n postings exposed in the bin as clusters and
/// the CR1 factor, Var log r = n/(n−1) · Σᵢ (kᵢ − r tᵢ)² / k² (n the postings with tᵢ > 0 or
/// kᵢ > 0: a contact at a window's end that is the bin's start counts without hours), and the
/// cluster-robust interval is r · exp(∓ q · se) with q = `qt(1 − α/2, n − 1)`. R:
/// `glm(k ~ 1, family = poisson, offset = log(t))` on the bin's postings with
/// `sandwich::vcovCL(fit, cluster = ~posting, type = "HC0", cadjust = TRUE)` and `qt`.
/// The default interval is the union of that interval and Garwood's for the same k and T (each
/// limit the more extreme of the two), so it is never narrower than the exact Poisson interval:
/// clustering makes counts vary more than Poisson counts, not less, so a cluster-robust interval
/// inside Garwood's is a variance estimated too small from few postings (it is 0 when every
/// posting had the same count over the same hours), not a rate known better than Poisson counts
/// could tell it. A bin without contacts has no variance to estimate: its interval is Garwood's,
/// [0, −log(α/2)/T]. With fewer than ``minimumClusters`` postings exposed the spread between
/// postings cannot be estimated (one posting has none; two give t on 1 degree of freedom,
/// q ≈ 12.7, limits e^(±12.7·se) from the rate): the interval is Garwood's, which assumes that
/// contacts do not cluster and is too narrow where they come in bursts.
public enum BinnedRate {
    /// The fewest postings exposed in a bin for which the default interval uses the cluster-robust
    /// variance; with fewer, it is Garwood's exact interval (see ``BinnedRate``).
    public static let minimumClusters = 3

    /// Garwood's exact Poisson interval of a rate for `count` events in `exposure` (> 0) units of
    /// time: [`qgamma(α/2, k)`, `qgamma(1 − α/2, k + 1)`] / T, the lower limit 0 when k = 0
    /// (Garwood, Biometrika 28:437–442, 1936). The one implementation of it: the classic bin
    /// interval and the floor of the default one.
    public static func exactInterval(count: Int, exposure: Double, confidence: Double = 0.95) -> ConfidenceInterval {
        let alpha = 1 - confidence
        let lower = count == 0 ? 0 : SpecialFunctions.gammaQuantile(alpha / 2, shape: Double(count)) / exposure
        let upper = SpecialFunctions.gammaQuantile(1 - alpha / 2, shape: Double(count + 1)) / exposure
        return ConfidenceInterval(lower: lower, upper: upper)
    }

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

    /// One point per bin: rate, interval (see ``BinnedRate``), posting-hours and contacts; the
    /// standard error (of r) where the cluster-robust variance is used.
    public func estimate(confidence: Double = 0.95, method: IntervalMethod = .corrected) -> [CurvePoint] {
        let alpha = 1 - confidence
        return binStarts.indices.map { b in
            let k = counts[b], t = exposure[b]
            guard t > 0 else {
                return CurvePoint(t: binStarts[b], estimate: nil, lower: nil, upper: nil, atRisk: 0, events: k)
            }
            let rate = Double(k) / t
            let n = Double(clusters[b])
            let exact = BinnedRate.exactInterval(count: k, exposure: t, confidence: confidence)
            if method == .corrected, k > 0, clusters[b] >= BinnedRate.minimumClusters {
                let meat = max(0, squaredCounts[b] - 2 * rate * crossProducts[b] + rate * rate * squaredExposure[b])
                let se = (meat * n / (n - 1)).squareRoot() / Double(k)
                let q = SpecialFunctions.studentTQuantile(1 - alpha / 2, degreesOfFreedom: n - 1)
                return CurvePoint(t: binStarts[b], estimate: rate, standardError: rate * se,
                                  lower: min(rate * Foundation.exp(-q * se), exact.lower),
                                  upper: max(rate * Foundation.exp(q * se), exact.upper), atRisk: t, events: k)
            }
            return CurvePoint(t: binStarts[b], estimate: rate, lower: exact.lower, upper: exact.upper, atRisk: t, events: k)
        }
    }
}
