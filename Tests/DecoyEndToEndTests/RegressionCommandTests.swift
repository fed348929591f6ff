import DecoyTestSupport
import Foundation
import Testing

/// `regress` through the built binary: data imported as a researcher would bring them in, fitted
/// as R fits them (fixtures made by `Fixtures/regression/make_regression_reference.R`).
@Suite struct RegressionCommandTests {
    let cli: TestCLI
    init() throws { cli = try TestCLI() }

    static let fixtures = TestCLI.repository.appendingPathComponent("Tests/DecoyEndToEndTests/Fixtures/regression")

    /// The reference rows, by (dataset, model, ties).
    static func reference() throws -> [[String: String]] {
        let lines = try String(contentsOf: fixtures.appendingPathComponent("regression_reference.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    func importDataSet(_ name: String) throws {
        for suffix in [".yaml", "_postings.csv", "_events.csv"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name + suffix), to: cli.folder.appendingPathComponent(name + suffix))
        }
        let imported = try cli.decoy("import", "\(name).yaml", "--postings", "\(name)_postings.csv", "--events", "\(name)_events.csv", "--db", "\(name).sqlite")
        try #require(imported.status == 0, "\(imported.stderr)")
    }

    @Test(arguments: ["factorial", "cgd"])
    func classicEqualsRCoxphWithClusterAndStrata(dataset: String) throws {
        try importDataSet(dataset)
        let rows = try Self.reference().filter { $0["dataset"] == dataset }
        let models = Set(rows.map { "\($0["model"]!)|\($0["ties"]!)" }).sorted()
        #expect(models.count == (dataset == "cgd" ? 8 : 6))
        for model in models {
            let expected = rows.filter { "\($0["model"]!)|\($0["ties"]!)" == model }
            let first = expected[0]
            var arguments = ["regress", "1", "--db", "\(dataset).sqlite", "--terms", first["terms"]!.replacingOccurrences(of: ";", with: ","),
                             "--ties", first["ties"]!, "--intervals", "classic", "--format", "json"]
            if let strata = first["strata"], !strata.isEmpty { arguments += ["--strata", strata] }
            for pair in (first["references"] ?? "").split(separator: ";") { arguments += ["--reference", String(pair)] }
            let result = try cli.decoy(arguments: arguments)
            try #require(result.status == 0, "\(model): \(result.stderr)")
            let json = try #require(try cli.json(result.stdout) as? [String: Any])
            let coefficients = try #require(json["coefficients"] as? [[String: Any]])
            let tests = try #require(json["tests"] as? [[String: Any]])
            #expect(coefficients.count == expected.count, "\(model)")
            for row in expected {
                let level = row["level"]!.isEmpty ? nil : row["level"]
                let found = try #require(coefficients.first { $0["term"] as? String == row["term"] && ($0["level"] as? String) == level },
                                         "\(model): no coefficient \(row["term"]!) \(row["level"]!)")
                for (key, column) in [("coef", "coef"), ("se", "robust_se"), ("p", "p"), ("lower", "lower"), ("upper", "upper")] {
                    let a = try #require(found[key] as? Double), b = Double(row[column]!)!
                    #expect(abs(a - b) <= 1e-10 * max(1, abs(b)), "\(model) \(row["term"]!) \(key): \(a) vs R \(b)")
                }
                #expect(abs((found["ratio"] as? Double ?? 0) - Foundation.exp(Double(row["coef"]!)!)) <= 1e-10 * max(1, Foundation.exp(Double(row["coef"]!)!)))
                let test = try #require(tests.first { $0["term"] as? String == row["term"] })
                let wald = try #require(test["wald"] as? Double), waldR = Double(row["wald"]!)!
                #expect(abs(wald - waldR) <= 1e-10 * max(1, waldR), "\(model) \(row["term"]!) Wald: \(wald) vs R \(waldR)")
                #expect(test["df"] as? Int == Int(row["wald_df"]!))
                let p = try #require(test["p"] as? Double), pR = Double(row["wald_p"]!)!
                #expect(abs(p - pR) <= 1e-10 * max(1e-3, pR), "\(model) \(row["term"]!) Wald p: \(p) vs R \(pR)")
            }
            #expect(json["postings"] as? Int == (dataset == "cgd" ? 128 : 40))
            #expect(json["contacts"] as? Int == (dataset == "cgd" ? 76 : 2675))
            #expect(json["intervals"] as? String == "classic" && json["ties"] as? String == first["ties"])
        }
    }

    /// The counting-process export holds R's rows: cgd's 203 rows and 76 contacts over 128 postings.
    @Test func intervalsExportHoldsTheCountingProcessRows() throws {
        try importDataSet("cgd")
        let result = try cli.decoy("export", "1", "--db", "cgd.sqlite", "--table", "intervals")
        try #require(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["posting", "name", "replicate", "arm", "age", "height", "hos_cat", "inherit", "propylac", "sex", "steroids",
                               "weight", "posted_hour", "posted_weekday", "start", "stop", "event"])
        let data = rows.dropFirst()
        #expect(data.count == 203)
        #expect(data.filter { $0.last == "1" }.count == 76)
        #expect(Set(data.map { $0[0] }).count == 128)
        // Each posting's rows tile (0, window]: every start is the previous stop.
        var previous: [String: String] = [:]
        for row in data {
            #expect(row[14] == (previous[row[0]] ?? "0"), "posting \(row[0])")
            previous[row[0]] = row[15]
        }
    }

    /// `analysis/regress_from_export.R` on the export gives `regress`'s joint tests, classic and corrected.
    @Test func theRScriptReproducesRegressFromTheExport() throws {
        guard let rscript = RCheck.rscript else {
            if RCheck.required { Issue.record("Rscript is not installed, and DECOY_R_REQUIRED is set") }
            print("warning: Rscript is not installed: analysis/regress_from_export.R is not checked")
            return
        }
        try importDataSet("factorial")
        try #require(try cli.decoy("export", "1", "--db", "factorial.sqlite", "--table", "intervals", "--out", "intervals.csv").status == 0)
        let script = TestCLI.repository.appendingPathComponent("analysis/regress_from_export.R").path
        let r = try TestProcess.run([rscript, script, cli.path("intervals.csv"), "section * platform + quality + strata(city)", "breslow",
                                     "section=control", "platform=backpage"])
        try #require(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        for intervals in ["classic", "corrected"] {
            let result = try cli.decoy("regress", "1", "--db", "factorial.sqlite", "--terms", "section,platform,quality,section:platform", "--strata", "city",
                                       "--reference", "section=control", "--reference", "platform=backpage", "--ties", "breslow",
                                       "--intervals", intervals, "--format", "json")
            try #require(result.status == 0, "\(result.stderr)")
            let tests = try #require((try cli.json(result.stdout) as? [String: Any])?["tests"] as? [[String: Any]])
            #expect(tests.count == 4)
            for test in tests {
                let term = try #require(test["term"] as? String)
                let marker = intervals == "classic" ? "term \(term): Wald chi-square " : "term \(term): F = "
                let line = try #require(lines.first { $0.contains(marker) }, "R printed no \(marker)")
                let printed = try #require(Double(line.components(separatedBy: marker)[1].split(separator: " ")[0]))
                let ours = try #require(test[intervals == "classic" ? "wald" : "f"] as? Double)
                #expect(abs(ours - printed) <= 1e-9 * max(1, abs(printed)), "\(intervals) \(term): \(ours) vs R \(printed)")
            }
        }
    }

    static let smallConfig = """
        version: 1
        name: small
        start: 2025-03-07T18:00:00+01:00
        horizon: 24h
        arms:
          - name: decoy
            postings: 3
            attributes: { section: adult }
          - name: control
            postings: 3
            attributes: { section: furniture }
        """

    func writeSmall(size: [String], header: String = "arm,posting,posted_at,ended_at,attr_size,attr_city") throws {
        try cli.write("small.yaml", Self.smallConfig)
        var postings = header + "\n"
        for i in 0..<6 {
            postings += "\(i < 3 ? "decoy" : "control"),ad-\(i),2025-03-07T1\(8 + i / 5):0\(i):00+01:00,,\(size[i]),\(i % 2 == 0 ? "paris" : "lyon")\n"
        }
        try cli.write("postings.csv", postings)
        var events = "posting,at,channel,contact\n"
        for i in 0..<6 { for k in 0..<(2 + i) { events += "ad-\(i),2025-03-08T0\(k):1\(i):00+01:00,message,\n" } }
        try cli.write("events.csv", events)
    }

    func importSmall() throws -> TestCLI.Result {
        try cli.decoy("import", "small.yaml", "--postings", "postings.csv", "--events", "events.csv", "--db", "small.sqlite")
    }

    @Test func postingAttributesAreStoredExportedAndFitted() throws {
        try writeSmall(size: ["1", "2.5", "3", "4", "5", "7"])
        let imported = try importSmall()
        try #require(imported.status == 0, "\(imported.stderr)")
        let export = try cli.decoy("export", "1", "--db", "small.sqlite", "--table", "postings").stdout
        #expect(export.hasPrefix("run_id,replicate,arm,posting,posted_at,observed_hours,removed,contacts,first_contact_hours,unique_contactors,posted_at_local,attr_city,attr_section,attr_size\n"))
        #expect(TestCLI.rows(export)[1].suffix(3) == ["lyon", "adult", "2.5"])
        let fit = try cli.decoy("regress", "1", "--db", "small.sqlite", "--terms", "section,size", "--strata", "city", "--intervals", "classic",
                                "--format", "json")
        try #require(fit.status == 0, "\(fit.stderr)")
        let json = try #require(try cli.json(fit.stdout) as? [String: Any])
        #expect(json["strata"] as? Int == 2 && json["postings"] as? Int == 6)
        let coefficients = try #require(json["coefficients"] as? [[String: Any]])
        #expect(coefficients.map { $0["term"] as? String } == ["section", "size"])
        #expect(coefficients[0]["level"] as? String == "furniture" && coefficients[1]["level"] is NSNull)
        // `--factor size` reads the numbers as labels: five contrasts, more than six postings allow.
        let labels = try cli.decoy("regress", "1", "--db", "small.sqlite", "--terms", "size", "--factor", "size")
        #expect(labels.status == 1 && labels.stderr.contains("only one posting has this level"), "\(labels.stderr)")
        // Importing the same files again stores nothing; another value for a stored posting is refused.
        let again = try importSmall()
        #expect(again.status == 0, "\(again.stderr)")
        try writeSmall(size: ["1", "2.5", "3", "4", "5", "8"])
        let changed = try importSmall()
        #expect(changed.status != 0 && changed.stderr.contains("postings.csv:7: attr_size: the posting is stored already with other attribute values"),
                "\(changed.stderr)")
    }

    @Test(arguments: [
        ("inf", "attr_size: expected a finite number or a label, found a non-finite number"),
        ("NaN", "attr_size: expected a finite number or a label, found a non-finite number"),
        ("1e999", "attr_size: expected a finite number, found one beyond the range of a double"),
        ("", "attr_size: expected a value (a number or a label), found an empty field"),
        ("+33612345678", "attr_size: the value looks like a phone number"),
        ("someone@example.org", "attr_size: the value looks like an e-mail address"),
        ("0612345678", "attr_size: the value looks like a phone number"),
        ("+336123", "attr_size: the value looks like a phone number"),
    ])
    func badAttributeValuesAreLocatedAndNothingIsStored(value: String, message: String) throws {
        try writeSmall(size: ["1", "2", value, "4", "5", "6"])
        let result = try importSmall()
        #expect(result.status != 0)
        #expect(result.stderr.contains("postings.csv:4: \(message)"), "\(result.stderr)")
        if !value.isEmpty { #expect(!result.stderr.contains(value)) }
        if cli.exists("small.sqlite") {
            let runs = try cli.decoy("runs", "--db", "small.sqlite", "--format", "csv")
            #expect(TestCLI.rows(runs.stdout).isEmpty, "nothing stored: \(runs.stdout)")
        }
    }

    @Test(arguments: [
        ("arm,posting,posted_at,ended_at,attr_size,colour", "column 6 of the header: expected `ended_at` or an attribute column"),
        ("arm,posting,posted_at,ended_at,attr_size,attr_Colour", "column 6 of the header: an attribute name after `attr_` must start"),
        ("arm,posting,posted_at,ended_at,attr_size,attr_posted_hour", "column 6 of the header: `posted_hour` is a covariate every run has"),
        ("arm,posting,posted_at,ended_at,attr_size,attr_section", "column 6 of the header: `section` is already an attribute of the config's arms"),
        ("arm,posting,posted_at,ended_at,attr_size,attr_size", "column 6 of the header: attribute `size` is named twice"),
        ("arm,posting,posted_at,ended_at,attr_size,attr_stop", "column 6 of the header: `stop` is a covariate every run has or a column of the intervals export"),
    ])
    func badAttributeColumnsAreRefused(header: String, message: String) throws {
        try writeSmall(size: ["1", "2", "3", "4", "5", "6"], header: header)
        let result = try importSmall()
        #expect(result.status != 0 && result.stderr.contains("postings.csv:1: \(message)"), "\(result.stderr)")
    }

    @Test func aHugeNumberIsRefusedByTheFitNamingTheTerm() throws {
        try writeSmall(size: ["1", "2", "1e308", "4", "5", "6"])
        try #require(try importSmall().status == 0)
        let result = try cli.decoy("regress", "1", "--db", "small.sqlite", "--terms", "size")
        #expect(result.status == 1 && result.stderr.contains("term size: a value of magnitude 1e+308 is beyond what the model fits"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// `compare A,B` is `regress --terms arm --arms A,B --reference arm=B`, number for number,
    /// randomization test included.
    @Test func compareIsTheTwoArmRegressionOfTheStoredRun() throws {
        try importDataSet("factorial")
        let compare = try cli.decoy("compare", "1", "--db", "factorial.sqlite", "--arms", "adult-backpage,control-vivastreet", "--format", "json")
        try #require(compare.status == 0, "\(compare.stderr)")
        let c = try #require(try cli.json(compare.stdout) as? [String: Any])
        let regress = try cli.decoy("regress", "1", "--db", "factorial.sqlite", "--terms", "arm", "--arms", "adult-backpage,control-vivastreet",
                                    "--reference", "arm=control-vivastreet", "--format", "json")
        try #require(regress.status == 0, "\(regress.stderr)")
        let r = try #require(try cli.json(regress.stdout) as? [String: Any])
        let coefficient = try #require((r["coefficients"] as? [[String: Any]])?.first)
        #expect(coefficient["level"] as? String == "adult-backpage")
        for (ours, theirs) in [("ratio", "proportional_rates_ratio"), ("lower", "proportional_rates_lower"), ("upper", "proportional_rates_upper"),
                               ("p", "proportional_rates_p"), ("se", "proportional_rates_log_se")] {
            let a = try #require(coefficient[ours] as? Double), b = try #require(c[theirs] as? Double)
            #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(ours): \(a) vs compare's \(b)")
        }
        #expect(r["randomization_p"] as? Double == c["randomization_p"] as? Double)
        #expect(r["randomization_assignments"] as? Double == 184_756)
    }

    /// Measurements with six or more digits are numbers, not phone numbers.
    @Test func numbersWithManyDigitsAreNumbers() throws {
        try writeSmall(size: ["150000", "48.856613", "-1.234567", "3.8200000000000003", "123456", "12345678"])
        let imported = try importSmall()
        try #require(imported.status == 0, "\(imported.stderr)")
        let fit = try cli.decoy("regress", "1", "--db", "small.sqlite", "--terms", "size", "--intervals", "classic", "--format", "json")
        #expect(fit.status == 0, "\(fit.stderr)")
        #expect(((try cli.json(fit.stdout) as? [String: Any])?["coefficients"] as? [[String: Any]])?.first?["level"] is NSNull)
    }

    /// An attribute in the fourth column is an attribute, not the end of the window.
    @Test func anAttributeInTheFourthColumnIsNotEndedAt() throws {
        try cli.write("small.yaml", Self.smallConfig)
        try cli.write("postings.csv", "arm,posting,posted_at,attr_when\ndecoy,p1,2025-03-07T18:00:00+01:00,2025-03-08T06:00:00+01:00\n")
        try cli.write("events.csv", "posting,at,channel,contact\n")
        try #require(try importSmall().status == 0)
        // The window is the whole horizon (24 h, not removed); the time is the attribute's value.
        let rows = TestCLI.rows(try cli.decoy("export", "1", "--db", "small.sqlite", "--table", "postings").stdout)
        #expect(rows.first?[5] == "24" && rows.first?[6] == "0" && rows.first?.last == "2025-03-08T06:00:00+01:00", "\(rows)")
    }

    /// Every posting of a run carries the same attribute columns.
    @Test func postingsOfOneRunCarryTheSameAttributes() throws {
        try writeSmall(size: ["1", "2", "3", "4", "5", "6"])
        try #require(try importSmall().status == 0)
        try cli.write("postings.csv", "arm,posting,posted_at\ncontrol,late,2025-03-07T20:00:00+01:00\n")
        try cli.write("events.csv", "posting,at,channel,contact\n")
        let mixed = try importSmall()
        #expect(mixed.status != 0 && mixed.stderr.contains("postings.csv:2: the run's postings are stored with the attribute columns attr_city, attr_size"),
                "\(mixed.stderr)")
    }

    /// Contacts that fit the arms exactly leave no spread: no standard error of 1e-16, no p of 1e-74.
    @Test func aStandardErrorAtRoundingLevelIsUndefined() throws {
        try cli.write("small.yaml", Self.smallConfig)
        var postings = "arm,posting,posted_at\n", events = "posting,at,channel,contact\n"
        for i in 0..<6 {
            postings += "\(i < 3 ? "decoy" : "control"),ad-\(i),2025-03-07T18:00:00+01:00\n"
            // Distinct times, one contact in each decoy ad and two in each control ad, every window
            // the horizon: leaving any posting out leaves the estimate where it was.
            for k in 0..<(i < 3 ? 1 : 2) { events += "ad-\(i),2025-03-07T\(19 + k):\(10 + 8 * i):00+01:00,message,\n" }
        }
        try cli.write("postings.csv", postings)
        try cli.write("events.csv", events)
        try #require(try importSmall().status == 0)
        let fit = try cli.decoy("regress", "1", "--db", "small.sqlite", "--terms", "arm")
        #expect(fit.status == 1 && fit.stderr.contains("its standard error is 0 or undefined"), "\(fit.stderr)")
        let compare = try cli.decoy("compare", "1", "--db", "small.sqlite", "--arms", "decoy,control", "--format", "json")
        #expect((try cli.json(compare.stdout) as? [String: Any])?["proportional_rates_p"] is NSNull, "\(compare.stdout)")
    }
}
