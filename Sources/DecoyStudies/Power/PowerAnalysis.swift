public import DecoyAnalysis
public import DecoyModel
import DecoySimulation
public import DecoyStatistics
import Foundation

/// `decoy power`: how often a test of two arms rejects, by simulating the experiment many times.
///
/// For each candidate n (postings of arm A; arm B gets max(1, round(R·n))), `sims` experiments are
/// simulated from the config's models and the test is applied to each as `compare` computes it
/// (``ArmTest``). Power is the share of experiments in which the two-sided test rejects
/// (p < α) among those where it is defined; the others are counted as `failed`, apart. The type I
/// error comes from the same design with both arms given the null arm's response (docs/statistics.md): each
/// keeps its own removal, schedule, name, stream and posting count, so a design whose moderators
/// take one arm's ads down faster is tested for what the comparison claims, a difference in the
/// contacts an ad draws, not in how long it stays up.
///
/// Simulation j draws posting k of arm a from its own stream (``RandomStream/power(seed:null:simulation:arm:index:)``),
/// so the table is the same for any number of threads and the n-posting experiment of simulation j
/// is the first n postings of every larger one (common random numbers). Each simulation is one
/// experiment: the config's `replicates` and the arms' own `postings` are not used.
public struct PowerAnalysis: Sendable {
    /// What to compute.
    public struct Settings: Sendable {
        public var arms: (String, String)
        public var test: ArmTest
        public var alpha: Double
        public var target: Double
        /// Postings of B per posting of A.
        public var ratio: Double
        /// Simulations per point (the most, with `precision`).
        public var sims: Int
        /// Add simulations in batches of ``PowerAnalysis/batch`` until every point's power
        /// interval has a half-width below this.
        public var precision: Double?
        /// The arm whose response both arms get for the type I error.
        public var nullArm: String
        public var method: IntervalMethod
        /// Re-assignments a randomization test draws in each simulated experiment where there are
        /// more than 200,000 to enumerate; at least 999.
        public var draws: Int
        public var jobs: Int
        /// Only the K-th (1-based) of N contiguous slices of the simulations (their tallies are a
        /// part for `decoy merge`).
        public var shard: (index: Int, count: Int)?
        /// A term of a regression over every arm instead of a test of two arms (each arm then
        /// gets n postings; `arms`, `ratio` and `nullArm` are not used).
        public var regression: RegressionPower?

        public init(arms: (String, String), test: ArmTest = .proportionalRates, alpha: Double = 0.05, target: Double = 0.8, ratio: Double = 1,
                    sims: Int = 1000, precision: Double? = nil, nullArm: String? = nil, method: IntervalMethod = .corrected,
                    draws: Int = PowerAnalysis.defaultDraws, jobs: Int = 1) {
            self.arms = arms
            self.test = test
            self.alpha = alpha
            self.target = target
            self.ratio = ratio
            self.sims = sims
            self.precision = precision
            self.nullArm = nullArm ?? arms.0
            self.method = method
            self.draws = draws
            self.jobs = jobs
        }

        /// Checks every setting's range; an analysis refuses settings outside them.
        public func validate() throws(PowerError) {
            func require(_ valid: Bool, _ setting: Setting, _ expected: String) throws(PowerError) {
                guard valid else { throw .outOfRange(setting, expected: expected) }
            }
            try require(alpha > 0 && alpha < 1, .alpha, "a level in (0, 1) such as 0.05")
            try require(target > 0 && target < 1, .target, "a power in (0, 1) such as 0.8")
            try require(ratio > 0 && ratio <= 1000 && ratio.isFinite, .ratio,
                        "a number of postings of the second arm per posting of the first, > 0 and at most 1000, such as 1 or 0.5")
            try require((1...PowerAnalysis.maximumSims).contains(sims), .sims, "a count from 1 to \(PowerAnalysis.maximumSims)")
            if let precision { try require(precision > 0 && precision < 0.5, .precision, "a half-width in (0, 0.5) such as 0.01") }
            let draws = ComparisonSettings.Randomization.minimumDraws...ComparisonSettings.Randomization.maximumDraws
            try require(draws.contains(self.draws), .draws, "from \(draws.lowerBound) to \(draws.upperBound) draws")
            try require(jobs >= 1, .jobs, "a number of threads of at least 1")
            if let shard { try require(shard.count >= 1 && (1...shard.count).contains(shard.index), .shard, "K/N with 1 ≤ K ≤ N") }
        }
    }

