import DecoySimulation
public import DecoyStatistics

/// The randomization test of the arm: the proportional-rates score at β = 0 (the log-rank
/// statistic of recurrent contacts, O_A − E_A = Σ_{i∈A} (Nᵢ − μ̂(Cᵢ)) with μ̂ the pooled mean
/// cumulative contacts) over re-assignments of the arm labels among the postings
/// (``PermutationTest``): all of them when there are at most
/// ``ComparisonSettings/Randomization/enumerationLimit``, else seeded draws, p = (1 + b)/(1 + B).
///
/// It needs no model and no variance, so it is exact for any number of postings, any burstiness
/// and any decay — under the sharp null that the arm changes nothing about a posting, removal
/// included. Where the arms' windows differ, a small p may come from the removal alone: then the
/// proportional-rates comparison, which treats removal as censoring, is the one to read.
public struct RandomizationComparison: Sendable, Equatable {
    /// The permutation test; `nil` when undefined.
    public var test: PermutationTest?
    /// O_A − E_A, the observed statistic (contacts of the first arm beyond what the pooled mean
    /// function expects of its windows).
    public var statistic: Double?
    /// Whether the arms' mean windows differ by more than 10%.
    public var windowsDiffer: Bool
    /// Why the test is undefined, when it is.
    public var undefined: String?

    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) {
        windowsDiffer = WindowContrast(a, b).differ
        guard a.postings > 0, b.postings > 0 else { undefined = "an arm has no postings"; return }
        guard a.contacts + b.contacts > 0 else { undefined = "neither arm has a contact"; return }
        let scores = Self.scores(a, b)
        var generator = RandomStream.randomization(seed: settings.randomization.seed, numbers: settings.randomization.stream + [1])
        let test = PermutationTest(scores: scores, inFirst: Array(repeating: true, count: a.postings) + Array(repeating: false, count: b.postings),
                                   enumerationLimit: settings.randomization.enumerationLimit, draws: settings.randomization.draws,
                                   using: &generator)
        self.test = test
        statistic = test.statistic
    }

    /// Nᵢ − μ̂(Cᵢ) of every posting, the first arm's first: from contact times, or from counts
    /// when every window is the same (then μ̂(C) is the mean count).
    static func scores(_ a: ArmSample, _ b: ArmSample) -> [Double] {
        if let timesA = a.times, let timesB = b.times {
            return PooledResiduals.residuals(windows: a.windows + b.windows, times: timesA + timesB)
        }
        let window = a.windows.first ?? 0
        precondition(a.everyWindowIs(window) && b.everyWindowIs(window), "unequal windows need the contact times")
        let counts = a.counts + b.counts
        let mean = Double(counts.reduce(0, +)) / Double(counts.count)
        return counts.map { Double($0) - mean }
    }

    /// The two-sided p.
    public var p: Double? { test?.p }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: statistic, undefined: undefined)
    }
}

/// How the two arms' observation windows compare.
public struct WindowContrast: Sendable, Equatable {
    /// Mean window of each arm, in hours.
    public var meanWindows: (Double, Double)
    /// Whether the means differ by more than 10% (of the larger).
    public var differ: Bool

    public static func == (x: WindowContrast, y: WindowContrast) -> Bool { x.meanWindows == y.meanWindows && x.differ == y.differ }

    public init(_ a: ArmSample, _ b: ArmSample) {
        let meanA = a.postings > 0 ? a.postingHours / Double(a.postings) : 0
        let meanB = b.postings > 0 ? b.postingHours / Double(b.postings) : 0
        meanWindows = (meanA, meanB)
        differ = abs(meanA - meanB) > 0.1 * max(meanA, meanB)
    }
}
