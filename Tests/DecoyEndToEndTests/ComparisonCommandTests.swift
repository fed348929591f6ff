import DecoyTestSupport
import Foundation
import Testing

/// `compare` as a researcher meets it: the proportional-rates ratio leads, a design whose arms
/// differ only in how long their ads stay up is not reported as a difference in contact rate,
/// degenerate data give nulls with reasons, and every new setting reaches the answer.
@Suite struct ComparisonCommandTests {
    let cli: TestCLI
    init() throws { cli = try TestCLI() }

    /// Two arms with the same decaying response; moderators take arm a's ads down eight times
    /// faster (0.4/h against 0.05/h). `postings` per arm.
    func removalOnly(postings: Int, seed: Int = 7, removal: String = "0.4/h") throws -> String {
        try cli.write("removal.yaml", """
            version: 1
            name: removal-only
            seed: \(seed)
            start: 2026-01-05T09:00:00Z
            horizon: 24h
            arms:
              - name: a
                postings: \(postings)
                response: { model: exponential-decay, initial: 20/h, half_life: 3h, baseline: 0.5/h }
                lifetime: { removal_rate: \(removal) }
              - name: b
                postings: \(postings)
                response: { model: exponential-decay, initial: 20/h, half_life: 3h, baseline: 0.5/h }
                lifetime: { removal_rate: 0.05/h }
            """)
        return cli.path("removal.yaml")
    }