    /// Which postings to evaluate.
    public enum Grid: Sendable, Equatable {
        /// These counts of arm A.
        case postings([Int])
        /// Doubling from 1 until the target is reached (at most this many), then bisection, for
        /// the power and then for its lower bound.
        case search(maximum: Int)

        /// Checks that every count is from 1 to ``PowerAnalysis/maximumPostings``.
        public func validate() throws(PowerError) {
            let allowed = 1...PowerAnalysis.maximumPostings
            switch self {
            case let .postings(counts):
                guard !counts.isEmpty, counts.allSatisfy(allowed.contains) else {
                    throw .outOfRange(.postings, expected: "counts from 1 to \(allowed.upperBound) such as `5,10,20`")
                }
            case let .search(maximum):
                guard allowed.contains(maximum) else { throw .outOfRange(.maximumPostings, expected: "a count from 1 to \(allowed.upperBound)") }
            }
        }
    }

    /// The tallies of one candidate n.
    public struct Point: Sendable, Equatable {
        public var postings: Int
        public var postingsB: Int
        public var sims: Int
        public var rejections: Int
        public var failed: Int
        public var nullRejections: Int
        public var nullFailed: Int
        /// The median of the test's effect estimate over the experiments where it is finite.
        public var medianEffect: Double?
        /// Zhu and Lakkis's power for the same n, where counts are Poisson.
        public var formulaPower: Double?

        public var power: Double? { sims > failed ? Double(rejections) / Double(sims - failed) : nil }
        /// Clopper–Pearson 95% interval of the power.
        public var interval: ConfidenceInterval? {
            sims > failed ? BinomialProportion.clopperPearson(successes: rejections, trials: sims - failed) : nil
        }
        /// The test is left undefined in more than this share of simulations, a point is no answer.
        public static let tolerableFailures = 0.01

        /// What keeps this point's power from being an answer at level `alpha`.
        public func problems(alpha: Double, nullSimulated: Bool) -> [PointProblem] {
            var problems: [PointProblem] = []
            if Double(failed) > Self.tolerableFailures * Double(sims) { problems.append(.undefined(failed: failed, sims: sims)) }
            if nullSimulated {
                if Double(nullFailed) > Self.tolerableFailures * Double(sims) { problems.append(.undefinedUnderNull(failed: nullFailed, sims: sims)) }
                if (typeOneInterval?.lower ?? 0) > alpha { problems.append(.typeOneAboveAlpha) }
            }
            return problems
        }

        public var typeOneError: Double? { sims > nullFailed ? Double(nullRejections) / Double(sims - nullFailed) : nil }
        public var typeOneInterval: ConfidenceInterval? {
            sims > nullFailed ? BinomialProportion.clopperPearson(successes: nullRejections, trials: sims - nullFailed) : nil
        }
    }

    /// Re-assignments a randomization test draws inside each simulated experiment: p = (1 + b)/(1 + B)
    /// keeps its level for any B, and a power analysis needs the rejection, not the fourth digit of p.
    public static let defaultDraws = 999

    /// Simulations are added this many at a time under `precision`.
    public static let batch = 100

    public let settings: Settings
    public let grid: Grid
    public let configSHA256: String
    public let seed: UInt64
    public let toolVersion: String
    /// Evaluated points in ascending n.
    public private(set) var points: [Point] = []
    /// The tallies behind ``points`` (fixed grids), which a sharded part carries.
    package private(set) var tallies: [Tally] = []
    /// Whether the closed form applies: a test of the rate ratio on Poisson counts (no
    /// self-excitation, no removal).
    public let formulaApplies: Bool
    /// The smallest evaluated n whose power reaches the target, and whose lower bound does, among
    /// the points that are an answer (``Point/problems(alpha:nullSimulated:)`` finds none).
    public var smallestPostings: Int? {
        points.first { answers($0) && ($0.power ?? 0) >= settings.target }?.postings
    }
    public var smallestPostingsLowerBound: Int? {
        points.first { answers($0) && ($0.interval?.lower ?? 0) >= settings.target }?.postings
    }
    /// The smallest evaluated n whose power reaches the target although the point is no answer.
    public var smallestPostingsIgnoringProblems: Int? { points.first { ($0.power ?? 0) >= settings.target }?.postings }

