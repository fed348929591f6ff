public import DecoyAnalysis
import DecoyModel
import DecoySimulation
import DecoyStatistics
import Foundation

/// A power analysis of one term of a regression (`power --terms … --term T`): the experiment is
/// every arm of the config with n postings each, analysed as `regress` will analyse it, and the
/// test is the joint Wald test of term T (``ProportionalRatesRegression``'s, corrected or classic).
public struct RegressionPower: Sendable, Equatable {
    /// The model: its terms, strata, reference levels and labels forced.
    public var model: RegressionSettings
    /// The term whose test is counted.
    public var term: RegressionTerm

    public init(model: RegressionSettings, term: RegressionTerm) {
        self.model = model
        self.term = term
    }
}

/// Every arm of a config simulated with n postings, fitted as ``RegressionPower`` asks, under the
/// design and under the null of no effect of the term.
///
/// The null gives each arm the response of its counterpart without the term's effect: for the
/// term `arm`, the reference arm's response in every arm; for an arm attribute (`platform`), the
/// arm whose attributes are the same but for that one, set to its reference level. Removal,
/// schedule, name and stream stay each arm's own. Where no such counterpart exists (an
/// interaction, a per-posting value such as `posted_hour`) the null is not simulated and the type
/// I error is not given.
struct RegressionPowerDesign: Sendable {
    let power: RegressionPower
    let alternative: ExperimentConfig
    let null: ExperimentConfig?
    let seed: UInt64
    let method: IntervalMethod
    let alpha: Double
    let jobs: Int

    init(_ config: ExperimentConfig, power: RegressionPower, settings: PowerAnalysis.Settings) throws(PowerError) {
        guard let seed = config.seed else { throw .noSeed }
        guard config.arms.contains(where: { $0.response != nil }) else { throw .noResponse }
        guard power.model.terms.contains(power.term) else { throw .termNotTested }
        var model = power.model
        model.intervals = settings.method
        self.power = RegressionPower(model: model, term: power.term)
        self.seed = seed
        method = settings.method
        alpha = settings.alpha
        jobs = settings.jobs
        var alternative = config
        alternative.replicates = 1
        self.alternative = alternative
        // The design must be one regress can fit: check it at two postings an arm, before simulating.
        let description = Self.description(alternative, postings: 2)
        do { _ = try RegressionDesign(run: description, settings: model) } catch {
            if case .tooFewPostings = error {} else { throw .regression(error.description) }
        }
        null = Self.null(alternative, term: power.term, references: model.references)
    }

    /// The config whose arms have no effect of `term`, or `nil` where it cannot be made by
    /// exchanging responses.
    static func null(_ config: ExperimentConfig, term: RegressionTerm, references: [String: String]) -> ExperimentConfig? {
        guard term.factors.count == 1 else { return nil }
        let name = term.factors[0]
        var null = config
        if name == "arm" {
            let reference = references["arm"].flatMap { r in config.arms.first { $0.name == r } } ?? config.arms[0]
            for i in null.arms.indices { null.arms[i].response = reference.response }
            return null
        }
        guard config.arms.allSatisfy({ $0.attributes[name] != nil }) else { return nil }
        let level = references[name] ?? config.arms[0].attributes[name]!
        for i in null.arms.indices {
            var wanted = config.arms[i].attributes
            wanted[name] = level
            guard let partner = config.arms.first(where: { $0.attributes == wanted }) else { return nil }
            null.arms[i].response = partner.response
        }
        return null
    }

    /// What analysis would know of `config` run with `postings` per arm (windows are the horizon;
    /// the design does not read them).
    static func description(_ config: ExperimentConfig, postings: Int) -> RunDescription {
        var config = config
        for i in config.arms.indices { config.arms[i].postings = postings }
        let plan = ExperimentPlan(config)
        return RunDescription(
            id: 0, source: .simulated, horizonMicros: Units.micros(hours: config.horizon), gridMicros: Units.micros(hours: config.grid),
            arms: plan.arms.map { ArmDescription(id: $0.index, name: $0.spec.name, population: $0.population.name, populationSize: nil, attributes: $0.spec.attributes) },
            postings: plan.postings.map {
                PostingDescription(replicate: $0.replicate, arm: $0.arm, index: $0.index, windowMicros: Units.micros(hours: config.horizon),
                                   postedAtMicros: config.start.microseconds + Units.micros(hours: $0.goLive))
            },
            utcOffsetSeconds: config.start.utcOffsetSeconds)
    }