    func compare(_ arguments: String...) throws -> [String: Any] {
        let result = try cli.decoy(arguments: ["compare", "last", "--arms", "a,b", "--format", "json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try cli.json(result.stdout) as? [String: Any])
    }

    /// With 150 ads an arm, contacts per posting-hour say arm a draws about twice the contacts of
    /// arm b (its ads were only ever observed fresh); the proportional-rates ratio, which compares
    /// ads at the same age, says they draw about the same. Before this ratio existed, compare
    /// reported only the first.
    @Test func armsThatDifferOnlyInRemovalAreNotReportedAsDifferent() throws {
        let run = try cli.decoy("run", try removalOnly(postings: 150), "--quiet")
        try #require(run.status == 0, "\(run.stderr)")
        let json = try compare()
        let crude = try #require(json["rate_ratio"] as? Double), crudeP = try #require(json["rate_ratio_p"] as? Double)
        #expect(crude > 1.5 && crudeP < 1e-6, "crude \(crude), p \(crudeP)")
        #expect(try #require(json["exact_poisson_p"] as? Double) < 1e-6)
        // Its standard error here is about 0.016 on the log scale: within 6 of them of 1, and far
        // from the crude ratio's 2. (That one run rejects at 5% one time in twenty, as any valid
        // test does under the null; the share over many runs is PowerAnalysisTests' and the type I
        // study's to check.)
        let ratio = try #require(json["proportional_rates_ratio"] as? Double)
        let p = try #require(json["proportional_rates_p"] as? Double)
        #expect(abs(log(ratio)) < 0.1 && p > 1e-3, "proportional rates \(ratio), p \(p)")
        #expect(crude / ratio > 1.8)
        // The crude tests say what they assume, and where the data contradict it.
        let warnings = try #require(json["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix("rate_ratio: the arms' windows differ") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("randomization: the arms' windows differ") })
        // For people, the proportional-rates line comes first.
        let table = try cli.decoy("compare", "last", "--arms", "a,b", "--format", "table")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        let first = try #require(lines.firstIndex { $0.hasPrefix("proportional-rates ratio a/b") })
        let crudeLine = try #require(lines.firstIndex { $0.hasPrefix("crude rate ratio a/b") })
        #expect(first < crudeLine && lines[crudeLine].contains("warning: the arms' windows differ"))
    }

    @Test func theJSONCarriesTheNewKeysBesideTheOldOnes() throws {
        let run = try cli.decoy("run", try removalOnly(postings: 6), "--quiet")
        try #require(run.status == 0)
        let json = try compare()
        for key in ["proportional_rates_ratio", "proportional_rates_lower", "proportional_rates_upper", "proportional_rates_p",
                    "randomization_p", "randomization_draws", "mcf_difference_at_hours", "ties",
                    "rate_ratio", "rate_ratio_lower", "rate_ratio_upper", "rate_ratio_p", "exact_poisson_p", "exact_rate_ratio_lower",
                    "exact_rate_ratio_upper", "logrank_chi2", "logrank_p", "mcf_difference", "mcf_difference_lower",
                    "mcf_difference_upper", "mcf_difference_p", "horizon_hours", "arms", "undefined", "warnings"] {
            #expect(json.keys.contains(key), "missing \(key)")
        }
        // 6 against 6: all 924 assignments enumerated, so no draws.
        #expect(json["randomization_draws"] is NSNull && json["randomization_assignments"] as? Double == 924)
        #expect(json["ties"] as? String == "efron" && json["intervals"] as? String == "corrected")
        // The mcf difference is read where each arm still has 3 postings at risk, before 24 h.
        #expect(try #require(json["mcf_difference_at_hours"] as? Double) < 24)
        let breslow = try compare("--ties", "breslow")
        #expect(breslow["ties"] as? String == "breslow")
        // Beyond 200,000 assignments (12 against 12) the randomization test draws, seeded.
        try cli.decoy("run", try removalOnly(postings: 12), "--quiet")
        let drawn = try compare("--draws", "1999")
        #expect(drawn["randomization_draws"] as? Int == 1999 && (drawn["randomization_monte_carlo_error"] as? Double ?? 0) > 0)
        #expect(try compare("--draws", "1999")["randomization_p"] as? Double == drawn["randomization_p"] as? Double)
        #expect(try compare("--draws", "1999", "--seed", "2")["randomization_p"] != nil)
    }

    @Test func theMcfDifferenceTimeCanBeAskedAndIsCheckedAgainstTheHorizon() throws {
        try cli.decoy("run", try removalOnly(postings: 8), "--quiet")
        let late = try compare("--at", "23h")
        #expect(late["mcf_difference_at_hours"] as? Double == 23)
        let warnings = try #require(late["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix("mcf_difference: at 23 h arm a has") }, "\(warnings)")
        let beyond = try cli.decoy("compare", "last", "--arms", "a,b", "--at", "25h")
        #expect(beyond.status == 1 && beyond.stderr.contains("beyond the 24 h compared"), "\(beyond.stderr)")
        let bad = try cli.decoy("compare", "last", "--arms", "a,b", "--at", "soon")
        #expect(bad.status == 64 && bad.stderr.contains("--at expects a duration"))
        let few = try cli.decoy("compare", "last", "--arms", "a,b", "--draws", "10")
        #expect(few.status == 64 && few.stderr.contains("--draws expects from 999"))
    }

    /// Ads taken down about a nanosecond after going live observe nothing: every test that needs
    /// a contact is null with its reason in compare, and counted as failed in power, one rule.
    @Test func degenerateWindowsAreUndefinedNotNumbers() throws {
        let config = try removalOnly(postings: 6, removal: "1000000000/h")
        // Both arms taken down at once: edit arm b's removal too.
        let text = try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(of: "0.05/h", with: "1000000000/h")
        try cli.write("removal.yaml", text)
        try cli.decoy("run", config, "--quiet")
        let json = try compare()
        for key in ["proportional_rates_ratio", "proportional_rates_p", "randomization_p", "mcf_difference", "mcf_difference_p",
                    "logrank_chi2", "logrank_p", "rate_ratio", "rate_ratio_p"] {
            #expect(json[key] is NSNull, "\(key) = \(String(describing: json[key]))")
        }
        let undefined = try #require(json["undefined"] as? [String: String])
        #expect(undefined["proportional_rates"] == "neither arm has a contact")
        #expect(undefined["logrank"] != nil && undefined["mcf_difference"] != nil && undefined["randomization"] != nil)
        let power = try cli.decoy("power", config, "--arms", "a,b", "--postings", "6", "--sims", "20", "--test", "logrank", "--format", "json")
        let point = try #require(((try cli.json(power.stdout) as? [String: Any])?["points"] as? [[String: Any]])?.first)
        #expect(point["failed"] as? Int == 20 && point["power"] is NSNull)
    }

    /// Found by trying to break it: one ad against many once enumerated the halves' 2^(n/2) sums
    /// (gigabytes at 60 postings); field data at minute resolution made Efron's risk sets negative;
    /// a time where an arm has nobody at risk gave a number; an arm against itself was compared.
    @Test func hostileDesignsGiveAnswersOrReasons() throws {
        try cli.write("unbalanced.yaml", """
            version: 1
            name: unbalanced
            seed: 42
            start: 2026-01-05T09:00:00Z
            horizon: 24h
            arms:
              - name: a
                postings: 1
                response: { model: poisson, rate: 2/h }
              - name: b
                postings: 60
                response: { model: poisson, rate: 2/h }
            """)
        try cli.decoy("run", cli.path("unbalanced.yaml"), "--quiet")
        let unbalanced = try compare()
        #expect(unbalanced["randomization_assignments"] as? Double == 61 && unbalanced["randomization_draws"] is NSNull)
        #expect(unbalanced["logrank_p"] as? Double != nil)
        // Five contacts of one ad within one minute, beside another ad's contact that minute.
        try cli.write("minutes.yaml", "version: 1\nname: minutes\nstart: 2025-03-07T18:00:00Z\nhorizon: 2h\narms:\n  - name: a\n    postings: 2\n  - name: b\n    postings: 2\n")
        try cli.write("postings.csv", "arm,posting,posted_at\na,a1,2025-03-07T18:00:00Z\na,a2,2025-03-07T18:00:00Z\nb,b1,2025-03-07T18:00:00Z\nb,b2,2025-03-07T18:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n" + String(repeating: "a1,2025-03-07T18:01:00Z,call\n", count: 5)
            + "a2,2025-03-07T18:10:00Z,call\nb1,2025-03-07T18:01:00Z,call\nb2,2025-03-07T18:20:00Z,call\nb2,2025-03-07T18:40:00Z,call\n")
        let imported = try cli.decoy("import", cli.path("minutes.yaml"), "--postings", cli.path("postings.csv"), "--events", cli.path("events.csv"), "--no-contacts")
        try #require(imported.status == 0, "\(imported.stderr)")
        let efron = try compare(), breslow = try compare("--ties", "breslow")
        let e = try #require(efron["proportional_rates_ratio"] as? Double), b = try #require(breslow["proportional_rates_ratio"] as? Double)
        #expect(e > 1 && b > 1 && abs(log(e / b)) < 0.5, "efron \(e), breslow \(b)")
        // Arm a's ads are all down long before 23.9 h: undefined there, not a number.
        try cli.decoy("run", try removalOnly(postings: 8, removal: "50/h"), "--quiet")
        let late = try compare("--at", "23.9h")
        #expect(late["mcf_difference"] is NSNull && (late["undefined"] as? [String: String])?["mcf_difference"]?.contains("no posting of arm a") == true)
        let itself = try cli.decoy("compare", "last", "--arms", "a", "--against", "last:a")
        #expect(itself.status == 64 && itself.stderr.contains("--against names the arm of --arms itself"))
    }

    /// An arm set against the arm of the same name in another run is told apart by its run, in
    /// table text and in JSON; an arm nobody contacted has a median that is `not reached`.
    @Test func armsOfTwoRunsAreToldApartByTheirRun() throws {
        let config = try removalOnly(postings: 6)
        for seed in ["7", "8"] { try #require(try cli.decoy("run", config, "--seed", seed, "--quiet").status == 0) }
        let table = try cli.decoy("compare", "2", "--arms", "a", "--against", "1:a", "--format", "table")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("proportional-rates ratio a (run 2)/a (run 1): "), "\(table.stdout)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("a (run 2) ") } && lines.contains { $0.hasPrefix("a (run 1) ") }, "\(table.stdout)")
        let json = try #require(try cli.json(try cli.decoy("compare", "2", "--arms", "a", "--against", "1:a", "--format", "json").stdout) as? [String: Any])
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.map { $0["name"] as? String } == ["a", "a"] && arms.map { $0["run_id"] as? Int } == [2, 1])
        // Within one run an arm is its name alone.
        let one = try cli.decoy("compare", "2", "--arms", "a,b", "--format", "table")
        #expect(one.stdout.contains("proportional-rates ratio a/b: ") && !one.stdout.contains("(run "), "\(one.stdout)")

        try cli.write("silent.yaml", "version: 1\nname: silent\nseed: 3\nstart: 2026-01-05T09:00:00Z\nhorizon: 24h\narms:\n  - name: a\n    postings: 4\n    response: { model: poisson, rate: 2/h }\n  - name: b\n    postings: 4\n    response: { model: poisson, rate: 0/h }\n")
        try #require(try cli.decoy("run", cli.path("silent.yaml"), "--quiet").status == 0)
        let silent = try cli.decoy("compare", "last", "--arms", "a,b", "--format", "table")
        let row = try #require(silent.stdout.split(separator: "\n").first { $0.hasPrefix("b ") }, "\(silent.stdout)")
        #expect(row.contains("not reached  not reached"), "\(row)")
    }

    /// Each arm's mean contacts per posting at the compared time is shown with the interval
    /// `curves` gives for the mcf there (log scale, never below 0), as `lower – upper`, not as a
    /// symmetric `± half-width`. Arm a's three ads had 1, 0 and 3 contacts, all observed for 24 h:
    /// μ = 4/3, corrected se = √(7/9), q = qt(0.975, 2), so 1.333 (0.07744 – 22.96), where
    /// μ ± q·se would be 1.333 ± 3.795. R 4.2.2 and survival 3.5.3:
    /// `d <- data.frame(id = c(1,1,2,3,3,3,3), start = c(0,2,0,0,1,5,9), stop = c(2,24,24,1,5,9,24), event = c(1,0,0,1,1,1,0))`,
    /// `fit <- survfit(Surv(start, stop, event) ~ 1, id = id, data = d, robust = TRUE, ctype = 1)`,
    /// `se <- tail(fit$std.chaz, 1) * sqrt(3/2)`; `mu * exp(c(-1, 1) * qt(0.975, 2) * se / mu)`.
    @Test func eachArmsMcfIsTheLogIntervalOfCurves() throws {
        try cli.write("three.yaml", "version: 1\nname: three\nstart: 2025-03-07T18:00:00Z\nhorizon: 24h\narms:\n  - name: a\n    postings: 3\n  - name: b\n    postings: 3\n")
        try cli.write("postings.csv", "arm,posting,posted_at\n" + ["a1", "a2", "a3", "b1", "b2", "b3"].map { "\($0.prefix(1)),\($0),2025-03-07T18:00:00Z\n" }.joined())
        try cli.write("events.csv", """
            posting,at,channel
            a1,2025-03-07T20:00:00Z,call
            a3,2025-03-07T19:00:00Z,call
            a3,2025-03-07T23:00:00Z,call
            a3,2025-03-08T03:00:00Z,call
            b1,2025-03-07T21:00:00Z,call
            b1,2025-03-07T22:00:00Z,call
            b2,2025-03-08T00:00:00Z,call

            """)
        let imported = try cli.decoy("import", cli.path("three.yaml"), "--postings", cli.path("postings.csv"), "--events", cli.path("events.csv"), "--no-contacts")
        try #require(imported.status == 0, "\(imported.stderr)")
        let json = try compare()
        #expect(json["mcf_difference_at_hours"] as? Double == 24)
        let arm = try #require((json["arms"] as? [[String: Any]])?.first { $0["name"] as? String == "a" })
        let mu = try #require(arm["mcf_at_compared_time"] as? Double)
        let lower = try #require(arm["mcf_compared_lower"] as? Double), upper = try #require(arm["mcf_compared_upper"] as? Double)
        #expect(abs(mu - 4.0 / 3) < 1e-15)
        #expect(abs(lower - 0.077439739280714862) < 1e-15 && abs(upper / 22.956918428320495451 - 1) < 1e-13, "\(lower) – \(upper)")
        // The same numbers as `curves` at 24 h (one function, summed over a different grid: equal
        // to the last digits).
        let curves = try cli.decoy("curves", "last", "--metric", "mcf", "--format", "csv")
        let row = try #require(TestCLI.rows(curves.stdout).first { $0[1] == "a" && $0[4] == "24" })
        for (printed, value) in zip(row[5...7], [mu, lower, upper]) {
            #expect(abs(try #require(Double(printed)) / value - 1) < 1e-13, "\(row): \(value)")
        }
        // People read it as `estimate (lower – upper)`.
        let table = try cli.decoy("compare", "last", "--arms", "a,b", "--format", "table")
        #expect(table.stdout.contains("mcf at 24 h (95%)"), "\(table.stdout)")
        let line = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("a ") && $0.contains("1.333") })
        #expect(line.contains("1.333 (0.07744 – 22.96)") && !line.contains("±"), "\(line)")
    }