    /// Whether a point's power can be read as one: the test was defined in nearly every
    /// simulation and its type I error is not shown to exceed α.
    public func answers(_ point: Point) -> Bool { point.problems(alpha: settings.alpha, nullSimulated: nullSimulated).isEmpty }

    /// What keeps a point's power from being an answer.
    public enum PointProblem: Sendable, Equatable {
        /// The test was undefined in more than 1% of the simulated experiments.
        case undefined(failed: Int, sims: Int)
        /// The test was undefined in more than 1% of the experiments of the null design.
        case undefinedUnderNull(failed: Int, sims: Int)
        /// The type I error's interval lies wholly above α.
        case typeOneAboveAlpha
    }
    /// The smallest n whose closed-form power reaches the target (where the formula applies).
    public private(set) var formulaSmallestPostings: Int?

    /// The largest n a grid may ask for.
    public static let maximumPostings = 1_000_000
    /// The most posting draws one point may ask for: sims × (n + n_B) × 2 designs.
    public static let maximumDraws = 1e11
    /// The most simulations per point.
    public static let maximumSims = 10_000_000
    /// The most contacts the simulated experiments of a regression, or of a test that reads
    /// every contact time, may hold at once, expected (about 16 bytes each with their fit: 1.6 GB).
    public static let maximumHeldContacts = 1e8

    let design: Design
    let regressionDesign: RegressionPowerDesign?
    /// The arms of a regression's power analysis (each with n postings); empty otherwise.
    public var regressionArms: [String] { regressionDesign?.alternative.arms.map(\.name) ?? [] }
    /// Whether the type I error was simulated: always for two arms; for a regression's term,
    /// where a null design exists (``RegressionPowerDesign``).
    public var nullSimulated: Bool { regressionDesign.map { $0.null != nil } ?? true }

    /// The analysis of `loaded` as `settings` ask, before any simulation.
    init(_ loaded: LoadedConfig, settings: Settings, grid: Grid) throws(PowerError) {
        try settings.validate()
        try grid.validate()
        self.settings = settings
        self.grid = grid
        configSHA256 = loaded.sha256
        toolVersion = decoyVersion
        design = try Design(loaded.config, settings: settings)
        regressionDesign = try settings.regression.map { power throws(PowerError) in
            try RegressionPowerDesign(loaded.config, power: power, settings: settings)
        }
        seed = design.seed
        formulaApplies = design.formulaApplies && settings.regression == nil
        if formulaApplies { formulaSmallestPostings = design.formulaSmallest(target: settings.target) }
    }

    /// Runs the analysis: simulates every point of `grid` (or searches for the smallest n).
    /// `progress` is called after each batch with the simulations done and the provisional points
    /// (for a display; it does not change the result). `cancellation` stops every thread at its
    /// next simulation (or next 4,096 postings drawn) and throws ``Cancelled``.
    public static func run(_ loaded: LoadedConfig, settings: Settings, grid: Grid, cancellation: Cancellation = .never,
                           progress: (@Sendable (_ done: Int, _ total: Int, _ points: [Point]) -> Void)? = nil) throws -> PowerAnalysis {
        var analysis = try PowerAnalysis(loaded, settings: settings, grid: grid)
        let largest: Int
        switch grid {
        case let .postings(counts): largest = counts.max() ?? 0
        case let .search(maximum): largest = maximum
        }
        let draws = Double(settings.sims) * 2
            * Double(analysis.regressionDesign.map { largest * $0.arms } ?? largest + analysis.design.postingsB(largest))
        guard draws <= Self.maximumDraws else { throw PowerError.tooMuchWork(draws: draws, limit: Self.maximumDraws) }
        if let regression = analysis.regressionDesign {
            // A regression's experiment is held whole (every contact time, for the fit), one per thread.
            let held = regression.expectedContacts(postings: largest) * Double(max(1, min(settings.jobs, settings.sims)))
            guard held <= Self.maximumHeldContacts else { throw PowerError.tooManyContacts(expected: held, limit: Self.maximumHeldContacts) }
        } else {
            // A test of contacts over time with removal holds every contact time of an
            // experiment, one per thread; the others hold a few numbers a posting.
            let held = analysis.design.heldContacts(postings: largest) * Double(max(1, min(settings.jobs, settings.sims)))
            guard held <= Self.maximumHeldContacts else {
                throw PowerError.tooManyContactTimes(test: settings.test, expected: held, limit: Self.maximumHeldContacts)
            }
        }
        if settings.shard != nil {
            guard case .postings = grid else { throw PowerError.shardedSearch(.maximumPostings) }
            guard settings.precision == nil else { throw PowerError.shardedSearch(.precision) }
        }
        switch grid {
        case let .postings(counts):
            (analysis.points, analysis.tallies) = try analysis.evaluate(Array(Set(counts)).sorted(), cancellation: cancellation, progress: progress)
        case let .search(maximum):
            analysis.points = try analysis.search(maximum: maximum, cancellation: cancellation, progress: progress)
        }
        return analysis
    }

