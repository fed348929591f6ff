import DecoyTestSupport
import DecoyWorkflows
import DecoyModel
import Foundation
import Testing

/// The built `decoy` binary, run as a user would, in a fresh temporary folder per test.
@Suite struct CommandLineTests {
    let cli: TestCLI
    var folder: URL { cli.folder }

    init() throws { cli = try TestCLI() }

    @discardableResult
    func decoy(_ arguments: String...) throws -> TestCLI.Result { try cli.decoy(arguments: arguments) }

    @discardableResult
    func decoy(arguments: [String]) throws -> TestCLI.Result { try cli.decoy(arguments: arguments) }

    func write(_ name: String, _ text: String) throws { try cli.write(name, text) }
    func exists(_ name: String) -> Bool { cli.exists(name) }
    func json(_ text: String) throws -> Any { try cli.json(text) }

    var quickstartPath: String { cli.quickstartPath }

    /// The tool carries experiments/quickstart.yaml itself: the run it makes stores that text.
    @Test func quickstartRunsTheExampleFile() throws {
        let file = try String(contentsOfFile: quickstartPath, encoding: .utf8)
        let quickstart = try decoy("quickstart", "--quiet")
        #expect(quickstart.status == 0)
        // Printed in order, the run first and its curves after, also into a pipe.
        #expect(quickstart.stdout.hasPrefix("run 1 stored in decoy.sqlite: 20 postings, 8025 contacts\ndigest 8a9e5318"), "\(quickstart.stdout.prefix(200))")
        #expect(quickstart.stdout.hasSuffix("--out curves.csv\n"))
        let shown = try #require(try json(try decoy("show", "1", "--format", "json").stdout) as? [String: Any])
        #expect(shown["config_text"] as? String == file)
        #expect(Examples.quickstartText == file)
    }

    /// The field template has no seed: it imports, and `run` refuses it for its missing models.
    @Test func theFieldTemplateNeedsNoSeed() throws {
        let template = TestCLI.repository.appendingPathComponent("experiments/field-template")
        #expect(!(try String(contentsOf: template.appendingPathComponent("field.yaml"), encoding: .utf8)).contains("seed:"))
        let imported = try cli.decoy(
            arguments: ["import", template.appendingPathComponent("field.yaml").path, "--postings", template.appendingPathComponent("postings.csv").path,
                        "--events", template.appendingPathComponent("events.csv").path, "--no-contacts"])
        #expect(imported.status == 0, "\(imported.stderr)")
        let run = try decoy("run", template.appendingPathComponent("field.yaml").path)
        #expect(run.status == 2 && run.stderr.contains("missing required key `response`") && !run.stderr.contains("seed"), "\(run.stderr)")
    }

