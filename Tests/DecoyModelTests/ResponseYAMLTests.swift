import Foundation
import Testing
@testable import DecoyModel

/// A response written as YAML by `ResponseSpec.configYAML` reads back, through the config
/// loader (Yams), to the same response: for every model, the modifiers, nested backgrounds and
/// lists of steps.
@Suite struct ResponseYAMLTests {
    static func config(_ response: String) -> String {
        """
        version: 1
        name: yaml
        seed: 1
        start: 2016-11-04T09:00:00+01:00
        horizon: 72h
        arms:
          - name: a
            postings: 1
        \(response.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))

        """
    }

    @Test(arguments: [
        "response: { model: poisson, rate: 2/h }",
        "response: { model: exponential-decay, initial: 150/h, half_life: 3.6h, baseline: 0.5/h, multiplier: 0.25 }",
        "response: { model: power-law, initial: 40/h, scale: 30m, exponent: 1.25 }",
        "response:\n  model: piecewise\n  steps: [{ until: 1h, rate: 80/h }, { until: 24h, rate: 2/h }]\n  bumps: [6h, 30h]",
        "response:\n  model: hawkes\n  branching: 0.4\n  decay: 20m\n  background: { model: exponential-decay, initial: 60/h, half_life: 2h }\n  bumps: { every: 24h }\n  diurnal: [0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1, 1.2, 1.3, 1.3, 1.4, 1.3, 1.2, 1.2, 1.3, 1.4, 1.6, 1.8, 1.9, 1.7, 1.1, 0.6]",
    ])
    func readsBackToTheSameResponse(response: String) throws {
        let original = try #require(try ConfigLoader.load(text: Self.config(response), file: "a.yaml").config.arms[0].response)
        let yaml = original.configYAML
        #expect(yaml.hasPrefix("response:\n  model: "))
        #expect(!yaml.contains("{\""), "JSON in \(yaml)")
        let again = try ConfigLoader.load(text: Self.config(yaml), file: "b.yaml").config.arms[0].response
        #expect(again == original, "\(yaml)")
    }

    /// Strings YAML would read as another type are quoted; plain ones are not.
    @Test(arguments: [("120/h", "120/h"), ("3.6h", "3.6h"), ("exponential-decay", "exponential-decay"), ("1.5", "\"1.5\""),
                      ("true", "\"true\""), ("no", "\"no\""), ("null", "\"null\""), ("2016-11-04", "\"2016-11-04\""),
                      ("a: b", "\"a: b\""), ("# x", "\"# x\""), ("", "\"\""), ("1_000", "\"1_000\"")])
    func stringsAreQuotedWhereYAMLWouldReadThemOtherwise(text: String, written: String) {
        #expect(JSONValue.string(text).yaml == written)
    }
}