    /// The simulations this analysis runs: all, or its shard's contiguous slice.
    var simulations: Range<Int> {
        guard let shard = settings.shard else { return 0..<settings.sims }
        return settings.sims * (shard.index - 1) / shard.count..<settings.sims * shard.index / shard.count
    }

    func evaluate(_ counts: [Int], cancellation: Cancellation = .never,
                  progress: (@Sendable (Int, Int, [Point]) -> Void)?) throws(Cancelled) -> ([Point], [Tally]) {
        var tallies = counts.map { _ in Tally() }
        let range = simulations
        var done = range.lowerBound
        let step = settings.precision == nil ? max(Self.batch, settings.sims / 20) : Self.batch
        func current() -> [Point] { zip(counts, tallies).map { point(postings: $0, tally: $1) } }
        while done < range.upperBound {
            let next = min(range.upperBound, done + step)
            let added = regressionDesign?.simulate(counts, sims: done..<next, cancellation: cancellation)
                ?? design.simulate(counts, sims: done..<next, cancellation: cancellation)
            // Tallies of a cancelled batch are partial: never shown.
            try cancellation.check()
            for i in tallies.indices { tallies[i].merge(added[i]) }
            done = next
            let points = current()
            progress?(done - range.lowerBound, range.count, points)
            if let precision = settings.precision,
               points.allSatisfy({ $0.interval.map { $0.halfWidth < precision } ?? false }) { break }
        }
        return (current(), tallies)
    }

    /// The analysis whose simulations are the union of `parts`' (a sharded power analysis
    /// merged): its points are the tallies added, exactly those of the unsharded analysis.
    package init(_ loaded: LoadedConfig, settings: Settings, counts: [Int], tallies: [Tally]) throws(PowerError) {
        try self.init(loaded, settings: settings, grid: .postings(counts))
        self.tallies = tallies
        points = zip(counts, tallies).map { point(postings: $0, tally: $1) }
    }

    func point(postings n: Int, tally: Tally) -> Point {
        regressionDesign?.point(postings: n, tally: tally) ?? design.point(postings: n, tally: tally)
    }

    func search(maximum: Int, cancellation: Cancellation = .never, progress: (@Sendable (Int, Int, [Point]) -> Void)?) throws(Cancelled) -> [Point] {
        var known: [Int: Point] = [:]
        func point(_ n: Int) throws(Cancelled) -> Point {
            if let p = known[n] { return p }
            Failpoint.reach("power-search-point")
            let p = try evaluate([n], cancellation: cancellation, progress: progress).0[0]
            known[n] = p
            return p
        }
        let target = settings.target
        // A corrected Wald variance needs two postings an arm: start where the test can be defined.
        let first = settings.regression != nil || settings.method == .corrected && [.rateRatio, .proportionalRates].contains(settings.test) ? min(2, maximum)
            : settings.test == .mcfDifference ? min(3, maximum) : 1
        if let found = try Self.smallest(from: first, maximum: maximum, { n throws(Cancelled) in (try point(n).power ?? 0) >= target }) {
            _ = try Self.smallest(from: found, maximum: maximum, { n throws(Cancelled) in (try point(n).interval?.lower ?? 0) >= target })
        }
        return known.keys.sorted().map { known[$0]! }
    }
}

