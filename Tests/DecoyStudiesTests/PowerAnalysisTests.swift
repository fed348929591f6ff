import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import DecoyStudies
import DecoyTestSupport
import Foundation
import Testing

/// `decoy power` against an independent simulation of the same tests (numpy,
/// Tests/DecoyStudiesTests/Fixtures/make_power_reference.py, 100,000 experiments a cell) and against
/// Zhu and Lakkis's closed form; the level of each test; determinism and common draws.
///
/// Each comparison allows 3.5 Monte Carlo standard errors of the difference,
/// √(p̂₁(1−p̂₁)/N₁ + p̂₂(1−p̂₂)/N₂).
@Suite struct PowerAnalysisTests {
    /// The designs of the reference script, as configs.
    static func config(_ design: String, seed: UInt64 = 11) throws -> LoadedConfig {
        func arm(_ name: String, _ response: String, every: String = "1h", removal: String? = nil) -> String {
            """
              - name: \(name)
                postings: 1
                schedule: { offset: 0h, every: \(every) }
                response: \(response)
            """ + (removal.map { "\n    lifetime: { removal_rate: \($0) }" } ?? "")
        }
        func decay(_ initial: String, _ halfLife: String, _ baseline: String) -> String {
            "{ model: exponential-decay, initial: \(initial), half_life: \(halfLife), baseline: \(baseline) }"
        }
        let horizon: String, arms: [String]
        switch design {
        case "D1":
            horizon = "10h"
            arms = [arm("a", "{ model: poisson, rate: 0.5/h }"), arm("b", "{ model: poisson, rate: 0.3/h }")]
        case "D2":
            horizon = "24h"
            arms = [arm("a", decay("6/h", "2h", "0.2/h"), removal: "0.05/h"), arm("b", decay("4/h", "2h", "0.2/h"), removal: "0.05/h")]
        case "D3":
            horizon = "48h"
            arms = [arm("a", decay("150/h", "3.6h", "0.5/h"), every: "2h"), arm("b", "{ model: poisson, rate: 0.005/h }", every: "2h")]
        default: // D4: a small effect, for the closed form at large n
            horizon = "10h"
            arms = [arm("a", "{ model: poisson, rate: 0.5/h }"), arm("b", "{ model: poisson, rate: 0.4/h }")]
        }
        let text = """
        version: 1
        name: power-\(design.lowercased())
        seed: \(seed)
        start: 2026-01-05T09:00:00Z
        horizon: \(horizon)
        grid: 1h
        arms:
        \(arms.joined(separator: "\n"))
        """
        return try ConfigLoader.load(text: text, file: "\(design).yaml")
    }

    struct Reference {
        var defined: Int, rejections: Int, failed: Int, sims: Int
        var rate: Double { Double(rejections) / Double(defined) }
    }

    /// (design, test, scenario, n) → the reference tallies.
    static func references() throws -> [String: Reference] {
        let url = try #require(Bundle.module.url(forResource: "power_reference", withExtension: "csv", subdirectory: "Fixtures"))
        var result: [String: Reference] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() where !line.hasPrefix("#") {
            let f = line.split(separator: ",").map(String.init)
            result["\(f[0]) \(f[1]) \(f[2]) \(f[3])"] = Reference(defined: Int(f[7])!, rejections: Int(f[8])!, failed: Int(f[9])!, sims: Int(f[6])!)
        }
        return result
    }

    static func within(_ p1: Double, _ n1: Int, _ p2: Double, _ n2: Int, sigmas: Double = 3.5) -> Bool {
        let se = (p1 * (1 - p1) / Double(n1) + p2 * (1 - p2) / Double(n2)).squareRoot()
        return abs(p1 - p2) <= sigmas * se
    }

    static let counts = [2, 3, 5, 10, 20, 40]