    var arms: Int { alternative.arms.count }

    /// The contacts one simulated experiment holds in memory at `postings` per arm (every contact
    /// time of every posting, for the fit): the expected count, from the models' mean functions.
    func expectedContacts(postings: Int) -> Double {
        var config = alternative
        for i in config.arms.indices { config.arms[i].postings = postings }
        let plan = ExperimentPlan(config)
        return config.arms.indices.reduce(0) { $0 + Double(postings) * (plan.meanCount(ofArm: $1, horizon: config.horizon) ?? 0) }
    }

    /// Tallies of each n over simulations `sims`, on `jobs` threads; partial once `cancellation`
    /// is cancelled (each thread stops at its next simulation, fit or 4,096 postings).
    func simulate(_ counts: [Int], sims: Range<Int>, cancellation: Cancellation = .never) -> [Tally] {
        let largest = counts.max() ?? 0
        let designs: [(Bool, ExperimentConfig?)] = [(false, alternative), (true, null)]
        let built = designs.map { isNull, config in
            config.map { config -> [ArmSampler] in
                var config = config
                for i in config.arms.indices { config.arms[i].postings = largest }
                let plan = ExperimentPlan(config)
                return config.arms.indices.map { ArmSampler(plan: plan, arm: $0, postings: largest, needs: .times) }
            }
        }
        let regressions: [RegressionDesign?] = counts.map { try? RegressionDesign(run: Self.description(alternative, postings: $0), settings: power.model) }
        let termIndex = power.model.terms.firstIndex(of: power.term)!
        let names = alternative.arms.map(\.name)
        let stripes = max(1, min(jobs, sims.count))
        let results = ResultSlots<[Tally]>(count: stripes)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var tallies = counts.map { _ in Tally() }
            var j = sims.lowerBound + stripe
            var samples = [[SampledPosting]](repeating: [], count: names.count)
            simulations: while j < sims.upperBound {
                Failpoint.reach("power-simulation")
                if cancellation.isCancelled { break }
                for (design, (isNull, _)) in designs.enumerated() {
                    guard let samplers = built[design] else {
                        for i in counts.indices { tallies[i].nullFailed += 1 }
                        continue
                    }
                    for arm in names.indices {
                        samples[arm].removeAll(keepingCapacity: true)
                        for k in 0..<largest {
                            if k & 4095 == 4095, cancellation.isCancelled { break simulations }
                            var rng = RandomStream.power(seed: seed, null: isNull, simulation: j, arm: names[arm], index: k)
                            samples[arm].append(samplers[arm].sample(posting: k, using: &rng))
                        }
                    }
                    for (i, n) in counts.enumerated() {
                        if cancellation.isCancelled { break simulations }
                        let p = regressions[i].flatMap { regression -> Double? in
                            let postings = samples.flatMap { $0.prefix(n) }
                            let fit = try? ProportionalRatesRegression(
                                design: regression, windows: postings.map(\.window), times: postings.map(\.times), settings: power.model)
                            return fit?.tests[termIndex].test.p
                        }
                        tallies[i].record(p: p, alpha: alpha, null: isNull)
                    }
                }
                j += stripes
            }
            results.set(stripe, tallies)
        }
        return Tally.merged(results.values, count: counts.count)
    }

    func point(postings n: Int, tally: Tally) -> PowerAnalysis.Point {
        PowerAnalysis.Point(
            postings: n, postingsB: n, sims: tally.sims, rejections: tally.rejections, failed: tally.failed,
            nullRejections: tally.nullRejections, nullFailed: tally.nullFailed, medianEffect: nil, formulaPower: nil)
    }
}