extension PowerAnalysis {
    /// The smallest n from `start` up to `maximum` for which `reaches` holds, by doubling until it
    /// holds and then bisection (`nil` when it does not hold at `maximum`); `reaches` is taken as
    /// monotone in n.
    static func smallest<E: Error>(from start: Int, maximum: Int, _ reaches: (Int) throws(E) -> Bool) throws(E) -> Int? {
        var low = start - 1, high = start
        while !(try reaches(high)) {
            guard high < maximum else { return nil }
            low = high
            high = min(maximum, high * 2)
        }
        while high - low > 1 {
            let mid = (low + high) / 2
            if try reaches(mid) { high = mid } else { low = mid }
        }
        return high
    }
}

/// Counts of one point over some simulations.
package struct Tally: Sendable, Codable, Equatable {
    package var sims = 0
    package var rejections = 0
    package var failed = 0
    package var nullRejections = 0
    package var nullFailed = 0
    package var effects: [Double] = []

    enum CodingKeys: String, CodingKey {
        case sims, rejections, failed, effects
        case nullRejections = "null_rejections", nullFailed = "null_failed"
    }

    package init() {}

    /// Counts one simulated experiment's test: its p (`nil` where the test is undefined) under
    /// the design or under the null, and its effect estimate where finite.
    mutating func record(p: Double?, alpha: Double, null: Bool, effect: Double? = nil) {
        if null {
            if let p { if p < alpha { nullRejections += 1 } } else { nullFailed += 1 }
            return
        }
        sims += 1
        guard let p else { failed += 1; return }
        if p < alpha { rejections += 1 }
        if let effect, effect.isFinite { effects.append(effect) }
    }

    /// The tallies of several stripes of simulations added, point by point.
    static func merged(_ stripes: [[Tally]], count: Int) -> [Tally] {
        var merged = (0..<count).map { _ in Tally() }
        for stripe in stripes { for i in merged.indices { merged[i].merge(stripe[i]) } }
        return merged
    }

    package mutating func merge(_ other: Tally) {
        sims += other.sims
        rejections += other.rejections
        failed += other.failed
        nullRejections += other.nullRejections
        nullFailed += other.nullFailed
        effects += other.effects
    }
}

/// The two arms as simulated, under the design and under the null.
struct Design: Sendable {
    let settings: PowerAnalysis.Settings
    let config: ExperimentConfig
    let alternative: ExperimentConfig
    let null: ExperimentConfig
    let seed: UInt64
    let formulaApplies: Bool

    init(_ config: ExperimentConfig, settings: PowerAnalysis.Settings) throws(PowerError) {
        let names = config.arms.map(\.name)
        func arm(_ name: String, _ setting: Setting) throws(PowerError) -> ArmSpec {
            guard let spec = config.arms.first(where: { $0.name == name }) else { throw .unknownArm(setting: setting, name: name, known: names) }
            return spec
        }
        let a = try arm(settings.arms.0, .arms), b = try arm(settings.arms.1, .arms)
        guard a.name != b.name else { throw .sameArm(name: a.name) }
        let reference = try arm(settings.nullArm, .nullArm)
        guard a.response != nil || b.response != nil else { throw .noResponse }
        guard let seed = config.seed else { throw .noSeed }
        self.settings = settings
        self.config = config
        self.seed = seed
        var alternative = config
        alternative.arms = [a, b]
        alternative.replicates = 1
        var null = alternative
        for i in null.arms.indices { null.arms[i].response = reference.response }
        self.alternative = alternative
        self.null = null
        func poissonCounts(_ spec: ArmSpec) -> Bool {
            if (spec.lifetime?.removalRate ?? 0) > 0 { return false }
            if case let .hawkes(_, branching, _) = spec.response?.model, branching > 0 { return false }
            return true
        }
        // Zhu and Lakkis describe a test of the rate ratio (without removal the proportional-rates
        // estimate is that ratio); the randomization, log-rank and mcf tests are others.
        formulaApplies = [.proportionalRates, .rateRatio, .exactPoisson].contains(settings.test) && poissonCounts(a) && poissonCounts(b)
    }

    func postingsB(_ n: Int) -> Int { max(1, Int((settings.ratio * Double(n)).rounded())) }

