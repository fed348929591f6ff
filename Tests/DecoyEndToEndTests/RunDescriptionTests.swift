import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// How `show` and `validate` describe a run or config: an observed run by what was observed,
/// never by the simulation settings its config could carry; a simulated one as configured.
@Suite struct RunDescriptionTests {
    @Test func showDescribesAnObservedRunByWhatWasObserved() throws {
        let cli = try TestCLI()
        try ReportCommandTests.importObservedRun(cli)
        let json = try #require(try cli.json(try cli.decoy("show", "1", "--format", "json").stdout) as? [String: Any])
        #expect(json["source"] as? String == "observed")
        // The config writes `seed: 7`, and the run stores a placeholder; neither was ever used.
        #expect((json["seed"] ?? NSNull()) is NSNull, "\(json["seed"] ?? "")")
        #expect((json["replicates"] ?? NSNull()) is NSNull)
        let arms = try #require(json["arms"] as? [[String: Any]])
        try #require(arms.count == 2)
        #expect(arms.allSatisfy { $0["population"] == nil })
        #expect(arms[0]["went_live"] as? String == "first 2025-03-07T18:00:00+01:00, last 2025-03-08T00:00:00+01:00")
        #expect(arms[0]["channels"] as? String == "call 3, sms 2")
        #expect(arms[0]["removed"] as? String == "1")
        #expect(arms[1]["channels"] as? String == "call 15, sms 15")
        let table = try cli.decoy("show", "1", "--format", "table")
        #expect(table.status == 0, "\(table.stderr)")
        // Neither the facts nor the resolved config (every default filled in: a schedule of
        // `every: 0h`, channel weights, the seed) describe what was never set; the config as
        // given is in `config_text` and `show --config`.
        #expect(json["resolved_config"] is NSNull && json["overrides"] is NSNull, "\(json)")
        #expect((json["config_text"] as? String)?.contains("seed: 7") == true)
        for leftover in ["seed", "replicates", "population", "every", "0.5", "overrides"] {
            #expect(!table.stdout.contains(leftover), "\(leftover): \(table.stdout)")
        }
        // The CSV keeps every field's row, empty (missing) where the run never had it.
        let csv = try cli.decoy("show", "1", "--format", "csv").stdout.split(separator: "\n")
        for field in ["seed", "replicates", "overrides"] { #expect(csv.contains("\(field),"[...]), "\(field): \(csv)") }
        #expect(!csv.contains { $0.contains("every") || $0.contains("population") })
        #expect(table.stdout.contains("went live") && table.stdout.contains("call 3, sms 2"))
    }

    @Test func showKeepsASimulatedRunsSeedAndPopulations() throws {
        let cli = try TestCLI()
        try cli.write("c.yaml", TestCLI.twoArmConfig)
        try #require(try cli.decoy("run", cli.path("c.yaml"), "--quiet").status == 0)
        let json = try #require(try cli.json(try cli.decoy("show", "1", "--format", "json").stdout) as? [String: Any])
        #expect(json["seed"] as? String == "7" && json["replicates"] as? String == "1")
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.map { $0["population"] as? String } == ["a", "b"])
    }

    /// A config of observed data only: its arms draw nothing, so `validate` shows no population
    /// size, no channel weights and no replicates; the channels an import accepts instead.
    @Test func validateShowsNoSimulationSettingsForArmsOfObservedData() throws {
        let cli = try TestCLI()
        try cli.write("observed.yaml", """
            version: 1
            name: field-run
            start: 2025-03-07T18:00:00+01:00
            horizon: 72h
            arms:
              - name: decoy
                postings: 4
                channels: { call: 1, sms: 1 }
              - name: control
                postings: 3
            """)
        let table = try cli.decoy("validate", cli.path("observed.yaml"), "--format", "table")
        try #require(table.status == 0, "\(table.stderr)")
        for leftover in ["10000", "0.5", "replicate", "message 1"] { #expect(!table.stdout.contains(leftover), "\(leftover): \(table.stdout)") }
        let json = try #require(try cli.json(try cli.decoy("validate", cli.path("observed.yaml"), "--format", "json").stdout) as? [String: Any])
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.map { $0["channels"] as? String } == ["call, sms", "any"])
        #expect(arms.map { $0["population"] as? String } == ["-", "-"])
        // A simulated arm keeps its population and weights.
        let quickstart = try cli.decoy("validate", cli.quickstartPath, "--format", "table")
        #expect(quickstart.stdout.contains("adult (10000)") && quickstart.stdout.contains("call 0.5, sms 0.5") && quickstart.stdout.contains("1 replicate(s)"))
    }

    /// Wall time is a sum of clock readings: shown to the millisecond, not as the float it sums to.
    @Test func wallSecondsAreShownToTheMillisecond() throws {
        let cli = try TestCLI()
        try #require(try cli.decoy("run", cli.quickstartPath, "--quiet").status == 0)
        try Connection(path: cli.path("decoy.sqlite"), create: false).execute("UPDATE runs SET wall_seconds = 0.022579883000000002 WHERE run_id = 1")
        let table = try cli.decoy("show", "1", "--format", "table").stdout
        let line = try #require(table.split(separator: "\n").first { $0.hasPrefix("wall_seconds") }, "\(table)")
        #expect(line.hasSuffix(" 0.023"), "\(line)")
        let json = try #require(try cli.json(try cli.decoy("show", "1", "--format", "json").stdout) as? [String: Any])
        #expect(json["wall_seconds"] as? String == "0.023")
    }
}
