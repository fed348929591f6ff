/// Contacts per posting-hour in consecutive bins, with exact Poisson intervals.
///
/// In the bin [a, b): rate = k / T, where k counts contacts with a ≤ s < b (a ≤ s ≤ b in the
/// last bin, which is closed at `until` so that a contact at the window end or horizon counts,
/// as it does in `mcf`) and
/// T = Σᵢ max(0, min(b, Cᵢ) − a) is the posting-hours at risk. The interval is Garwood's
/// (Biometrika 28:437–442, 1936): [χ²_{α/2}(2k)/(2T), χ²_{1−α/2}(2k+2)/(2T)], i.e. R's
/// `qgamma(α/2, k) / T` and `qgamma(1 − α/2, k + 1) / T`, with lower limit 0 when k = 0.
public enum BinnedRate {
    /// One point per bin start `a` (ascending), each bin ending at min(a + width, until); the last
    /// bin includes its end.
    /// Bins with no exposure have `nil` estimate and limits. With `resolution` (the unit times are
    /// recorded in, in hours), each posting's exposure in a bin is rounded to a whole number of
    /// units, so that differences of nearby times do not lose digits to cancellation.
    /// - Complexity: O(n + P · B) for n contacts, P postings and B bins.
    public static func estimate(_ data: RecurrentEvents, binStarts: [Double], width: Double, until: Double, confidence: Double = 0.95,
                                resolution: Double? = nil) -> [CurvePoint] {
        var accumulator = BinnedRateAccumulator(windows: data.windows, binStarts: binStarts, width: width, until: until, resolution: resolution)
        for (i, times) in data.times.enumerated() { accumulator.add(posting: i, times: times) }
        return accumulator.estimate(confidence: confidence)
    }
}

/// ``BinnedRate``'s estimate built from postings fed one at a time, in memory that grows with the
/// bins but not with the contacts.
public struct BinnedRateAccumulator: Sendable {
    let binStarts: [Double]
    let ends: [Double]
    var counts: [Int]
    var exposure: [Double]

    /// - Parameters:
    ///   - windows: each posting's window end in hours.
    ///   - binStarts: ascending; bin b is [binStarts[b], min(binStarts[b] + width, until)), the last
    ///     bin closed on the right.
    ///   - resolution: the unit times are recorded in, in hours (see ``BinnedRate``).
    public init(windows: [Double], binStarts: [Double], width: Double, until: Double, resolution: Double? = nil) {
        self.binStarts = binStarts
        ends = binStarts.map { min($0 + width, until) }
        counts = Array(repeating: 0, count: binStarts.count)
        exposure = Array(repeating: 0, count: binStarts.count)
        for window in windows {
            for b in binStarts.indices where binStarts[b] <= window {
                let hours = max(0, min(ends[b], window) - binStarts[b])
                exposure[b] += resolution.map { (hours / $0).rounded() * $0 } ?? hours
            }
        }
    }

    /// Adds one posting's contact times (hours, ascending).
    public mutating func add(posting _: Int, times: [Double]) {
        var k = -1
        for s in times {
            // The last bin starting at or before s; times ascend, so it only moves forward.
            while k + 1 < binStarts.count, binStarts[k + 1] <= s { k += 1 }
            if k >= 0, s < ends[k] || (k == binStarts.count - 1 && s == ends[k]) { counts[k] += 1 }
        }
    }

    /// One point per bin: rate, Garwood interval, posting-hours and contacts.
    public func estimate(confidence: Double = 0.95) -> [CurvePoint] {
        let alpha = 1 - confidence
        return binStarts.indices.map { b in
            let k = counts[b], t = exposure[b]
            guard t > 0 else {
                return CurvePoint(t: binStarts[b], estimate: nil, lower: nil, upper: nil, atRisk: 0, events: k)
            }
            let lower = k == 0 ? 0 : SpecialFunctions.gammaQuantile(alpha / 2, shape: Double(k)) / t
            let upper = SpecialFunctions.gammaQuantile(1 - alpha / 2, shape: Double(k + 1)) / t
            return CurvePoint(t: binStarts[b], estimate: Double(k) / t, lower: lower, upper: upper, atRisk: t, events: k)
        }
    }
}
