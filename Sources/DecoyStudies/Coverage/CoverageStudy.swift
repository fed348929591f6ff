public import DecoyAnalysis
public import DecoyModel
import DecoySimulation
public import DecoyStatistics
import Foundation

/// How often each interval of `curves` and `compare` covers the model's truth, by simulation.
///
/// The config's arms are simulated with `postings` postings each, as many times as the config's
/// replicates (the replicates of one in-memory run, so every replicate is an independent experiment), and each
/// replicate is analysed on its own as a run of one replicate would be. Each interval is checked
/// against the model's exact value given the replicate's observation windows:
/// - `mcf` at each checkpoint against the `expected` curve;
/// - `rate` in the bin starting at each rate checkpoint against Σᵢ (mᵢ(min(b, Cᵢ)) − mᵢ(a))⁺ / Σᵢ tᵢ,
///   mᵢ the posting's mean cumulative contacts;
/// - `ttfc` at the times where the model's probability of no contact is 0.75, 0.5 and 0.25, against
///   exp(−m₀(t)), m₀ the first contact's cumulative intensity (the background of a Hawkes
///   process); the KM median against the t with m₀(t) = log 2 (where they are inside the horizon);
/// - with two or more arms, `compare` of the first two: the rate ratio against the ratio of the
///   arms' E k / E C (windows drawn from the removal model: the sandwich estimates this, not the
///   ratio given the windows) and the mcf difference against the difference of the expected
///   curves at the time the difference is read (``McfDifferenceComparison``).
/// A binomial standard error √(p(1−p)/N) goes with each coverage.
///
/// Beside coverage, the type I error of every test of ``ArmTest`` at α = 1 − confidence on the
/// config's null design: every arm given the first arm's response, each keeping its own removal
/// and schedule (docs/statistics.md, as `power`), each replicate of it compared as `compare` would compare it.
public struct CoverageStudy: Sendable {
    /// One line of the coverage table.
    public struct Cell: Sendable, Equatable {
        public var arm: String
        public var metric: String
        public var postings: Int
        public var checked: Int
        public var covered: Int
        public var coverage: Double { checked > 0 ? Double(covered) / Double(checked) : .nan }
        public var standardError: Double { checked > 0 ? (coverage * (1 - coverage) / Double(checked)).squareRoot() : .nan }
    }

    /// One test's rejections of the null design at one postings count.
    public struct TypeOneCell: Sendable, Equatable {
        public var test: ArmTest
        public var postings: Int
        public var replicates: Int
        /// Replicates where the test is defined.
        public var defined: Int
        public var rejections: Int
        public var rate: Double? { defined > 0 ? Double(rejections) / Double(defined) : nil }
        /// Clopper–Pearson 95% interval of the rate.
        public var interval: ConfidenceInterval? {
            defined > 0 ? BinomialProportion.clopperPearson(successes: rejections, trials: defined) : nil
        }
    }

    public var name: String
    public var method: IntervalMethod
    public var confidence: Double
    public var replicates: Int
    public var cells: [Cell]
    /// The arm whose response every arm has in the null design, and the tests' rejections there.
    public var nullArm: String?
    public var typeOne: [TypeOneCell] = []

    /// Fractions of the horizon at which `mcf` is checked.
    public static let checkpoints = [0.1, 0.5, 1.0]
    /// The model's probabilities of no contact yet at whose times `ttfc` is checked.
    public static let survivalCheckpoints = [0.75, 0.5, 0.25]
    /// Fractions of the horizon at which the checked `rate` bins start.
    public static let rateCheckpoints = [0.0, 0.1, 0.5]

    /// What a study measures: the coverage of the intervals, the type I error of the tests.
    public enum Part: String, Sendable, CaseIterable {
        case coverage
        case typeOne = "type-one"
    }

