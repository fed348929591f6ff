/// A point estimate with its confidence interval.
///
/// Any part is `nil` where it is undefined: an infinite limit (the upper limit of a median that
/// the curve never reaches), or no data at all. Never a placeholder number.
public struct Estimate: Sendable, Equatable, Hashable {
    /// The estimate itself.
    public var value: Double?
    /// The lower confidence limit.
    public var lower: Double?
    /// The upper confidence limit.
    public var upper: Double?

    public init(_ value: Double?, lower: Double?, upper: Double?) {
        self.value = value
        self.lower = lower
        self.upper = upper
    }
}

/// A confidence interval whose limits are both finite, such as that of a proportion.
public struct ConfidenceInterval: Sendable, Equatable, Hashable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Half the interval's width.
    public var halfWidth: Double { (upper - lower) / 2 }
}
