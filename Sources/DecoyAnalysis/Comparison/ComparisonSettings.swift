public import DecoyStatistics

/// How two arms are compared: the settings `compare`, `power`, `coverage` and the report share.
public struct ComparisonSettings: Sendable, Equatable {
    /// Coverage of every interval, from 0.5 to 0.999999999 (where the normal quantile is finite).
    public var confidence: Double
    /// Small-sample corrected inference (the default) or R's.
    public var intervals: IntervalMethod
    /// How tied contact times enter the proportional-rates model.
    public var ties: Ties
    /// The time of the mcf difference in hours; `nil`: the latest time each arm still has
    /// ``McfDifferenceComparison/floor(postings:)`` postings at risk.
    public var mcfAt: Double?
    /// The randomization tests' enumeration and draws.
    public var randomization: Randomization

    /// How the randomization tests (of recurrent contacts, and the log-rank's exact p) draw.
    public struct Randomization: Sendable, Equatable {
        /// Every assignment is enumerated when there are at most this many.
        public var enumerationLimit: Int
        /// Otherwise this many are drawn (at least 999).
        public var draws: Int
        /// The draws' seed.
        public var seed: UInt64
        /// Further numbers of the draws' stream (a power simulation's design, index and postings).
        public var stream: [UInt64]

        public init(enumerationLimit: Int = PermutationTest.defaultEnumerationLimit, draws: Int = PermutationTest.defaultDraws,
                    seed: UInt64 = 1, stream: [UInt64] = []) {
            self.enumerationLimit = enumerationLimit
            self.draws = draws
            self.seed = seed
            self.stream = stream
        }

        /// The fewest draws allowed: with fewer, p = (1 + b)/(1 + B) cannot fall below 0.001.
        public static let minimumDraws = 999
        /// The most draws allowed.
        public static let maximumDraws = 10_000_000
    }

    public init(confidence: Double = 0.95, intervals: IntervalMethod = .corrected, ties: Ties = .efron, mcfAt: Double? = nil,
                randomization: Randomization = Randomization()) {
        self.confidence = confidence
        self.intervals = intervals
        self.ties = ties
        self.mcfAt = mcfAt
        self.randomization = randomization
    }

    /// A setting outside its range.
    public enum Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        case confidence(Double)
        case mcfAt(Double)
        case draws(Int)

        public var description: String {
            switch self {
            case let .confidence(value): "the confidence level must be from 0.5 to 0.999999999, found \(value)"
            case let .mcfAt(value): "the time of the mcf difference must be a number of hours > 0, found \(value)"
            case let .draws(value):
                "the randomization draws must be from \(Randomization.minimumDraws) to \(Randomization.maximumDraws), found \(value)"
            }
        }
    }

    /// The confidence levels allowed: the normal quantile z of every interval is finite there
    /// (z ≈ 6.1 at the top; 1 − 1e-16 would give z = ∞ and empty limits).
    public static let confidenceRange: ClosedRange<Double> = 0.5...0.999_999_999

    /// Checks a confidence level alone (the curves and the coverage study take one too).
    public static func check(confidence: Double) throws(Invalid) {
        guard confidenceRange.contains(confidence) else { throw .confidence(confidence) }
    }

    /// Checks every setting's range.
    public func validate() throws(Invalid) {
        try Self.check(confidence: confidence)
        if let mcfAt { guard mcfAt > 0, mcfAt.isFinite else { throw .mcfAt(mcfAt) } }
        guard randomization.draws >= Randomization.minimumDraws, randomization.draws <= Randomization.maximumDraws else {
            throw .draws(randomization.draws)
        }
    }
}