    @Test func everyExampleExperimentValidates() throws {
        let folder = TestCLI.repository.appendingPathComponent("experiments")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 2)
        for file in files {
            let result = try decoy("validate", folder.appendingPathComponent(file).path, "--format", "table")
            #expect(result.status == 0, "\(file): \(result.stderr)")
        }
    }

    @Test func validatePrintsSummaryAndConfigDigest() throws {
        let result = try decoy("validate", quickstartPath, "--format", "table")
        #expect(result.status == 0)
        let digest = try ConfigLoader.load(path: quickstartPath).sha256
        #expect(result.stdout.contains("config sha256 \(digest)"))
        #expect(result.stdout.contains("adult") && result.stdout.contains("control"))
        #expect(!exists("decoy.sqlite"))
    }

    @Test func rejectedConfigReportsEveryProblemAndWritesNothing() throws {
        try write("bad.yaml", """
            version: 1
            name: bad
            seed: 1
            start: 2020-01-01T00:00:00Z
            horizon: 2 days
            arms:
              - name: a
                postings: 3
                response: { model: poisson, rtae: 2/h }
            """)
        for command in ["validate", "run"] {
            let result = try decoy(command, "bad.yaml")
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("error: invalid config (3 problems)"))
            #expect(result.stderr.contains("bad.yaml:5:10: horizon: expected a duration"))
            #expect(result.stderr.contains("bad.yaml:9:33: arms[0].response.rtae: unknown key; did you mean `rate`?"))
            #expect(result.stderr.contains("arms[0].response.rate: missing required key `rate`"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bad.yaml"])
    }

    @Test func runStoresAndReportsAsJSONAndRunsListsIt() throws {
        let result = try decoy("run", quickstartPath, "--format", "json", "--quiet")
        #expect(result.status == 0, "\(result.stderr)")
        let run = try #require(try json(result.stdout) as? [String: Any])
        #expect(run["run_id"] as? Int == 1)
        #expect((run["contacts"] as? Int ?? 0) > 1000)
        #expect(run["postings"] as? Int == 20)
        #expect((run["digest"] as? String)?.count == 64)
        #expect(exists("decoy.sqlite"))

        let listed = try decoy("runs", "--format", "json")
        let runs = try #require(try json(listed.stdout) as? [[String: Any]])
        #expect(runs.count == 1)
        let first = try #require(runs.first)
        for key in ["run_id", "name", "source", "status", "contacts", "postings", "digest"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        #expect(first["source"] as? String == "simulated" && first["status"] as? String == "complete")
        #expect(first["digest"] as? String == run["digest"] as? String)
    }

    @Test func sameConfigGivesTheSameDigestWhateverTheJobs() throws {
        let one = try decoy("run", quickstartPath, "--format", "json", "--jobs", "1")
        let two = try decoy("run", quickstartPath, "--format", "json", "--jobs", "2", "--db", "other.sqlite")
        let a = try #require(try json(one.stdout) as? [String: Any])
        let b = try #require(try json(two.stdout) as? [String: Any])
        #expect(a["digest"] as? String == b["digest"] as? String)
        #expect(a["contacts"] as? Int == b["contacts"] as? Int)
    }

    @Test func curvesComeBackInTheSpecColumnsAndMatchTheModel() throws {
        try decoy("run", quickstartPath, "--quiet")
        let result = try decoy("curves", "1", "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // SPEC §5's columns in SPEC's order, then `at_risk` split into its two meanings.
        #expect(lines.first == "run_id,arm,replicate,metric,t_hours,estimate,lower,upper,at_risk,events,at_risk_postings,exposure_hours")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == 12 })
        // at_risk is a count of postings for mcf and posting-hours for rate; the added columns hold one meaning each.
        #expect(rows.filter { $0[3] == "mcf" }.allSatisfy { $0[10] == $0[8] && $0[11].isEmpty })
        #expect(rows.filter { $0[3] == "rate" }.allSatisfy { $0[11] == $0[8] && Int($0[10]) != nil })
        #expect(rows.first { $0[1] == "adult" && $0[3] == "rate" && $0[4] == "0" }?[10] == "10")
        // 49 grid times (0…48 h) of mcf and 48 hourly rate bins, for each arm.
        #expect(rows.filter { $0[1] == "adult" && $0[3] == "mcf" }.count == 49)
        #expect(rows.filter { $0[1] == "control" && $0[3] == "rate" }.count == 48)
        #expect(rows.allSatisfy { $0[2].isEmpty })
        // Ten adult postings of Λ(48 h) = 150 · 3.6/ln 2 · (1 − 2^(−48/3.6)) + 0.5 · 48 ≈ 802.98
        // expected contacts each: the pooled mean lies within 5σ.
        let expected = 150 * 3.6 / M_LN2 * (1 - pow(2, -48 / 3.6)) + 0.5 * 48
        let last = try #require(rows.last { $0[1] == "adult" && $0[3] == "mcf" })
        let estimate = try #require(Double(last[5]))
        #expect(abs(estimate - expected) < 5 * (expected / 10).squareRoot())
        #expect(Double(last[6])! < estimate && estimate < Double(last[7])!)
    }

    @Test func curvesWriteToAFileWithOut() throws {
        try decoy("run", quickstartPath, "--quiet")
        let result = try decoy("curves", "last", "--metric", "mcf", "--by", "replicate", "--grid", "12h", "--out", "curves.csv")
        #expect(result.status == 0 && result.stdout.isEmpty)
        let text = try String(contentsOf: folder.appendingPathComponent("curves.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").dropFirst()
        #expect(rows.count == 2 * 5)
        #expect(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[2] == "1" })
    }

    /// Without `--metric`, curves are mcf and rate; the help and a note on standard error say that
    /// ttfc (and unique, expected) are left out, and naming the metrics silences the note.
    @Test func curvesSayThatTtfcIsNotInTheDefault() throws {
        try decoy("run", quickstartPath, "--quiet")
        let defaults = try decoy("curves", "1", "--format", "csv")
        #expect(defaults.status == 0, "\(defaults.stderr)")
        #expect(Set(TestCLI.column("metric", of: defaults.stdout)) == ["mcf", "rate"])
        #expect(defaults.stderr.contains("note: curves of mcf and rate, the default; ttfc, unique and expected only on request"))
        let named = try decoy("curves", "1", "--metric", "mcf,rate,ttfc", "--format", "csv")
        #expect(Set(TestCLI.column("metric", of: named.stdout)) == ["mcf", "rate", "ttfc"])
        #expect(named.status == 0 && named.stderr.isEmpty, "\(named.stderr)")
        let help = try decoy("curves", "--help").stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(help.contains("Without --metric: mcf and rate only; ttfc, unique and expected are computed when named"))
    }

    @Test func exportWritesEventsAndPostingsInSpecColumns() throws {
        let run = try json(try decoy("run", quickstartPath, "--format", "json").stdout) as? [String: Any]
        let contacts = try #require(run?["contacts"] as? Int)
        let events = try decoy("export", "1", "--table", "events")
        let eventLines = events.stdout.split(separator: "\n")
        // SPEC §5's columns in SPEC's order, then hours since going live and the local instant.
        #expect(eventLines.first == "run_id,replicate,arm,posting,seq,t_seconds,at,channel,contactor,t_hours,at_local")
        #expect(eventLines.count == contacts + 1)
        let sample = eventLines[1].split(separator: ",").map(String.init)
        #expect(sample[0] == "1" && sample[1] == "1" && sample[2] == "adult" && sample[3] == "0" && sample[4] == "0")
        #expect(sample[5].range(of: #"^\d+\.\d{6}$"#, options: .regularExpression) != nil)
        #expect(sample[6].hasPrefix("2016-11-04T17:") && sample[6].hasSuffix("Z"))
        #expect(["call", "sms"].contains(sample[7]) && sample[8].hasPrefix("adult:"))
        // The config's start is at -08:00: the same instant on the local clock, eight hours earlier.
        #expect(sample[10].hasPrefix("2016-11-04T09:") && sample[10].hasSuffix("-08:00") && sample[10].dropFirst(13).prefix(13) == sample[6].dropFirst(13).prefix(13))

        let postings = try decoy("export", "1", "--table", "postings")
        let postingLines = postings.stdout.split(separator: "\n").map(String.init)
        #expect(postingLines.first == "run_id,replicate,arm,posting,posted_at,observed_hours,removed,contacts,first_contact_hours,unique_contactors,posted_at_local,attr_platform,attr_section")
        #expect(postingLines.count == 21)
        let counts = postingLines.dropFirst().map { Int($0.split(separator: ",", omittingEmptySubsequences: false)[7])! }
        #expect(counts.reduce(0, +) == contacts)
        #expect(postingLines[1].hasPrefix("1,1,adult,0,2016-11-04T17:00:00.000000Z,48,0,"))
        #expect(postingLines[1].contains(",2016-11-04T09:00:00.000000-08:00,"))
    }

    @Test func unknownRunAndMissingDatabaseFailClearly() throws {
        let missing = try decoy("curves", "1")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: no database at decoy.sqlite"))
        #expect(!exists("decoy.sqlite"))
        try decoy("run", quickstartPath, "--quiet")
        let unknown = try decoy("show", "7")
        #expect(unknown.status == 1 && unknown.stderr.hasPrefix("error: no run 7 "))
    }

    @Test func showPrintsProvenanceAndArms() throws {
        try decoy("run", quickstartPath, "--quiet")
        let shown = try decoy("show", "1", "--format", "json")
        let object = try #require(try json(shown.stdout) as? [String: Any])
        #expect(object["config_sha256"] as? String == (try ConfigLoader.load(path: quickstartPath).sha256))
        #expect(object["seed"] as? String == "20161104")
        #expect((object["config_text"] as? String)?.contains("name: quickstart") == true)
        let arms = try #require(object["arms"] as? [[String: Any]])
        #expect(arms.map { $0["name"] as? String } == ["adult", "control"])
    }

    @Test func badFlagValuesAreRejectedWithTheFlagNamed() throws {
        try decoy("run", quickstartPath, "--quiet")
        let result = try decoy("curves", "1", "--metric", "mfc")
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("error: --metric: unknown metric (a value of 3 characters)"))
    }
}
