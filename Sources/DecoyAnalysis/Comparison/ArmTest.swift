public import DecoyStatistics
import Foundation

/// A two-sided test of two arms, each computed by one function on the arms' values that
/// `compare`, `power`, `coverage` and the report all call, so that their p agree by construction.
public enum ArmTest: String, Sendable, CaseIterable {
    /// The proportional-rates ratio of contact intensities at the same age since going live
    /// (``ProportionalRatesComparison``): undefined when an arm has no contact.
    case proportionalRates = "proportional-rates"
    /// The randomization test of the recurrent-event log-rank statistic (``RandomizationComparison``):
    /// undefined without any contact.
    case randomization
    /// The Wald test of the crude rate ratio, contacts per posting-hour, with the cluster-robust
    /// variance (``RateRatio``): undefined when an arm has no contact or the standard error is 0.
    case rateRatio = "rate-ratio"
    /// The exact conditional test of the arms' totals given their posting-hours
    /// (``ExactPoissonTest``): undefined only without observation time.
    case exactPoisson = "exact-poisson"
    /// The log-rank test on time to first contact (``LogRankComparison``): undefined without a first contact.
    case logrank
    /// The difference of mean contacts per posting (``McfDifferenceComparison``): undefined
    /// when its standard error is 0.
    case mcfDifference = "mcf-difference"

    /// One test's result on two arms: its two-sided p and effect estimate, or why it is undefined.
    public struct Outcome: Sendable, Equatable {
        /// The two-sided p; `nil` when the test is undefined.
        public var p: Double?
        /// The test's effect estimate, `nil` where infinite or undefined.
        public var effect: Double?
        /// Why the test is undefined, when it is.
        public var undefined: String?

        public init(p: Double?, effect: Double?, undefined: String? = nil) {
            self.p = p
            self.effect = effect
            self.undefined = p == nil ? (undefined ?? "undefined") : nil
        }
    }

    /// The name of the test's effect estimate.
    public var effectName: String {
        switch self {
        case .proportionalRates: "proportional-rates ratio"
        case .randomization: "O − E (contacts)"
        case .rateRatio, .exactPoisson: "rate ratio"
        case .logrank: "hazard ratio (O/E)"
        case .mcfDifference: "mcf difference"
        }
    }

    /// Whether the test assumes what the data of a decoy experiment usually contradict: a rate
    /// constant in time (or windows alike in both arms), and for the exact test independent contacts.
    public var assumesConstantRate: Bool { self == .rateRatio || self == .exactPoisson }

    /// The test applied to arm A's postings `a` and arm B's `b`, exactly as ``ArmComparison``
    /// computes it.
    public func outcome(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) -> Outcome {
        switch self {
        case .proportionalRates: ProportionalRatesComparison.test(a, b, settings: settings).outcome
        case .randomization: RandomizationComparison(a, b, settings: settings).outcome
        case .rateRatio: RateRatio.test((a.counts, a.windows), (b.counts, b.windows), method: settings.intervals).outcome
        case .exactPoisson: ExactPoissonTest.outcome(a, b, settings: settings)
        case .logrank: LogRankComparison(a, b, settings: settings).outcome
        case .mcfDifference: McfDifferenceComparison(a, b, settings: settings, interval: false).outcome
        }
    }
}

extension ProportionalRatesComparison.Test {
    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: beta.map { Foundation.exp($0) }, undefined: undefined)
    }
}

extension RateRatio {
    /// The crude rate ratio of arm `a` over arm `b`.
    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) {
        self.init((a.counts, a.windows), (b.counts, b.windows), confidence: settings.confidence, method: settings.intervals)
    }

    /// Its Wald test as a test outcome.
    public var outcome: ArmTest.Outcome {
        let reason = contacts.0 == 0 && contacts.1 == 0 ? "neither arm has a contact"
            : contacts.0 == 0 || contacts.1 == 0 ? "an arm has no contact, so the ratio is 0 or infinite"
            : "the cluster-robust standard error is 0 or undefined (one posting in an arm, or no spread)"
        return ArmTest.Outcome(p: p, effect: ratio, undefined: reason)
    }
}

extension ExactPoissonTest {
    /// The exact test of arm `a`'s rate against arm `b`'s; `nil` when an arm has no observation time.
    public static func compare(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) -> ExactPoissonTest? {
        let hours = (a.postingHours, b.postingHours)
        guard hours.0 > 0, hours.1 > 0 else { return nil }
        return ExactPoissonTest(contacts: (a.contacts, b.contacts), hours: hours, confidence: settings.confidence)
    }

    /// Its p and ratio without the interval (what a power simulation needs): the same functions
    /// ``init(contacts:hours:confidence:)`` calls.
    static func outcome(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) -> ArmTest.Outcome {
        let contacts = (a.contacts, b.contacts), hours = (a.postingHours, b.postingHours)
        guard hours.0 > 0, hours.1 > 0 else { return ArmTest.Outcome(p: nil, effect: nil, undefined: "an arm has no observation time") }
        return ArmTest.Outcome(p: pValue(contacts: contacts, hours: hours), effect: ratio(contacts: contacts, hours: hours))
    }
}
