import DecoyModel

/// The background cumulative intensity M(t) of one posting over [0, horizon], tabulated at the
/// ends of its constant-modifier segments, so that M and its inverse cost a binary search and one
/// evaluation of the model instead of rebuilding the segments (what a power simulation, which asks
/// for M at a million random windows, needs).
public struct BackgroundProfile: Sendable {
    let base: ResponseModel
    let segments: [PostingIntensity.Segment]
    /// M at the start of each segment, and the total at the end.
    let before: [Double]
    public let horizon: Double

    public init(_ intensity: PostingIntensity, horizon: Double) {
        base = intensity.base
        segments = intensity.segments(until: horizon).filter { $0.factor > 0 }
        var total = 0.0
        var before: [Double] = []
        for s in segments {
            before.append(total)
            total += s.factor * (base.cumulative(at: s.end - s.origin) - base.cumulative(at: s.start - s.origin))
        }
        before.append(total)
        self.before = before
        self.horizon = horizon
    }

    /// M(horizon).
    public var total: Double { before[before.count - 1] }

    /// M(t) for 0 ≤ t ≤ horizon; equals ``PostingIntensity/backgroundCumulative(at:)`` up to rounding.
    public func cumulative(at t: Double) -> Double {
        // The last segment starting before t.
        var low = 0, high = segments.count
        while low < high {
            let mid = (low + high) / 2
            if segments[mid].start < t { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return 0 }
        let s = segments[low - 1]
        let end = min(t, s.end)
        return before[low - 1] + s.factor * (base.cumulative(at: end - s.origin) - base.cumulative(at: s.start - s.origin))
    }

    /// The t with M(t) = target, or `nil` when target ≥ M(limit) (no event by then): the first
    /// background event of a posting is `time(reaching: E)` for a unit exponential E.
    public func time(reaching target: Double, before limit: Double) -> Double? {
        guard target < total else { return nil }
        var low = 0, high = segments.count
        // The first segment whose end cumulative exceeds the target.
        while low < high {
            let mid = (low + high) / 2
            if before[mid + 1] <= target { low = mid + 1 } else { high = mid }
        }
        guard low < segments.count else { return nil }
        let s = segments[low]
        let from = s.start - s.origin, upTo = s.end - s.origin
        let inner = base.cumulative(at: from) + (target - before[low]) / s.factor
        let local = min(upTo, max(from, base.inverseCumulative(inner, from: from, upTo: upTo)))
        let t = min(s.end, max(s.start, s.origin + local))
        return t <= limit ? t : nil
    }
}
