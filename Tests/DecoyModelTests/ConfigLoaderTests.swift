import Foundation
import Testing
@testable import DecoyModel

@Suite struct ConfigLoaderTests {
    static let valid = """
        version: 1
        name: adult-vs-control
        description: test
        seed: 20161104
        replicates: 2
        start: 2016-11-04T09:00:00+01:00
        horizon: 72h
        grid: 30m
        populations:
          - name: paris
            size: 20000
        arms:
          - name: adult
            postings: 10
            schedule: { offset: 0h, every: 2h }
            attributes: { platform: vivastreet, section: erotica }
            response:
              model: exponential-decay
              initial: 120/h
              half_life: 3h
              baseline: 0.5/h
              multiplier: 2
            lifetime: { removal_rate: 0.01/h }
            population: paris
            channels: { call: 0.5, sms: 0.4, email: 0.1 }
          - name: control
            postings: 3
            response:
              model: piecewise
              steps: [{ until: 1h, rate: 6/h }, { until: 1d, rate: 0.5/d }]
        """

    func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(text: text, file: "x.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    /// Replaces one line of the valid config (1-based) and returns the issues found.
    func issues(replacingLine line: Int, with replacement: String) -> [ConfigIssue] {
        var lines = Self.valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[line - 1] = replacement
        return issues(lines.joined(separator: "\n"))
    }

    @Test func anEmptyChannelMappingSaysItIsEmpty() throws {
        let found = issues(replacingLine: 25, with: "    channels: {}")
        let issue = try #require(found.first { $0.path == "arms[0].channels" })
        #expect(issue.message.contains("empty") && issue.message.contains("at least one channel"), "\(issue.message)")
        #expect(!issue.message.contains("found a mapping"), "\(issue.message)")
    }

    @Test func validConfigLoadsWithEveryValueInCanonicalUnits() throws {
        let config = try ConfigLoader.load(text: Self.valid, file: "x.yaml").config
        #expect(config.name == "adult-vs-control")
        #expect(config.seed == 20161104)
        #expect(config.replicates == 2)
        #expect(config.start.microseconds == 1_478_246_400_000_000)
        #expect(config.start.utcOffsetSeconds == 3600)
        #expect(config.horizon == 72 && config.grid == 0.5)
        let adult = config.arms[0]
        #expect(adult.schedule == Schedule(offset: 0, every: 2))
        #expect(adult.response == ResponseSpec(model: .exponentialDecay(initial: 120, halfLife: 3, baseline: 0.5), multiplier: 2))
        #expect(adult.lifetime == LifetimeSpec(removalRate: 0.01))
        #expect(adult.channels.map(\.name) == ["call", "sms", "email"])
        #expect(abs(adult.channels.map(\.probability).reduce(0, +) - 1) < 1e-15)
        #expect(config.population(of: adult) == PopulationSpec(name: "paris", size: 20000))
        let control = config.arms[1]
        #expect(control.response?.model == .piecewise(steps: [PiecewiseStep(until: 1, rate: 6), PiecewiseStep(until: 24, rate: 0.5 / 24)]))
        #expect(control.channels == [ChannelWeight(name: "message", probability: 1)])
        #expect(config.population(of: control) == PopulationSpec(name: "control", size: 10_000))
    }

    @Test func resolvedConfigLoadsBackToTheSameExperiment() throws {
        let loaded = try ConfigLoader.load(text: Self.valid, file: "x.yaml")
        let again = try ConfigLoader.load(text: loaded.resolvedText, file: "resolved.json")
        #expect(again.config == loaded.config)
        #expect(again.resolvedText == loaded.resolvedText)
        #expect(again.sha256 == loaded.sha256)
        #expect(loaded.sha256.count == 64)
    }

    @Test func commentsAndLayoutDoNotChangeTheConfigDigest() throws {
        let reformatted = "# a comment\n" + Self.valid.replacingOccurrences(of: "grid: 30m", with: "grid: 0.5h   # same grid")
        #expect(try ConfigLoader.load(text: reformatted, file: "x.yaml").sha256 == ConfigLoader.load(text: Self.valid, file: "x.yaml").sha256)
    }

    @Test func misspelledKeySuggestsTheRightOneAtItsPlace() {
        let found = issues(replacingLine: 19, with: "      inital: 120/h")
        let typo = found.first { $0.path == "arms[0].response.inital" }
        #expect(typo?.line == 19 && typo?.column == 7)
        #expect(typo?.message == "unknown key; did you mean `initial`?")
        // The real key is now missing as well, reported at the mapping.
        #expect(found.contains { $0.path == "arms[0].response.initial" && $0.message.contains("missing required key") })
    }

    @Test(arguments: [
        (7, "horizon: 3 hours", "horizon", 7, 10, "expected a duration such as `45s`, `30m`, `3h` or `2d`, found `3 hours`"),
        (7, "horizon: 0h", "horizon", 7, 10, "expected a duration > 0 and at most 100 years, found 0"),
        (4, "seed: -1", "seed", 4, 7, "expected an unsigned 64-bit integer (0 to 18446744073709551615), found `-1`"),
        (2, "name: Adult Test", "name", 2, 7, "expected a name matching `[a-z0-9][a-z0-9_-]*`, found `Adult Test`"),
        (19, "      initial: 120 per hour", "arms[0].response.initial", 19, 16, "expected a rate such as `120/h`, `2/m` or `0.5/d`, found `120 per hour`"),
        (21, "      baseline: -0.5/h", "arms[0].response.baseline", 21, 17, "expected a rate such as `120/h`, `2/m` or `0.5/d`, found `-0.5/h`"),
        (14, "    postings: 0", "arms[0].postings", 14, 15, "expected between 1 and 100000000 postings, found 0"),
        (14, "    postings: many", "arms[0].postings", 14, 15, "expected a whole number of postings, found `many`"),
        (24, "    population: pariss", "arms[0].population", 24, 17, "unknown population `pariss`; did you mean `paris`?"),
        (18, "      model: exponential_decay", "arms[0].response.model", 18, 14, "unknown model `exponential_decay`; did you mean `exponential-decay`?"),
        (18, "      model: hawks", "arms[0].response.model", 18, 14, "unknown model `hawks`; did you mean `hawkes`?"),
        (25, "    channels: { call: 0.5, sms: zero }", "arms[0].channels.sms", 25, 33, "expected a weight (a number), found `zero`"),
        (1, "version: 2", "version", 1, 10, "expected version `1` (the only schema version), found 2"),
        (8, "grid: 100h", "grid", 8, 7, "expected a grid no longer than the horizon (72h), found 100h"),
        (6, "start: 2016-11-04 09:00", "start", 6, 8, "expected an ISO-8601 time with offset such as `2016-11-04T09:00:00+01:00`, found `2016-11-04 09:00`"),
    ])
    func eachErrorIsLocatedWithExpectedAndFound(line: Int, text: String, path: String, atLine: Int, column: Int, message: String) {
        let found = issues(replacingLine: line, with: text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first == ConfigIssue(file: "x.yaml", line: atLine, column: column, path: path, message: message))
    }

    @Test func parameterOfAnotherModelIsExplained() {
        let found = issues(replacingLine: 29, with: "      model: poisson")
        #expect(found.contains { $0.path == "arms[1].response.steps" && $0.message == "`steps` is not a parameter of model `poisson` (its parameters: rate)" && $0.line == 30 })
        #expect(found.contains { $0.path == "arms[1].response.rate" && $0.message.hasPrefix("missing required key `rate`") })
    }

    @Test func duplicateArmNamesArePointedAtTheSecondName() {
        let found = issues(replacingLine: 26, with: "  - name: adult")
        #expect(found == [ConfigIssue(file: "x.yaml", line: 26, column: 11, path: "arms[1].name", message: "duplicate arm name `adult`")])
    }

    @Test func stepsMustIncrease() {
        let found = issues(replacingLine: 30, with: "      steps: [{ until: 2h, rate: 6/h }, { until: 1h, rate: 0.5/d }]")
        #expect(found.count == 1)
        #expect(found.first?.path == "arms[1].response.steps[1].until")
        #expect(found.first?.message == "expected steps in increasing order of `until`, found 1h after 2h")
    }

    @Test func everyErrorOfTheFileIsReportedInDocumentOrder() {
        var text = Self.valid.replacingOccurrences(of: "horizon: 72h", with: "horizon: soon")
        text = text.replacingOccurrences(of: "      half_life: 3h", with: "      half_lfe: 3h")
        text = text.replacingOccurrences(of: "    postings: 3", with: "    postings: -3")
        let found = issues(text)
        #expect(found.map(\.path) == ["horizon", "arms[0].response.half_life", "arms[0].response.half_lfe", "arms[1].postings"])
        #expect(found.map(\.line).sorted() == found.map(\.line))
    }

    @Test func yamlSyntaxErrorsCarryTheirPosition() {
        let found = issues("version: 1\nname: x\narms:\n  - name: a\n   postings: [1, 2\n")
        #expect(found.count == 1)
        #expect(found.first?.line ?? 0 >= 4)
        #expect(found.first?.message.hasPrefix("not valid YAML") == true)
    }

    @Test func missingTopLevelKeysAreAllNamed() {
        let found = issues("version: 1\nname: x\n")
        #expect(Set(found.map(\.path)) == ["seed", "start", "horizon", "arms"])
    }

    @Test func jsonConfigsAreAccepted() throws {
        let json = """
            {"version": 1, "name": "j", "seed": 1, "start": "2020-01-01T00:00:00Z", "horizon": "2h",
             "arms": [{"name": "a", "postings": 1, "response": {"model": "poisson", "rate": "3/h"}}]}
            """
        let config = try ConfigLoader.load(text: json, file: "j.json").config
        #expect(config.arms[0].response?.model == .poisson(rate: 3))
    }

    @Test func unreadableFileIsOneLocatedIssue() {
        #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "/nonexistent/config.yaml") }
        do {
            _ = try ConfigLoader.load(path: "/nonexistent/config.yaml")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.description.contains("/nonexistent/config.yaml:1:1: cannot read the file"))
        }
    }

    static let observed = """
        version: 1
        name: field
        start: 2024-01-01T00:00:00Z
        horizon: 10h
        arms:
          - name: decoy
            postings: 2
        """

    /// Observed data draw no random numbers, so their config needs no seed; a simulation's does.
    @Test func aConfigOfObservedDataNeedsNoSeed() throws {
        let loaded = try ConfigLoader.load(text: Self.observed, file: "field.yaml", purpose: .observation)
        #expect(loaded.config.seed == nil)
        #expect(!loaded.resolvedText.contains("seed"))
        #expect(try ConfigLoader.load(text: loaded.resolvedText, file: "resolved", purpose: .observation).config == loaded.config)
        // `run` refuses it for its missing response, as before, not for a seed.
        #expect(throws: ConfigError.self) { try ConfigLoader.load(text: Self.observed, file: "field.yaml") }
        let refused = issues(Self.observed)
        #expect(refused.map(\.path) == ["arms[0].response"])
        // With a response, the seed is required again.
        let simulated = Self.observed.replacingOccurrences(of: "    postings: 2", with: "    postings: 2\n    response: { model: poisson, rate: 1/h }")
        #expect(issues(simulated).map(\.path) == ["seed"])
    }
}