    /// The two arms' samplers in a config with room for the largest n.
    func samplers(_ config: ExperimentConfig, postings: Int) -> (ArmSampler, ArmSampler) {
        var config = config
        config.arms[0].postings = postings
        config.arms[1].postings = postingsB(postings)
        let plan = ExperimentPlan(config)
        let needs = self.needs
        return (ArmSampler(plan: plan, arm: 0, postings: postings, needs: needs),
                ArmSampler(plan: plan, arm: 1, postings: postingsB(postings), needs: needs))
    }

    /// What the test reads of each posting. The tests of contacts over time pool both arms' risk
    /// sets: removal in either arm needs every contact time of both.
    var needs: PostingNeeds {
        settings.test.needs(removal: alternative.arms.contains { ($0.lifetime?.removalRate ?? 0) > 0 })
    }

    /// The contact times one simulated experiment holds at `postings` (and round(R·n)): the
    /// expected count over both arms, the larger of the design and the null, where the test
    /// reads times; 0 where it reads counts or first contacts (a posting's times are let go as
    /// soon as it is drawn).
    func heldContacts(postings n: Int) -> Double {
        guard needs.contains(.times) else { return 0 }
        return [alternative, null].map { config in
            var config = config
            config.arms[0].postings = n
            config.arms[1].postings = postingsB(n)
            let plan = ExperimentPlan(config)
            return Double(n) * (plan.meanCount(ofArm: 0, horizon: config.horizon) ?? 0)
                + Double(postingsB(n)) * (plan.meanCount(ofArm: 1, horizon: config.horizon) ?? 0)
        }.max() ?? 0
    }

    /// Tallies of each count over simulations `sims`, on `settings.jobs` threads; partial once
    /// `cancellation` is cancelled (each thread stops at its next simulation or 4,096 postings).
    func simulate(_ counts: [Int], sims: Range<Int>, cancellation: Cancellation = .never) -> [Tally] {
        let largest = counts.max() ?? 0
        let designs = [(false, samplers(alternative, postings: largest)), (true, samplers(null, postings: largest))]
        let names = (alternative.arms[0].name, alternative.arms[1].name)
        let randomization = ComparisonSettings.Randomization(draws: settings.draws, seed: seed)
        let needs = designs.map { ($0.1.0.needs, $0.1.1.needs) }
        let stripes = max(1, min(settings.jobs, sims.count))
        let results = ResultSlots<[Tally]>(count: stripes)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var tallies = counts.map { _ in Tally() }
            var j = sims.lowerBound + stripe
            var a: [SampledPosting] = [], b: [SampledPosting] = []
            simulations: while j < sims.upperBound {
                Failpoint.reach("power-simulation")
                if cancellation.isCancelled { break }
                for (design, (isNull, (samplerA, samplerB))) in designs.enumerated() {
                    a.removeAll(keepingCapacity: true)
                    b.removeAll(keepingCapacity: true)
                    for k in 0..<largest {
                        if k & 4095 == 4095, cancellation.isCancelled { break simulations }
                        var rng = RandomStream.power(seed: seed, null: isNull, simulation: j, arm: names.0, index: k)
                        a.append(samplerA.sample(posting: k, using: &rng))
                    }
                    for k in 0..<postingsB(largest) {
                        if k & 4095 == 4095, cancellation.isCancelled { break simulations }
                        var rng = RandomStream.power(seed: seed, null: isNull, simulation: j, arm: names.1, index: k)
                        b.append(samplerB.sample(posting: k, using: &rng))
                    }
                    for (i, n) in counts.enumerated() {
                        var comparison = ComparisonSettings(intervals: settings.method, randomization: randomization)
                        comparison.randomization.stream = [UInt64(design), UInt64(j), UInt64(n)]
                        let outcome = settings.test.outcome(
                            ArmSample(name: names.0, a[0..<n], needs: needs[design].0),
                            ArmSample(name: names.1, b[0..<postingsB(n)], needs: needs[design].1), settings: comparison)
                        tallies[i].record(p: outcome.p, alpha: settings.alpha, null: isNull, effect: outcome.effect)
                    }
                }
                j += stripes
            }
            results.set(stripe, tallies)
        }
        return Tally.merged(results.values, count: counts.count)
    }

    func point(postings n: Int, tally: Tally) -> PowerAnalysis.Point {
        let effects = tally.effects.sorted()
        let median: Double? = effects.isEmpty ? nil
            : effects.count % 2 == 1 ? effects[effects.count / 2] : (effects[effects.count / 2 - 1] + effects[effects.count / 2]) / 2
        return PowerAnalysis.Point(
            postings: n, postingsB: postingsB(n), sims: tally.sims, rejections: tally.rejections, failed: tally.failed,
            nullRejections: tally.nullRejections, nullFailed: tally.nullFailed, medianEffect: median,
            formulaPower: formulaApplies ? formulaPower(n) : nil)
    }

    /// Expected contacts per posting of each arm over its first n (and round(R·n)) postings.
    func meanCounts(_ n: Int) -> (Double, Double) {
        var config = alternative
        config.arms[0].postings = n
        config.arms[1].postings = postingsB(n)
        let plan = ExperimentPlan(config)
        return (plan.meanCount(ofArm: 0, horizon: config.horizon) ?? 0, plan.meanCount(ofArm: 1, horizon: config.horizon) ?? 0)
    }

    func formulaPower(_ n: Int) -> Double? {
        ZhuLakkis.power(meanCounts: meanCounts(n), postings: (n, postingsB(n)), alpha: settings.alpha)
    }

    /// The smallest n (up to ``PowerAnalysis/maximumPostings``) whose closed-form power reaches the target.
    func formulaSmallest(target: Double) -> Int? {
        PowerAnalysis.smallest(from: 1, maximum: PowerAnalysis.maximumPostings) { (formulaPower($0) ?? 0) >= target }
    }
}

