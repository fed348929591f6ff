import DecoyTestSupport
import Foundation
import Testing

/// `compare`, `fit`, `population` and `curves --metric ttfc` through the built binary.
@Suite struct AnalysisCommandTests {
    let cli: TestCLI

    init() throws {
        cli = try TestCLI()
        let run = try cli.decoy("run", cli.quickstartPath, "--quiet")
        #expect(run.status == 0)
    }

    func object(_ arguments: String...) throws -> Any {
        let result = try cli.decoy(arguments: arguments + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try cli.json(result.stdout)
    }

    @Test func compareReportsTheContractsKeys() throws {
        let json = try #require(try object("compare", "1", "--arms", "adult,control") as? [String: Any])
        for key in ["rate_ratio", "rate_ratio_lower", "rate_ratio_upper", "rate_ratio_p", "logrank_chi2", "logrank_p", "arms"] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.map { $0["name"] as? String } == ["adult", "control"])
        for arm in arms {
            for key in ["name", "postings", "contacts", "posting_hours", "rate", "median_ttfc_hours"] { #expect(arm.keys.contains(key), "arm lacks \(key)") }
        }
        #expect(arms[0]["posting_hours"] as? Double == 480)
        let ratio = try #require(json["rate_ratio"] as? Double)
        #expect(ratio > 100 && (json["logrank_p"] as? Double ?? 1) < 1e-3)
        // The adult ads' first contact comes within minutes; the control's median is undefined.
        #expect((arms[0]["median_ttfc_hours"] as? Double ?? 1) < 0.1)
    }

    /// The default corrects the intervals for few postings: the same estimates, wider intervals
    /// than `--intervals classic` (HC0, normal quantiles), and `coverage` runs on a config.
    @Test func intervalsFlagSwitchesBetweenCorrectedAndClassic() throws {
        let corrected = try #require(try object("compare", "1", "--arms", "adult,control") as? [String: Any])
        let classic = try #require(try object("compare", "1", "--arms", "adult,control", "--intervals", "classic") as? [String: Any])
        let ratio = try #require(corrected["rate_ratio"] as? Double)
        #expect(ratio == classic["rate_ratio"] as? Double)
        let wide = try #require(corrected["rate_ratio_upper"] as? Double), narrow = try #require(classic["rate_ratio_upper"] as? Double)
        #expect(wide > narrow)
        #expect(try #require(corrected["mcf_difference_upper"] as? Double) > (try #require(classic["mcf_difference_upper"] as? Double)))
        let refused = try cli.decoy("curves", "1", "--intervals", "exact")
        #expect(refused.status != 0)
        let study = try cli.decoy("coverage", cli.quickstartPath, "--replicates", "20", "--postings", "5", "--format", "csv")
        #expect(study.status == 0, "\(study.stderr)")
        #expect(study.stdout.hasPrefix("arm,metric,postings,checked,covered,coverage,standard_error\n"))
    }

    @Test func compareRefusesUnknownArms() throws {
        let result = try cli.decoy("compare", "1", "--arms", "adult,contrl")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: run 1 has no arm of that name (a value of 6 characters); did you mean `control`?; its arms: adult, control"))
    }

    @Test func fitReportsParametersKeyedByConfigNames() throws {
        let fits = try #require((try object("fit", "1", "--arm", "adult", "--models", "poisson,exponential-decay") as? [String: Any])?["fits"] as? [[String: Any]])
        #expect(fits.map { $0["model"] as? String } == ["poisson", "exponential-decay"])
        let decay = fits[1]
        for key in ["model", "parameters", "standard_errors", "log_likelihood", "aic", "ks_statistic", "ks_p"] { #expect(decay.keys.contains(key)) }
        let parameters = try #require(decay["parameters"] as? [String: Double])
        #expect(Set(parameters.keys) == ["initial", "half_life", "baseline"])
        #expect(abs(parameters["half_life"]! - 3.6) < 0.5 && abs(parameters["initial"]! - 150) < 20)
        let emitted = try cli.decoy("fit", "1", "--arm", "adult", "--models", "exponential-decay", "--emit-config")
        #expect(emitted.stdout.contains("    # paste under `- name: adult` in `arms:`, in place of its response: block, indented as printed\n"))
        #expect(emitted.stdout.contains("    response:\n      model: exponential-decay\n      initial: "))
        // Pasted as printed, comments and all, in place of an arm's response block: the config validates.
        let config = try String(contentsOfFile: cli.quickstartPath, encoding: .utf8)
        let block = "    response:\n      model: poisson\n      rate: 0.005/h"
        try #require(config.contains(block))
        let patched = config.replacingOccurrences(of: block, with: emitted.stdout.trimmingCharacters(in: .newlines))
        try cli.write("fitted.yaml", patched)
        #expect(try cli.decoy("validate", "fitted.yaml").status == 0)
    }

    @Test func populationReportsChao1BesideTheTrueSize() throws {
        let json = try #require(try object("population", "1") as? [String: Any])
        for key in ["observed", "f1", "f2", "chao1", "lower", "upper", "true_size"] { #expect(json.keys.contains(key)) }
        #expect(json["true_size"] as? Int == 20_000)
        let observed = try #require(json["observed"] as? Int), chao1 = try #require(json["chao1"] as? Double)
        #expect(Double(observed) <= chao1)
        // Each population beside its own size: the adult arm's 10,000 (equal propensities, so
        // Chao1 is unbiased) inside its interval; the control's 10,000 at 0.005 contacts an hour
        // almost never seen, so above an interval Chao1 cannot lift.
        let parts = try #require(json["populations"] as? [[String: Any]])
        #expect(parts.map { $0["population"] as? String } == ["adult", "control"])
        #expect(parts.map { $0["true_size"] as? Int } == [10_000, 10_000])
        #expect(parts[0]["true_size_in_interval"] as? Bool == true, "\(parts[0])")
        #expect(parts[1]["true_size_in_interval"] as? Bool == false, "\(parts[1])")
        let table = try cli.decoy("population", "1", "--format", "table")
        #expect(table.stdout.contains("adult: ") && table.stdout.contains("true size 10000, inside the interval"), "\(table.stdout)")
        #expect(table.stdout.contains("true size 10000, outside the interval, above it"))
        #expect(table.stdout.contains("read it as \"at least\""))
    }

    @Test func timeToFirstContactCurveStartsAtOneAndFalls() throws {
        let result = try cli.decoy("curves", "1", "--metric", "ttfc", "--format", "csv")
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let adult = rows.filter { $0[1] == "adult" }
        #expect(adult.first?[5] == "1" && adult.first?[8] == "10")
        #expect(Double(adult[1][5])! == 0)    // every adult ad has been contacted within the first hour
        let control = rows.filter { $0[1] == "control" }
        #expect(control.allSatisfy { Double($0[5])! > 0.5 })
        let plain = try cli.decoy("curves", "1", "--metric", "ttfc", "--interval", "plain", "--format", "csv")
        #expect(plain.status == 0 && plain.stdout != result.stdout)
    }
}