    /// Runs the study on `jobs` threads: the config's seed makes it reproducible, whatever `jobs`.
    /// `measuring` leaves out a part nobody will read (its table is then empty). `cancellation`
    /// stops it at the next block of postings or replicate, throwing ``Cancelled``.
    public static func run(_ loaded: LoadedConfig, postings: [Int], method: IntervalMethod, confidence: Double = 0.95,
                           jobs: Int = 1, measuring parts: Set<Part> = Set(Part.allCases), cancellation: Cancellation = .never) throws -> CoverageStudy {
        try checkSize(loaded.config, postings: postings)
        var cells: [Cell] = []
        var typeOne: [TypeOneCell] = []
        let compared = loaded.config.arms.count >= 2 && loaded.config.arms[0].response != nil
        for n in postings {
            var config = loaded.config
            for a in config.arms.indices { config.arms[a].postings = n }
            let values = try InMemoryExperiment.simulate(config, jobs: jobs, cancellation: cancellation)
            if parts.contains(.coverage) {
                cells += try Self.measure(values, postings: n, method: method, confidence: confidence, cancellation: cancellation)
            }
            if compared, parts.contains(.typeOne) {
                var null = config
                for a in null.arms.indices { null.arms[a].response = config.arms[0].response }
                let nullValues = null == config ? values : try InMemoryExperiment.simulate(null, jobs: jobs, cancellation: cancellation)
                typeOne += try Self.typeOne(nullValues, postings: n, method: method, alpha: 1 - confidence, jobs: jobs, cancellation: cancellation)
            }
        }
        var study = CoverageStudy(name: loaded.config.name, method: method, confidence: confidence, replicates: loaded.config.replicates,
                                  cells: cells)
        study.nullArm = compared ? loaded.config.arms[0].name : nil
        study.typeOne = typeOne
        return study
    }

    /// The most postings one study's experiment may hold at once (every replicate of every arm at
    /// one count), about 200 bytes each with their values.
    public static let maximumHeldPostings = 5_000_000
    /// The most contacts one study's experiment may hold at once, expected (every contact time
    /// is kept for the checks).
    public static let maximumHeldContacts = 1e8

    /// Refuses, before anything is allocated, a study whose experiments would not fit in memory.
    static func checkSize(_ config: ExperimentConfig, postings: [Int]) throws(CoverageError) {
        guard let largest = postings.max(), postings.allSatisfy({ $0 >= 1 }) else { throw .noPostings }
        let replicates = Double(config.replicates), arms = Double(config.arms.count)
        let held = replicates * arms * Double(largest)
        guard held <= Double(maximumHeldPostings) else { throw .tooManyPostings(held: held, limit: maximumHeldPostings) }
        var sample = config
        for a in sample.arms.indices { sample.arms[a].postings = min(largest, 1000) }
        let plan = ExperimentPlan(sample)
        let perReplicate = sample.arms.indices.reduce(0.0) { total, arm in
            total + Double(largest) * (plan.meanCount(ofArm: arm, horizon: sample.horizon) ?? 0)
        }
        let contacts = replicates * perReplicate
        guard contacts <= maximumHeldContacts else { throw .tooManyContacts(expected: contacts, limit: maximumHeldContacts) }
    }

