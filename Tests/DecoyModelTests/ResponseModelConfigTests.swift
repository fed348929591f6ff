import Foundation
import Testing
@testable import DecoyModel

/// Config of the richer response models and modifiers: what loads, and what is refused where.
@Suite struct ResponseModelConfigTests {
    static let header = """
        version: 1
        name: models
        seed: 1
        start: 2016-11-04T09:00:00+01:00
        horizon: 72h
        populations:
          - { name: paris, size: 500, heterogeneity: 0.5 }
        arms:
          - name: a
            postings: 2
            population: paris
            response:

        """

    /// The issues of a config whose response block is `response` (indented under `response:`,
    /// which is line 12, so the block starts on line 13).
    func issues(_ response: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(text: Self.header + response, file: "m.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    func load(_ response: String) throws -> ResponseSpec {
        try #require(try ConfigLoader.load(text: Self.header + response, file: "m.yaml").config.arms[0].response)
    }

    @Test func hawkesWithModifiersLoadsAndRoundTrips() throws {
        let text = """
                  model: hawkes
                  background: { model: power-law, initial: 100/h, scale: 30m, exponent: 1.5, baseline: 1/h }
                  branching: 0.4
                  decay: 20m
                  multiplier: 2
                  bumps: { every: 24h }
                  diurnal: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4]
            """
        let spec = try load(text)
        #expect(spec.model == .hawkes(background: .powerLaw(initial: 100, scale: 0.5, exponent: 1.5, baseline: 1), branching: 0.4, decay: 1.0 / 3))
        #expect(spec.multiplier == 2 && spec.bumps == .every(24))
        let factors = try #require(spec.diurnalFactors)
        #expect(abs(factors.reduce(0, +) / 24 - 1) < 1e-15 && factors[0] == 0.4 && factors[23] == 1.6)
        let loaded = try ConfigLoader.load(text: Self.header + text, file: "m.yaml")
        let again = try ConfigLoader.load(text: loaded.resolvedText, file: "r.json")
        #expect(again.config == loaded.config && again.sha256 == loaded.sha256)
        #expect(loaded.config.populations[0].heterogeneity == 0.5)
    }

    @Test func bumpsAsAListOfOffsets() throws {
        let spec = try load("      model: poisson\n      rate: 1/h\n      bumps: [12h, 1d, 36h]\n")
        #expect(spec.bumps == .at([12, 24, 36]))
        #expect(Bumps.every(24).times(before: 72) == [24, 48])
        #expect(Bumps.at([12, 24, 36]).times(before: 30) == [12, 24])
    }

    @Test(arguments: [
        ("      model: hawkes\n      background: { model: poisson, rate: 1/h }\n      branching: 1\n      decay: 1h\n",
         "arms[0].response.branching", 15, 18, "expected a branching ratio in [0, 1) (at 1 or more the process explodes), found 1"),
        ("      model: poisson\n      rate: 1/h\n      diurnal: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
         "arms[0].response.diurnal", 15, 16, "expected 24 hour-of-day factors (hours 0 to 23 in the local time of `start`), found 23"),
        ("      model: poisson\n      rate: 1/h\n      diurnal: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n",
         "arms[0].response.diurnal", 15, 16, "expected at least one hour with a factor > 0, found all zero"),
        ("      model: poisson\n      rate: 1/h\n      diurnal: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
         "arms[0].response.diurnal[11]", 15, 50, "expected a number, found `-1`"),
        ("      model: power-law\n      initial: 10/h\n      scale: 1h\n      exponent: 0\n",
         "arms[0].response.exponent", 16, 17, "expected an exponent > 0 and at most 100, found 0"),
        ("      model: hawkes\n      background: { model: hawkes, background: { model: poisson, rate: 1/h }, branching: 0.1, decay: 1h }\n      branching: 0.5\n      decay: 1h\n",
         "arms[0].response.background.model", 14, 28, "a `hawkes` background cannot itself be `hawkes`; expected one of poisson, exponential-decay, power-law, piecewise"),
        ("      model: hawkes\n      background: { model: poisson, rate: 1/h, multiplier: 2 }\n      branching: 0.5\n      decay: 1h\n",
         "arms[0].response.background.multiplier", 14, 48, "modifiers of a `hawkes` model go on the response itself, next to `branching`, not in `background`"),
        ("      model: poisson\n      rate: 1/h\n      bumps: [24h, 12h]\n",
         "arms[0].response.bumps[1]", 15, 20, "expected offsets in increasing order, found 12h after 24h"),
        ("      model: poisson\n      rate: 1/h\n      bumps: { evry: 24h }\n",
         "arms[0].response.bumps.evry", 15, 16, "unknown key; did you mean `every`?"),
        ("      model: poisson\n      rate: -1/h\n",
         "arms[0].response.rate", 14, 13, "expected a rate such as `120/h`, `2/m` or `0.5/d`, found `-1/h`"),
        ("      model: hawkes\n      background: { model: poisson, rate: 1/h }\n      branching: 0.5\n      decay: 0s\n",
         "arms[0].response.decay", 16, 14, "expected a duration > 0 and at most 100 years, found 0"),
    ])
    func invalidParametersAreRejectedWhereTheyStand(response: String, path: String, line: Int, column: Int, message: String) {
        let found = issues(response)
        #expect(found.contains(ConfigIssue(file: "m.yaml", line: line, column: column, path: path, message: message)), "\(found)")
    }

    @Test func heterogeneityMustBePositive() {
        let text = Self.header.replacingOccurrences(of: "heterogeneity: 0.5", with: "heterogeneity: 0") + "      model: poisson\n      rate: 1/h\n"
        do {
            _ = try ConfigLoader.load(text: text, file: "m.yaml")
            Issue.record("expected a refusal")
        } catch {
            #expect(error.issues.map(\.path) == ["populations[0].heterogeneity"])
            #expect(error.issues.first?.message == "expected a gamma shape > 0 (smaller is more unequal) and at most 1e6, found 0")
        }
    }
}
