import Foundation

/// The exact conditional test of two Poisson rates: the first group's total given both totals.
///
/// With totals K₁, K₂ over exposures T₁, T₂ (posting-hours) and rates in ratio ρ = λ₁/λ₂,
/// K₁ | K₁ + K₂ ~ Binomial(K₁ + K₂, T₁ρ / (T₁ρ + T₂)). Under ρ = 1 the two-sided p is R's
/// `binom.test` rule: the probability of every outcome no more likely than the one observed
/// (within a relative 10⁻⁷), so it equals `poisson.test(c(K1, K2), c(T1, T2))$p.value`; the
/// interval of ρ is the Clopper–Pearson interval of the binomial proportion mapped through
/// p/(1 − p) · T₂/T₁, as `poisson.test` reports it.
///
/// It is valid with no contact in one group (a decoy ad against a control that got none) and
/// gives p = 1 when neither group has a contact. It treats every contact as independent: counts
/// overdispersed across postings (bursts, repeat contactors) make it anti-conservative, which the
/// cluster-robust ``RateRatio`` is not.
public struct ExactPoissonTest: Sendable, Equatable {
    public var contacts: (Int, Int)
    public var hours: (Double, Double)
    /// Two-sided p under equal rates.
    public var p: Double
    /// The rate ratio (K₁/T₁)/(K₂/T₂): `nil` when K₂ = 0 (infinite or undefined).
    public var ratio: Double?
    /// Its exact interval; the upper limit is `nil` (∞) when K₂ = 0, both `nil` when K₁ + K₂ = 0.
    public var lower: Double?
    public var upper: Double?

    public static func == (a: ExactPoissonTest, b: ExactPoissonTest) -> Bool {
        a.contacts == b.contacts && a.hours == b.hours && a.p == b.p && a.ratio == b.ratio && a.lower == b.lower && a.upper == b.upper
    }

    /// - Precondition: both exposures are positive.
    public init(contacts: (Int, Int), hours: (Double, Double), confidence: Double = 0.95) {
        precondition(hours.0 > 0 && hours.1 > 0, "the exact Poisson test needs positive exposures")
        self.contacts = contacts
        self.hours = hours
        p = Self.pValue(contacts: contacts, hours: hours)
        ratio = Self.ratio(contacts: contacts, hours: hours)
        let n = contacts.0 + contacts.1
        guard n > 0 else { return }
        let interval = BinomialProportion.clopperPearson(successes: contacts.0, trials: n, confidence: confidence)
        let scale = hours.1 / hours.0
        lower = interval.lower * scale / (1 - interval.lower)
        upper = interval.upper < 1 ? interval.upper * scale / (1 - interval.upper) : nil
    }

    /// (K₁/T₁)/(K₂/T₂), `nil` when K₂ = 0.
    public static func ratio(contacts: (Int, Int), hours: (Double, Double)) -> Double? {
        contacts.1 > 0 ? (Double(contacts.0) / hours.0) / (Double(contacts.1) / hours.1) : nil
    }

    /// The two-sided p alone (what a power simulation needs).
    public static func pValue(contacts: (Int, Int), hours: (Double, Double)) -> Double {
        let n = contacts.0 + contacts.1
        guard n > 0 else { return 1 }
        return BinomialDistribution(trials: n, probability: hours.0 / (hours.0 + hours.1)).twoSidedP(observed: contacts.0)
    }
}

/// Binomial(n, π): its probabilities and tails, and R's two-sided exact p.
public struct BinomialDistribution: Sendable {
    public let trials: Int
    public let probability: Double

    public init(trials: Int, probability: Double) {
        precondition(trials >= 0 && probability > 0 && probability < 1, "Binomial(n ≥ 0, 0 < π < 1)")
        self.trials = trials
        self.probability = probability
    }

    /// log P(X = k).
    public func logProbability(_ k: Int) -> Double {
        let n = Double(trials), x = Double(k)
        return SpecialFunctions.logGamma(n + 1) - SpecialFunctions.logGamma(x + 1) - SpecialFunctions.logGamma(n - x + 1)
            + x * Foundation.log(probability) + (n - x) * Foundation.log1p(-probability)
    }

    /// P(X ≤ k) = I_{1−π}(n − k, k + 1).
    public func distribution(_ k: Int) -> Double {
        if k < 0 { return 0 }
        if k >= trials { return 1 }
        return SpecialFunctions.regularizedBeta(1 - probability, complement: probability, Double(trials - k), Double(k + 1))
    }

    /// P(X > k) = I_π(k + 1, n − k).
    public func survival(_ k: Int) -> Double {
        if k < 0 { return 1 }
        if k >= trials { return 0 }
        return SpecialFunctions.regularizedBeta(probability, complement: 1 - probability, Double(k + 1), Double(trials - k))
    }

    /// R's `binom.test(x, n, π)$p.value`: P(X ≤ x) plus the far tail of outcomes with probability
    /// ≤ P(X = x) · (1 + 10⁻⁷) (or the mirror image when x is above the mean), at most 1.
    ///
    /// The far tail is found by bisection: past the mode the probabilities fall monotonically, so
    /// the outcomes counted form one run from the end. O(log n) evaluations instead of R's O(n).
    public func twoSidedP(observed x: Int) -> Double {
        let n = trials
        let mean = Double(n) * probability
        if Double(x) == mean { return 1 }
        let threshold = logProbability(x) + Foundation.log1p(1e-7)
        let mode = min(n, Int((Double(n + 1) * probability).rounded(.down)))
        func counted(_ k: Int) -> Bool { logProbability(k) <= threshold }
        if Double(x) < mean {
            // Outcomes k ≥ ⌈mean⌉ with probability at most the observed one's: y of them.
            let first = Int(mean.rounded(.up))
            var y = 0
            var k = first
            // Below the mode the probabilities still rise: check those few one by one.
            while k <= n, k < mode { if counted(k) { y += 1 }; k += 1 }
            // From max(first, mode) on they fall: the counted ones are a suffix [cut, n].
            var low = k, high = n + 1
            while low < high {
                let mid = (low + high) / 2
                if counted(mid) { high = mid } else { low = mid + 1 }
            }
            y += n + 1 - low
            return min(1, distribution(x) + survival(n - y))
        } else {
            // Outcomes k ≤ ⌊mean⌋ with probability at most the observed one's: y of them.
            let last = Int(mean.rounded(.down))
            var y = 0
            var k = last
            while k >= 0, k > mode { if counted(k) { y += 1 }; k -= 1 }
            // From min(last, mode) down they fall: the counted ones are a prefix [0, cut].
            var low = -1, high = k
            while low < high {
                let mid = (low + high + 1) / 2
                if counted(mid) { low = mid } else { high = mid - 1 }
            }
            y += low + 1
            return min(1, distribution(y - 1) + survival(x - 1))
        }
    }
}