    @Test(arguments: ["D1", "D2", "D3"], [ArmTest.rateRatio, .exactPoisson])
    func agreesWithAnIndependentSimulation(design: String, test: ArmTest) throws {
        let references = try Self.references()
        let analysis = try PowerAnalysis.run(
            try Self.config(design), settings: .init(arms: ("a", "b"), test: test, sims: 4000, jobs: 2), grid: .postings(Self.counts))
        #expect(analysis.points.map(\.postings) == Self.counts)
        for point in analysis.points {
            let power = try #require(references["\(design) \(test.rawValue) power \(point.postings)"])
            let null = try #require(references["\(design) \(test.rawValue) null \(point.postings)"])
            let label = "\(design) \(test.rawValue) n = \(point.postings)"
            #expect(Self.within(try #require(point.power), point.sims - point.failed, power.rate, power.defined),
                    "\(label): power \(point.power!) against \(power.rate)")
            #expect(Self.within(Double(point.failed) / Double(point.sims), point.sims, Double(power.failed) / Double(power.sims), power.sims),
                    "\(label): failed \(point.failed) of \(point.sims) against \(power.failed) of \(power.sims)")
            #expect(Self.within(try #require(point.typeOneError), point.sims - point.nullFailed, null.rate, null.defined),
                    "\(label): type I error \(point.typeOneError!) against \(null.rate)")
        }
    }

    @Test func approachesTheClosedFormAtLargeN() throws {
        // Poisson counts with a small effect: at 40 and 80 postings per arm the Wald test's normal
        // approximation holds, and the simulated power is the formula's within Monte Carlo error.
        let sims = 4000
        let analysis = try PowerAnalysis.run(
            try Self.config("D4"), settings: .init(arms: ("a", "b"), test: .rateRatio, sims: sims, jobs: 2), grid: .postings([40, 80]))
        #expect(analysis.formulaApplies)
        for point in analysis.points {
            let formula = try #require(point.formulaPower)
            let se = (formula * (1 - formula) / Double(sims)).squareRoot()
            #expect(abs(try #require(point.power) - formula) <= 3.5 * se, "n = \(point.postings): \(point.power!) against \(formula)")
        }
        // The formula's smallest n: (z₀.₉₇₅ + z₀.₈)² (1/5 + 1/4) / ln(1.25)² = 70.8, so 71 postings.
        #expect(analysis.formulaSmallestPostings == 71)
    }

    @Test func theExactTestHoldsItsLevelOnPoissonCountsAndTheWaldTestApproachesIt() throws {
        let sims = 4000
        let exact = try PowerAnalysis.run(
            try Self.config("D1"), settings: .init(arms: ("a", "b"), test: .exactPoisson, sims: sims, jobs: 2), grid: .postings(Self.counts))
        for point in exact.points {
            let level = try #require(point.typeOneError)
            #expect(level <= 0.05 + 3.5 * (0.05 * 0.95 / Double(sims)).squareRoot(), "n = \(point.postings): \(level)")
        }
        let wald = try PowerAnalysis.run(
            try Self.config("D1"), settings: .init(arms: ("a", "b"), test: .rateRatio, sims: sims, jobs: 2), grid: .postings([40]))
        #expect(Self.within(try #require(wald.points[0].typeOneError), sims, 0.05, 1_000_000))
    }

    @Test func theExactTestOverRejectsWhenHoursDoNotMeasureExposure() throws {
        // With decay and removal, contacts are not proportional to posting-hours: the exact test's
        // null does not hold (the reference measures 31–37% rejections), and the table warns.
        let analysis = try PowerAnalysis.run(
            try Self.config("D2"), settings: .init(arms: ("a", "b"), test: .exactPoisson, sims: 1000, jobs: 2), grid: .postings([5, 10]))
        for point in analysis.points { #expect(try #require(point.typeOneInterval).lower > 0.05) }
    }

    @Test func theTimeAlignedTestsHoldTheirLevelWhenRemovalLeavesFewPostingsAtTheHorizon() throws {
        // Removal at 0.3/h leaves almost no posting observed to 24 h. Read at the horizon, the
        // mcf's robust variance had no term from a lone posting at risk and identical arms
        // differed "significantly" 27% of the time at 10 postings; read where each arm still has
        // 3 postings at risk, and with the proportional-rates model, both hold their level.
        var loaded = try Self.config("D2")
        loaded.config.arms[0].lifetime = LifetimeSpec(removalRate: 0.3)
        loaded.config.arms[1].lifetime = LifetimeSpec(removalRate: 0.3)
        for test in [ArmTest.mcfDifference, .proportionalRates] {
            let analysis = try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "b"), test: test, sims: 1000, jobs: 2), grid: .postings([10]))
            let point = analysis.points[0]
            #expect(try #require(point.typeOneInterval).upper < 0.085 && point.typeOneInterval!.lower < 0.05,
                    "\(test.rawValue): type I \(String(describing: point.typeOneError))")
        }
    }

    @Test func theTableIsTheSameForAnyNumberOfThreads() throws {
        for test in ArmTest.allCases {
            let settings = { (jobs: Int) in PowerAnalysis.Settings(arms: ("a", "b"), test: test, sims: 300, jobs: jobs) }
            let one = try PowerAnalysis.run(try Self.config("D2"), settings: settings(1), grid: .postings([2, 5, 9]))
            let two = try PowerAnalysis.run(try Self.config("D2"), settings: settings(2), grid: .postings([2, 5, 9]))
            #expect(one.points == two.points, "\(test.rawValue)")
        }
    }

    @Test func commonDrawsMakePowerMonotoneInN() throws {
        // Every n shares the draws of its postings, so on a Poisson design the power climbs
        // without the Monte Carlo zigzag of independent points (which would be ±0.02 here).
        let analysis = try PowerAnalysis.run(
            try Self.config("D4"), settings: .init(arms: ("a", "b"), test: .exactPoisson, sims: 2000, jobs: 2),
            grid: .postings(Array(stride(from: 4, through: 60, by: 4))))
        let powers = try analysis.points.map { try #require($0.power) }
        for (previous, next) in zip(powers, powers.dropFirst()) { #expect(next >= previous - 0.005, "\(powers)") }
        #expect(powers.last! > powers.first! + 0.4)
    }

    @Test func failedSimulationsAreCountedApart() throws {
        // The control arm expects 0.24 contacts a posting: with 2 postings both are silent with
        // probability e^(−0.48) = 0.619, and the Wald ratio is undefined there.
        let analysis = try PowerAnalysis.run(
            try Self.config("D3"), settings: .init(arms: ("a", "b"), test: .rateRatio, sims: 2000, jobs: 2), grid: .postings([2]))
        let point = analysis.points[0]
        #expect(Self.within(Double(point.failed) / 2000, 2000, exp(-0.48), 1_000_000_000))
        #expect(point.power == Double(point.rejections) / Double(point.sims - point.failed))
        // The exact test is defined with a silent arm.
        let exact = try PowerAnalysis.run(
            try Self.config("D3"), settings: .init(arms: ("a", "b"), test: .exactPoisson, sims: 500, jobs: 2), grid: .postings([2]))
        #expect(exact.points[0].failed == 0 && exact.points[0].power == 1)
    }

    @Test func searchFindsTheSmallestNOnCommonDraws() throws {
        let settings = PowerAnalysis.Settings(arms: ("a", "b"), test: .exactPoisson, target: 0.8, sims: 500, jobs: 2)
        let search = try PowerAnalysis.run(try Self.config("D4"), settings: settings, grid: .search(maximum: 400))
        let found = try #require(search.smallestPostings)
        // The point below the answer misses the target and the answer reaches it, on the same draws
        // a fixed grid gives them.
        let grid = try PowerAnalysis.run(try Self.config("D4"), settings: settings, grid: .postings([found - 1, found]))
        #expect(try #require(grid.points[0].power) < 0.8 && (try #require(grid.points[1].power)) >= 0.8)
        #expect(search.points.first { $0.postings == found } == grid.points[1])
        let bound = try #require(search.smallestPostingsLowerBound)
        #expect(bound >= found)
        #expect(search.points.map(\.postings).contains(1) && search.points.map(\.postings) == search.points.map(\.postings).sorted())
    }

    @Test func precisionStopsWhenEveryIntervalIsNarrow() throws {
        let settings = PowerAnalysis.Settings(arms: ("a", "b"), test: .exactPoisson, sims: 100_000, precision: 0.03, jobs: 2)
        let analysis = try PowerAnalysis.run(try Self.config("D4"), settings: settings, grid: .postings([10, 30]))
        for point in analysis.points {
            let interval = try #require(point.interval)
            #expect((interval.upper - interval.lower) / 2 < 0.03)
            #expect(point.sims % PowerAnalysis.batch == 0 && point.sims < 100_000)
        }
        // One batch fewer would not have been enough for some point.
        let fewer = PowerAnalysis.Settings(arms: ("a", "b"), test: .exactPoisson, sims: analysis.points[0].sims - PowerAnalysis.batch, jobs: 2)
        let short = try PowerAnalysis.run(try Self.config("D4"), settings: fewer, grid: .postings([10, 30]))
        #expect(short.points.contains { ($0.interval!.upper - $0.interval!.lower) / 2 >= 0.03 })
    }

    /// With removal the tests of contacts over time read every contact time of a simulated
    /// experiment, one experiment a thread: a design expected to hold more than 10⁸ at once is
    /// refused before anything is simulated.
    @Test(arguments: [ArmTest.mcfDifference, .proportionalRates, .randomization])
    func aTestHoldingEveryContactTimeIsRefusedBeyondTheHeldContacts(test: ArmTest) throws {
        let loaded = try Self.config("D2")
        do {
            _ = try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "b"), test: test, sims: 10, jobs: 4), grid: .postings([1_000_000]))
            Issue.record("a million postings an arm on 4 threads should be refused")
        } catch let error as PowerError {
            guard case let .tooManyContactTimes(refused, expected, limit) = error else { Issue.record("\(error)"); return }
            #expect(refused == test)
            #expect(expected > limit)
        }
    }

    /// The library names settings, never flags: the command line maps each to its flag.
    @Test(arguments: [
        PowerError.unknownArm(setting: .nullArm, name: "z", known: ["a"]), .sameArm(name: "a"), .noResponse, .noSeed,
        .tooMuchWork(draws: 2e11, limit: 1e11), .shardedSearch(.maximumPostings), .termNotTested,
        .tooManyContacts(expected: 2e8, limit: 1e8), .tooManyContactTimes(test: .mcfDifference, expected: 2e8, limit: 1e8),
    ])
    func errorsNameSettingsNotFlags(error: PowerError) {
        #expect(!error.description.contains("--"), "\(error.description)")
        let named = error.message { "<\($0.rawValue)>" }
        #expect(named.contains("<"), "\(named)")
    }

    @Test func refusesArmsItCannotTest() throws {
        let loaded = try Self.config("D1")
        #expect(throws: PowerError.unknownArm(setting: .arms, name: "c", known: ["a", "b"])) {
            try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "c"), sims: 10), grid: .postings([2]))
        }
        #expect(throws: PowerError.sameArm(name: "a")) {
            try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "a"), sims: 10), grid: .postings([2]))
        }
        #expect(throws: PowerError.unknownArm(setting: .nullArm, name: "z", known: ["a", "b"])) {
            try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "b"), sims: 10, nullArm: "z"), grid: .postings([2]))
        }
    }
}

