/// Recurrent-event data: each posting's observation window and its contact times.
///
/// Posting i is observed on [0, Cᵢ] (hours since it went live) and at risk at s when s ≤ Cᵢ,
/// so a contact at the very end of a window counts (docs/statistics.md: contacts come before the end).
public struct RecurrentEvents: Sendable, Equatable {
    /// Cᵢ, the end of each posting's observation window, in hours.
    public var windows: [Double]
    /// Each posting's contact times in hours, ascending, each in [0, Cᵢ].
    public var times: [[Double]]

    /// - Precondition: one list of times per window.
    public init(windows: [Double], times: [[Double]]) {
        precondition(windows.count == times.count, "one list of contact times per posting")
        self.windows = windows
        self.times = times
    }

    /// Number of postings.
    public var count: Int { windows.count }

    /// Total number of contacts.
    public var contactCount: Int { times.reduce(0) { $0 + $1.count } }

    /// Windows in ascending order, for counting postings at risk by binary search.
    var sortedWindows: [Double] { windows.sorted() }

    /// Y(s) = #{i : Cᵢ ≥ s}, the postings at risk at s, from ascending window ends (hours).
    /// - Complexity: O(log n), by bisection.
    public static func atRisk(_ s: Double, sortedWindows: [Double]) -> Int {
        sortedWindows.count - lowerBound(sortedWindows, s)
    }

    /// The first index whose value is ≥ `value` (the count of values < `value`).
    static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first index whose value is > `value` (the count of values ≤ `value`).
    static func upperBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// One value of a curve at a grid time.
public struct CurvePoint: Sendable, Equatable {
    /// Grid time in hours (for binned metrics, the bin's start).
    public var t: Double
    /// The estimate, or `nil` where it is undefined (no exposure).
    public var estimate: Double?
    /// Its standard error, where the estimator has one.
    public var standardError: Double?
    /// Lower confidence limit, or `nil` where undefined.
    public var lower: Double?
    /// Upper confidence limit, or `nil` where undefined.
    public var upper: Double?
    /// Postings at risk at `t`, or for binned rates the posting-hours at risk in the bin.
    public var atRisk: Double
    /// Contacts up to and including `t`, or for binned rates contacts in the bin.
    public var events: Int

    public init(t: Double, estimate: Double?, standardError: Double? = nil, lower: Double?, upper: Double?, atRisk: Double, events: Int) {
        self.t = t
        self.estimate = estimate
        self.standardError = standardError
        self.lower = lower
        self.upper = upper
        self.atRisk = atRisk
        self.events = events
    }
}

/// The scale on which a normal-theory confidence interval is built.
public enum IntervalKind: String, Sendable, CaseIterable {
    /// μ · exp(∓z · se / μ): symmetric on the log scale, never below 0 (default for `mcf`).
    case log
    /// μ ∓ z · se, the lower limit cut at 0.
    case plain
}
