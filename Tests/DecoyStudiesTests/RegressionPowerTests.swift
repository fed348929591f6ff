import DecoyAnalysis
import DecoyModel
import Foundation
import Testing
@testable import DecoyStudies

/// `power --terms`: the null design of a term, and a power that does not depend on threads.
struct RegressionPowerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func twoPlatforms() throws -> LoadedConfig {
        try ConfigLoader.load(path: repository.appendingPathComponent("experiments/two-platforms.yaml").path)
    }

    static func settings(term: String, terms: String = "section,platform,section:platform", jobs: Int = 1) -> PowerAnalysis.Settings {
        var settings = PowerAnalysis.Settings(arms: ("adult-a-paris", "adult-b-paris"), sims: 60, jobs: jobs)
        settings.regression = RegressionPower(
            model: RegressionSettings(terms: terms.split(separator: ",").map { RegressionTerm(parsing: String($0))! }, strata: "city",
                                      references: ["section": "control", "platform": "site-a"]),
            term: RegressionTerm(parsing: term)!)
        return settings
    }

    /// Without the platform's effect, each arm draws what its site-a counterpart in the same section
    /// and city draws; removal stays its own.
    @Test func theNullOfAnAttributeGivesEachArmItsReferenceCounterpartsResponse() throws {
        let config = try Self.twoPlatforms().config
        let null = try #require(RegressionPowerDesign.null(config, term: RegressionTerm(["platform"]), references: ["platform": "site-a"]))
        for (arm, original) in zip(null.arms, config.arms) {
            var counterpart = original.attributes
            counterpart["platform"] = "site-a"
            let source = try #require(config.arms.first { $0.attributes == counterpart })
            #expect(arm.response == source.response, "\(arm.name)")
            #expect(arm.lifetime == original.lifetime)
        }
        #expect(null.arms.first { $0.name == "adult-b-lyon" }?.response?.multiplier == 0.5)
        #expect(RegressionPowerDesign.null(config, term: RegressionTerm(["section", "platform"]), references: [:]) == nil)
    }

    @Test func theTallyDoesNotDependOnThreads() throws {
        let loaded = try Self.twoPlatforms()
        let one = try PowerAnalysis.run(loaded, settings: Self.settings(term: "platform", terms: "section,platform"), grid: .postings([2, 3]))
        let two = try PowerAnalysis.run(loaded, settings: Self.settings(term: "platform", terms: "section,platform", jobs: 2), grid: .postings([2, 3]))
        #expect(one.points == two.points)
        #expect(one.points.allSatisfy { $0.sims == 60 && $0.typeOneError != nil })
        // The platform draws a fifth as much in the adult arms: found at 3 postings an arm nearly always.
        #expect((one.points.last?.power ?? 0) > 0.9)
    }

    @Test func anInteractionHasNoSimulatedNull() throws {
        let analysis = try PowerAnalysis.run(try Self.twoPlatforms(), settings: Self.settings(term: "section:platform"), grid: .postings([3]))
        #expect(!analysis.nullSimulated)
        #expect(analysis.points[0].typeOneError == nil && analysis.points[0].power != nil)
    }

    @Test func aDesignRegressCannotFitIsRefusedBeforeSimulating() throws {
        #expect(throws: PowerError.self) {
            _ = try PowerAnalysis.run(try Self.twoPlatforms(), settings: Self.settings(term: "colour", terms: "colour"), grid: .postings([3]))
        }
    }

    /// Every contact of an experiment is held for the fit: a design expected to hold more than
    /// 10⁸ at once is refused before anything is simulated.
    @Test func anExperimentTooLargeToHoldIsRefused() throws {
        do {
            _ = try PowerAnalysis.run(try Self.twoPlatforms(), settings: Self.settings(term: "platform", terms: "section,platform"),
                                      grid: .postings([1_000_000]))
            Issue.record("a million postings an arm should be refused")
        } catch let error as PowerError {
            guard case let .tooManyContacts(expected, _) = error else { Issue.record("\(error)"); return }
            #expect(expected > 1e9)
        }
    }
}