/// Why a power analysis cannot run as asked; each names the ``Setting`` to change, and the
/// caller its own name for it.
public enum PowerError: SettingFailure, Equatable {
    case unknownArm(setting: Setting, name: String, known: [String])
    case sameArm(name: String)
    case noResponse
    case noSeed
    case tooMuchWork(draws: Double, limit: Double)
    /// A sharded analysis asked for a setting that decides from all simulations as it goes.
    case shardedSearch(Setting)
    case termNotTested
    case regression(String)
    case tooManyContacts(expected: Double, limit: Double)
    case tooManyContactTimes(test: ArmTest, expected: Double, limit: Double)
    /// A setting outside its range: what it expects.
    case outOfRange(Setting, expected: String)

    public var exitStatus: ExitStatus { .usage }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .outOfRange(setting, expected):
            "\(name(setting)) expects \(expected)"
        case let .unknownArm(setting, arm, known):
            "\(name(setting)): the config has no arm of that name (\(TypedValue.described(arm))); expected one of \(known.map { "`\($0)`" }.joined(separator: ", "))"
        case .sameArm:
            "\(name(.arms)): expected two different arms, found one name twice"
        case .noResponse:
            "\(name(.arms)): neither arm has a response model, so neither has a contact to test"
        case .noSeed:
            "the config has no seed; give one with \(name(.seed)) N"
        case .termNotTested:
            "\(name(.term)) must be one of the terms of \(name(.terms))"
        case let .regression(message):
            message
        case let .tooManyContacts(expected, limit):
            "\(name(.terms)) holds each simulated experiment whole: at the largest n its contacts are expected to number \(String(format: "%.3g", expected)) at once (every thread's), more than the \(String(format: "%.0g", limit)) one run may hold; use smaller \(name(.postings)) or fewer \(name(.jobs))"
        case let .tooManyContactTimes(test, expected, limit):
            "\(name(.test)) \(test.rawValue) with removal reads every contact time of a simulated experiment: at the largest n they are expected to number \(String(format: "%.3g", expected)) at once (every thread's), more than the \(String(format: "%.0g", limit)) one run may hold; use smaller \(name(.postings)) or fewer \(name(.jobs)), or a test of counts (rate-ratio, exact-poisson) or of first contacts (logrank)"
        case let .shardedSearch(setting):
            "\(name(.shard)) deals fixed simulations across shards; \(name(setting)) decides from all of them as it goes, so give \(name(.postings)) and \(name(.sims)) instead"
        case let .tooMuchWork(draws, limit):
            "\(name(.sims)) × (postings of both arms) × 2 designs asks for \(String(format: "%.3g", draws)) posting draws at the largest n, more than the \(String(format: "%.0g", limit)) one run may take; use fewer \(name(.sims)) (or \(name(.precision))) or smaller \(name(.postings))"
        }
    }
}
