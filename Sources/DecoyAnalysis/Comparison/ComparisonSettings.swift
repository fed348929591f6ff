public import DecoyStatistics

/// How two arms are compared: the settings `compare`, `power`, `coverage` and the report share.
public struct ComparisonSettings: Sendable, Equatable {
    /// Coverage of every interval, from 0.5 to 0.999999999 (where the normal quantile is finite).
    public var confidence: Double
    /// Small-sample corrected inference (the default) or R's.
    public var intervals: IntervalMethod

    public init(confidence: Double = 0.95, intervals: IntervalMethod = .corrected) {
        self.confidence = confidence
        self.intervals = intervals
    }

    /// A setting outside its range.
    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case confidence(Double)

        public var description: String {
            switch self {
            case let .confidence(value): "the confidence level must be from 0.5 to 0.999999999, found \(value)"
            }
        }
    }

    /// Checks every setting's range.
    public func validate() throws(Invalid) {
        guard confidence >= 0.5, confidence <= 0.999_999_999 else { throw .confidence(confidence) }
    }
}