    /// Every test's rejections at `alpha` of the first two arms in each replicate of `values`,
    /// compared as `compare` would compare a run of that replicate alone (its randomization draws
    /// seeded by the config's seed and the replicate).
    static func typeOne(_ values: RunValues, postings n: Int, method: IntervalMethod, alpha: Double, jobs: Int,
                        cancellation: Cancellation = .never) throws(Cancelled) -> [TypeOneCell] {
        let run = values.run
        let replicates = Set(run.postings.map(\.replicate)).sorted()
        let seed = run.model?.seed ?? 0
        @Sendable func samples(_ replicate: Int) -> (ArmSample, ArmSample) {
            func arm(_ id: Int) -> ArmSample {
                ArmSample(name: run.arms[id].name, values.events(run.members(ofArm: id, replicate: replicate)))
            }
            return (arm(0), arm(1))
        }
        let stripes = max(1, min(jobs, replicates.count))
        let slots = ResultSlots<[[Bool?]]>(count: stripes)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var rejected: [[Bool?]] = []
            var index = stripe
            while index < replicates.count, !cancellation.isCancelled {
                Failpoint.reach("coverage-replicate")
                let (a, b) = samples(replicates[index])
                var settings = ComparisonSettings(confidence: 1 - alpha, intervals: method)
                settings.randomization.seed = seed
                settings.randomization.stream = [UInt64(replicates[index])]
                rejected.append(ArmTest.allCases.map { test in test.outcome(a, b, settings: settings).p.map { $0 < alpha } })
                index += stripes
            }
            slots.set(stripe, rejected)
        }
        try cancellation.check()
        let outcomes = slots.values.flatMap { $0 }
        return ArmTest.allCases.enumerated().map { k, test in
            let results = outcomes.map { $0[k] }
            return TypeOneCell(test: test, postings: n, replicates: results.count, defined: results.compactMap { $0 }.count,
                               rejections: results.filter { $0 == true }.count)
        }
    }

    static func measure(_ values: RunValues, postings n: Int, method: IntervalMethod, confidence: Double,
                        cancellation: Cancellation = .never) throws -> [Cell] {
        let run = values.run
        guard let config = run.model else { preconditionFailure("an in-memory run carries its config") }
        let plan = ExperimentPlan(config)
        let horizon = run.horizon, grid = Double(run.gridMicros) / Units.microsPerHour
        func snap(_ fraction: Double) -> Double { min(horizon, (fraction * horizon / grid).rounded(.down) * grid) }
        let checkpoints = Self.checkpoints.map(snap)
        let rateStarts = Self.rateCheckpoints.map(snap).map { min($0, horizon - grid) }
        // Each posting's mean cumulative contacts and its first contact's cumulative intensity.
        let intensities: [PostingIntensity?] = run.postings.map { p in
            let arm = plan.arms[p.arm]
            return plan.intensity(of: PostingPlan(replicate: p.replicate, arm: p.arm, index: p.index, goLive: arm.spec.schedule.goLive(ofPosting: p.index)))
        }
        let firsts: [PostingIntensity?] = intensities.map { intensity in
            intensity.map { PostingIntensity(ResponseSpec(model: $0.response.model.background, multiplier: $0.response.multiplier,
                                                          diurnal: $0.response.diurnal, bumps: $0.response.bumps), goLiveLocalHour: $0.goLiveLocalHour) }
        }
        func m(_ i: Int, _ t: Double) -> Double { intensities[i]?.meanCumulative(at: t) ?? 0 }
        func m0(_ i: Int, _ t: Double) -> Double { firsts[i]?.meanCumulative(at: t) ?? 0 }

        // The rate ratio estimates E k / E C of each arm (over the removal of postings too, which
        // is what its sandwich variance accounts for): E k = ∫₀ᴴ e^(−ρs) dm(s), E C = (1 − e^(−ρH))/ρ.
        let rateTruth: [Double] = run.arms.map { arm in
            guard let i = run.postings.firstIndex(where: { $0.arm == arm.id }) else { return .nan }
            let rho = config.arms[arm.id].lifetime?.removalRate ?? 0
            let steps = 4000
            var contacts = 0.0, previous = 0.0
            for j in 1...steps {
                let s = horizon * Double(j) / Double(steps), current = m(i, s)
                contacts += (current - previous) * Foundation.exp(-rho * (s - horizon / Double(2 * steps)))
                previous = current
            }
            let exposure = rho > 0 ? -Foundation.expm1(-rho * horizon) / rho : horizon
            return contacts / exposure
        }
        var tally: [String: (arm: String, metric: String, checked: Int, covered: Int)] = [:]
        var order: [String] = []
        func count(_ arm: String, _ metric: String, _ lower: Double?, _ upper: Double?, _ truth: Double) {
            let key = arm + "\u{0}" + metric
            if tally[key] == nil { tally[key] = (arm, metric, 0, 0); order.append(key) }
            tally[key]!.checked += 1
            if let lower, lower <= truth, truth <= (upper ?? .infinity) { tally[key]!.covered += 1 }
        }
        let replicates = Set(run.postings.map(\.replicate)).sorted()
        let request = CurveRequest(metrics: [.mcf, .rate, .ttfc, .expected], grid: grid, grouping: .arm, confidence: confidence, intervals: method)
        for replicate in replicates {
            Failpoint.reach("coverage-replicate")
            try cancellation.check()
            let members = run.postings.indices.filter { run.postings[$0].replicate == replicate }
            let sub = RunValues(
                run: RunDescription(id: 0, source: .simulated, horizonMicros: run.horizonMicros, gridMicros: run.gridMicros, arms: run.arms,
                                    postings: members.map { run.postings[$0] }, model: config),
                contacts: members.map { values.contacts[$0] })
            let rows = try CurveBuilder.curves(of: sub, request: request)
            func row(_ arm: String, _ metric: CurveMetric, _ t: Double) -> CurvePoint? {
                rows.first { $0.arm == arm && $0.metric == metric && $0.point.t == t }?.point
            }
            for arm in run.arms {
                let own = members.indices.filter { sub.run.postings[$0].arm == arm.id }
                let global = own.map { members[$0] }
                let windows = global.map { run.postings[$0].window }
                for t in checkpoints {
                    if let point = row(arm.name, .mcf, t), let truth = row(arm.name, .expected, t)?.estimate {
                        count(arm.name, "mcf", point.lower, point.upper, truth)
                    }
                }
                for a in rateStarts {
                    let b = min(a + grid, horizon)
                    var expected = 0.0, exposure = 0.0
                    for (i, window) in zip(global, windows) where window > a {
                        expected += m(i, min(b, window)) - m(i, a)
                        exposure += min(b, window) - a
                    }
                    if exposure > 0, let point = row(arm.name, .rate, a) { count(arm.name, "rate", point.lower, point.upper, expected / exposure) }
                }
                // ttfc at the model's quartiles of first contact, and the KM median, where they lie
                // inside the horizon (postings of one arm share a first-contact intensity here).
                let km = KaplanMeier(followUp: global.map { values.contacts[$0].first.map { Double($0) / Units.microsPerHour } ?? run.postings[$0].window },
                                     contacted: global.map { !values.contacts[$0].isEmpty })
                func quantile(_ survival: Double) -> Double? {
                    guard let i = global.first, m0(i, horizon) > -log(survival) else { return nil }
                    var lo = 0.0, hi = horizon
                    for _ in 0..<100 { let mid = (lo + hi) / 2; if m0(i, mid) < -log(survival) { lo = mid } else { hi = mid } }
                    return (lo + hi) / 2
                }
                for survival in Self.survivalCheckpoints {
                    guard let t = quantile(survival) else { continue }
                    let point = km.estimate(at: [t], confidence: confidence, method: method)[0]
                    let truth = global.reduce(0.0) { $0 + Foundation.exp(-m0($1, t)) } / Double(max(global.count, 1))
                    count(arm.name, "ttfc", point.lower, point.upper, truth)
                }
                if let truth = quantile(0.5) {
                    let median = km.median(confidence: confidence)
                    count(arm.name, "median", median.lower, median.upper, truth)
                }
            }
            if run.arms.count >= 2 {
                let first = run.arms[0], second = run.arms[1]
                let comparison = try ArmComparison((sub, first.name), (sub, second.name),
                                                   settings: ComparisonSettings(confidence: confidence, intervals: method))
                let label = "\(first.name)/\(second.name)"
                if comparison.rateRatio.ratio != nil {
                    count(label, "rate ratio", comparison.rateRatio.lower, comparison.rateRatio.upper, rateTruth[first.id] / rateTruth[second.id])
                } else {
                    count(label, "rate ratio", nil, nil, 0)
                }
                if let at = comparison.mcfDifference.at {
                    let a = try CurveBuilder.expected(of: sub.run, postings: sub.run.members(ofArm: first.id), at: [at])[0]
                    let b = try CurveBuilder.expected(of: sub.run, postings: sub.run.members(ofArm: second.id), at: [at])[0]
                    count(label, "mcf difference", comparison.mcfDifference.difference?.lower, comparison.mcfDifference.difference?.upper, a - b)
                }
            }
        }
        return order.map { key in
            let t = tally[key]!
            return Cell(arm: t.arm, metric: t.metric, postings: n, checked: t.checked, covered: t.covered)
        }
    }
}

/// A coverage study that cannot be run as asked.
public enum CoverageError: DecoyFailure {
    case noPostings
    case tooManyPostings(held: Double, limit: Int)
    case tooManyContacts(expected: Double, limit: Double)

    public var exitStatus: ExitStatus { .usage }

    public var description: String {
        switch self {
        case .noPostings:
            "a coverage study needs at least one count of postings per arm, each at least 1"
        case let .tooManyPostings(held, limit):
            "a coverage study holds every replicate of every arm at once: at the largest count that is \(String(format: "%.3g", held)) postings, more than the \(limit) one study may hold; use fewer replicates or smaller counts"
        case let .tooManyContacts(expected, limit):
            "a coverage study holds every contact of every replicate at once: at the largest count about \(String(format: "%.3g", expected)) contacts are expected, more than the \(String(format: "%.0g", limit)) one study may hold; use fewer replicates or smaller counts"
        }
    }
}