    /// An arm whose Kaplan–Meier curve never falls to one half has no median: table text says
    /// `not reached`, never `-`, and keeps the lower limit that was reached. Arm a: one first
    /// contact at 3 h among three ads observed 10 h. R 4.x, survival:
    /// `summary(survfit(Surv(c(3, 10, 10), c(1, 0, 0)) ~ 1, conf.type = "log-log"))$table`
    /// gives median NA, 0.95LCL 3, 0.95UCL NA. The compared time is a duration for people too:
    /// `--at 10m` heads the column `mcf at 10 min`, not `0.1667 h`.
    @Test func aMedianNotReachedReadsNotReachedWithItsReachedLimit() throws {
        try cli.write("late.yaml", "version: 1\nname: late\nstart: 2025-03-07T18:00:00Z\nhorizon: 10h\narms:\n  - name: a\n    postings: 3\n  - name: b\n    postings: 3\n")
        try cli.write("postings.csv", "arm,posting,posted_at\n" + ["a1", "a2", "a3", "b1", "b2", "b3"].map { "\($0.prefix(1)),\($0),2025-03-07T18:00:00Z\n" }.joined())
        try cli.write("events.csv", "posting,at,channel\na2,2025-03-07T21:00:00Z,call\nb1,2025-03-07T18:05:00Z,call\nb2,2025-03-07T18:20:00Z,call\nb3,2025-03-07T19:00:00Z,call\n")
        let imported = try cli.decoy("import", cli.path("late.yaml"), "--postings", cli.path("postings.csv"), "--events", cli.path("events.csv"), "--no-contacts")
        try #require(imported.status == 0, "\(imported.stderr)")
        let json = try compare()
        let arm = try #require((json["arms"] as? [[String: Any]])?.first { $0["name"] as? String == "a" })
        #expect(arm["median_ttfc_hours"] is NSNull && arm["median_ttfc_lower"] as? Double == 3 && arm["median_ttfc_upper"] is NSNull)
        let table = try cli.decoy("compare", "last", "--arms", "a,b", "--format", "table", "--at", "10m")
        let line = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("a ") }, "\(table.stdout)")
        #expect(line.contains("not reached  3 h – not reached") && !line.contains(" - "), "\(line)")
        #expect(table.stdout.contains("mcf at 10 min (95%)") && !table.stdout.contains("0.1667 h"), "\(table.stdout)")
        // The report's arms at a glance read the same.
        let report = try cli.decoy("report", "last", "--out", cli.path("late.html"))
        try #require(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("late.html"), encoding: .utf8)
        #expect(page.contains("3 h – not reached"))
    }
}