/// The design whose arms differ only in how fast their ads are taken down (0.4/h against
/// 0.05/h), analysed 300 times as `compare` analyses a run: the default test rejects at about α,
/// the crude ones nearly always. Under `compare`'s old headline, contacts per posting-hour, this
/// design was a "difference" 95% of the time.
@Suite struct RemovalOnlyDesignTests {
    @Test func theDefaultTestDoesNotReportADifferenceInContactRate() throws {
        let url = TestCLI.repository.appendingPathComponent("experiments/coverage/decay-removal-differs.yaml")
        let loaded = try ConfigLoader.load(path: url.path, overrides: [try #require(Override("replicates=300"))])
        let study = try CoverageStudy.run(loaded, postings: [10], method: .corrected, jobs: 2)
        func rate(_ test: ArmTest) throws -> Double { try #require(study.typeOne.first { $0.test == test }?.rate) }
        let proportional = try rate(.proportionalRates), mcf = try rate(.mcfDifference)
        // 300 replicates: σ ≈ 1.3 points at 5%; 4.5σ above it is 10.8%.
        #expect(proportional < 0.108, "proportional-rates \(proportional)")
        #expect(mcf < 0.108, "mcf-difference \(mcf)")
        #expect(try rate(.rateRatio) > 0.7 && (try rate(.exactPoisson)) > 0.7)
    }
}
