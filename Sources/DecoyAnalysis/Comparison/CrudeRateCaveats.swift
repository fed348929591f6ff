import DecoyStatistics
import Foundation

/// Where the data contradict what the crude comparisons assume.
///
/// The crude rate ratio (contacts per posting-hour) compares arms only when the rate is constant
/// in time or the arms' windows are alike; the exact Poisson test further needs every contact to
/// be independent (Poisson counts). Checked here:
/// - windows: the arms' mean windows differ by more than 10% (``WindowContrast``);
/// - a rate that changes with age: pooled over both arms, contacts per posting-hour in the first
///   quarter of the compared time against the rest differ by more than a factor 1.5 (with at
///   least 10 contacts; needs the contact times);
/// - overdispersion: Pearson's X² = Σ (kᵢ − r_a Tᵢ)² / (r_a Tᵢ) over the postings of both arms, on
///   Σ (n_a − 1) degrees of freedom, rejects Poisson counts at 5% (X²/df > 1 and p < 0.05).
public struct CrudeRateCaveats: Sendable, Equatable {
    public var windows: WindowContrast
    /// The pooled rate in the first quarter of the compared time and after it; `nil` without times.
    public var earlyRate: Double?
    public var lateRate: Double?
    /// Whether the rate changes with age by more than a factor 1.5.
    public var rateChanges: Bool
    /// X²/df and its p; `nil` without degrees of freedom.
    public var dispersion: Double?
    public var dispersionP: Double?

    /// The factor by which early and late rates must differ to count as a change.
    public static let rateChangeFactor = 1.5

    public init(_ a: ArmSample, _ b: ArmSample, horizon: Double) {
        windows = WindowContrast(a, b)
        let quarter = horizon / 4
        var early = 0, late = 0, earlyHours = 0.0, lateHours = 0.0
        var known = true
        for arm in [a, b] {
            guard let times = arm.times else { known = false; continue }
            for (window, posting) in zip(arm.windows, times) {
                let before = posting.filter { $0 <= quarter }.count
                early += before
                late += posting.count - before
                earlyHours += min(window, quarter)
                lateHours += max(0, window - quarter)
            }
        }
        rateChanges = false
        if known, earlyHours > 0, lateHours > 0 {
            let r1 = Double(early) / earlyHours, r2 = Double(late) / lateHours
            earlyRate = r1
            lateRate = r2
            rateChanges = early + late >= 10 && max(r1, r2) > Self.rateChangeFactor * min(r1, r2)
        }
        var x2 = 0.0, df = 0
        for arm in [a, b] {
            let hours = arm.postingHours, k = arm.contacts
            guard hours > 0, k > 0 else { continue }
            let rate = Double(k) / hours
            var observed = 0
            for (count, window) in zip(arm.counts, arm.windows) where window > 0 {
                let expected = rate * window
                x2 += (Double(count) - expected) * (Double(count) - expected) / expected
                observed += 1
            }
            df += max(0, observed - 1)
        }
        if df > 0 {
            dispersion = x2 / Double(df)
            dispersionP = SpecialFunctions.chiSquareSurvival(x2, degreesOfFreedom: Double(df))
        }
    }

    /// Whether contacts vary between postings more than Poisson counts would.
    public var overdispersed: Bool { (dispersion ?? 0) > 1 && (dispersionP ?? 1) < 0.05 }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.3g", $0) } ?? "-" }

    /// Why the crude rate ratio does not compare the arms here, if it does not.
    public var rateRatioWarning: String? {
        guard windows.differ, rateChanges else { return nil }
        return "the arms' windows differ (mean \(Self.number(windows.meanWindows.0)) h against \(Self.number(windows.meanWindows.1)) h) while the rate changes with age (\(Self.number(earlyRate))/h in the first quarter, \(Self.number(lateRate))/h after): contacts per posting-hour compare windows, not arms"
    }

    /// Why the exact Poisson test's level does not hold here, if it does not.
    public var exactTestWarning: String? {
        var reasons: [String] = []
        if let rateRatioWarning { reasons.append(rateRatioWarning) }
        if overdispersed {
            reasons.append("contacts vary between postings more than Poisson counts would (dispersion \(Self.number(dispersion)), p = \(Self.number(dispersionP))): the test counts every contact as independent")
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }
}
