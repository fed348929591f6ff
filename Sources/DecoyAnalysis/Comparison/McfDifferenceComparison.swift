public import DecoyStatistics
import Foundation

/// The difference of two arms' mean cumulative contacts per posting at one time, μ_A(t) − μ_B(t)
/// (``MeanCumulativeDifference``), as `compare` and `power` report it.
///
/// By default t is where both estimates are still supported: the latest time at which each arm
/// has at least max(3, ⌈n/4⌉) of its n postings at risk (the smaller of the two arms' such times).
/// Nearer the horizon, when removal has left one or two postings observed, the robust variance has
/// almost nothing to estimate from (a lone posting contributes no spread), and the test rejects
/// identical arms far too often (30–60% at the horizon in the type I study). A time can be asked
/// for (``ComparisonSettings/mcfAt``); then a warning says when fewer postings are at risk there.
///
/// ``IntervalMethod/classic``: each arm's Lawless–Nadeau variance, added, with normal quantiles
/// (R survival's `std.chaz` of each arm). ``IntervalMethod/corrected`` (default): the jackknife of
/// the difference over the postings of both arms with t on n₁ + n₂ − 1 degrees of freedom
/// (``MeanCumulativeDifference/jackknife(_:_:confidence:)``); the Welch–Satterthwaite t on the
/// corrected variances, which held at the horizon without removal, rejected identical arms 7–8%
/// of the time at 10 postings when removal leaves few at risk.
public struct McfDifferenceComparison: Sendable, Equatable {
    /// The time compared, in hours since going live; `nil` when no time is supported.
    public var at: Double?
    /// Whether the time was asked for rather than chosen.
    public var requested: Bool
    /// Postings at risk at that time in each arm.
    public var atRisk: [Int]
    /// The fewest postings at risk each arm's estimate is read with by default.
    public var floor: [Int]
    /// Each arm's μ(t) with its standard error.
    public var first: MeanCumulativeDifference.Arm?
    public var second: MeanCumulativeDifference.Arm?
    /// The difference with its interval and p; `nil` when undefined.
    public var difference: MeanCumulativeDifference?
    /// Why the difference is undefined, when it is.
    public var undefined: String?
    /// A requested time with fewer postings at risk than the floor.
    public var warning: String?

    /// max(3, ⌈n/4⌉): the postings at risk below which an arm's mcf is not read by default.
    public static func floor(postings n: Int) -> Int { max(3, (n + 3) / 4) }

    /// - Parameter interval: whether to compute the interval; without it the p alone (a power
    ///   simulation's need), from the same estimate and standard error.
    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings, interval: Bool = true) {
        floor = [Self.floor(postings: a.postings), Self.floor(postings: b.postings)]
        requested = settings.mcfAt != nil
        atRisk = [0, 0]
        let arms = [a, b]
        let t: Double
        if let asked = settings.mcfAt {
            t = asked
        } else {
            // The floor-th largest window of each arm: the latest time it still has `floor` at risk.
            var supported: [Double] = []
            for (arm, m) in zip(arms, floor) {
                guard arm.postings >= m else {
                    undefined = "arm \(arm.name) has \(arm.postings) posting\(arm.postings == 1 ? "" : "s"), fewer than the \(m) at risk the mcf difference is read with"
                    return
                }
                supported.append(arm.windows.sorted(by: >)[m - 1])
            }
            t = supported.min()!
        }
        at = t
        atRisk = arms.map { arm in arm.windows.filter { $0 >= t }.count }
        if requested, let short = zip(arms, zip(atRisk, floor)).first(where: { $0.1.0 < $0.1.1 }) {
            warning = "at \(Self.hours(t)) h arm \(short.0.name) has \(short.1.0) posting\(short.1.0 == 1 ? "" : "s") at risk, fewer than \(short.1.1): its variance rests on too few postings to trust"
        }
        guard a.postings > 0, b.postings > 0, t > 0 else { undefined = "an arm has no posting observed"; return }
        if let empty = zip(arms, atRisk).first(where: { $0.1 == 0 }) {
            undefined = "no posting of arm \(empty.0.name) is observed at \(Self.hours(t)) h"
            return
        }
        first = Self.mean(a, at: t, method: settings.intervals)
        second = Self.mean(b, at: t, method: settings.intervals)
        guard let first, let second else { return }
        let difference: MeanCumulativeDifference
        switch settings.intervals {
        case .classic:
            if interval {
                difference = MeanCumulativeDifference(first, second, confidence: settings.confidence, method: .classic)
            } else {
                var pOnly = MeanCumulativeDifference(difference: first.estimate - second.estimate, standardError: 0, degreesOfFreedom: nil)
                pOnly.p = MeanCumulativeDifference.pValue(first, second, method: .classic)
                difference = pOnly
            }
        case .corrected:
            func leftOut(_ sample: ArmSample) -> [Double] {
                MeanCumulativeFunction.leaveOneOut(at: t, windows: sample.windows, times: sample.times, counts: sample.counts)
            }
            guard let jackknife = MeanCumulativeDifference.jackknife((first.estimate, leftOut(a)), (second.estimate, leftOut(b)),
                                                                      confidence: interval ? settings.confidence : nil) else {
                undefined = "the jackknife needs at least 2 postings in each arm"
                return
            }
            difference = jackknife
        }
        guard difference.p != nil else {
            undefined = first.estimate == 0 && second.estimate == 0 ? "no contact up to \(Self.hours(t)) h"
                : "the standard error at \(Self.hours(t)) h is 0 or undefined (the postings' contacts do not vary)"
            return
        }
        self.difference = difference
    }

    static func hours(_ t: Double) -> String { String(format: "%.6g", t) }

    /// The two-sided p.
    public var p: Double? { difference?.p }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: difference?.difference, undefined: undefined)
    }

    /// μ(t) and its standard error for the interval method: from each posting's contact times,
    /// or from counts alone when every window is t.
    static func mean(_ sample: ArmSample, at t: Double, method: IntervalMethod) -> MeanCumulativeDifference.Arm? {
        guard sample.postings > 0 else { return nil }
        var accumulator = MeanCumulativeAccumulator(windows: sample.windows, grid: [t])
        if let times = sample.times {
            for (i, posting) in times.enumerated() { accumulator.add(posting: i, times: posting) }
        } else {
            precondition(sample.everyWindowIs(t), "the mcf before the end of a window needs the contact times")
            for (i, count) in sample.counts.enumerated() { accumulator.add(posting: i, count: count) }
        }
        let point = accumulator.standardErrors(method: method)[0]
        return MeanCumulativeDifference.Arm(estimate: point.estimate ?? 0, standardError: point.standardError, postings: sample.postings)
    }
}
