import DecoyTestSupport
import Foundation
import Testing

/// SIGINT in the middle of long work: every long command stops at its next check, exits 130,
/// leaves no output file and no temporary, and no run `running`. The signal is raised by the
/// process itself at a named point of its inner loop (`DECOY_FAILPOINT`, debug builds only), so
/// each test stops the work at the same moment on any machine.
///
/// Each workload takes minutes uninterrupted in a debug build (the fits of `busyRun` 2.5 minutes,
/// the power point of 200,000 simulations far longer). A command that went on working after the
/// signal reaches its failpoint again: past `Failpoint.grace` reaches the failpoint ends it with
/// status 70 instead of 130, so promptness is counted, not timed, and a loaded machine cannot fail
/// the tests.
@Suite(.serialized) struct CancellationTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws { cli = try TestCLI() }

    /// Runs `arguments` with the failpoint, expects exit 130 (not the failpoint's 70 for work that
    /// went on), nothing on standard output, and that none of `outputs` nor any temporary exists
    /// afterwards.
    func expectCancelled(_ arguments: [String], at failpoint: String, outputs: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try cli.decoy(arguments: arguments, environment: ["DECOY_FAILPOINT": failpoint])
        #expect(result.status == 130, "\(arguments[0]): exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("interrupted by signal 2"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(arguments[0]) printed a result", sourceLocation: sourceLocation)
        for output in outputs { #expect(!cli.exists(output), "\(output) was written", sourceLocation: sourceLocation) }
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty, "temporaries left: \(left)", sourceLocation: sourceLocation)
    }

    /// The statuses of the runs in `db`.
    func statuses(_ db: String) throws -> [String] {
        let listed = try cli.decoy("runs", "--db", db, "--format", "json")
        #expect(listed.status == 0, "\(listed.stderr)")
        let runs = try #require(try cli.json(listed.stdout) as? [[String: Any]])
        return runs.map { $0["status"] as? String ?? "" }
    }

    /// The quickstart's decoy arm at about 1 contact a posting instead of 800.
    var fewContacts: [String] { ["--set", "arms.adult.response.initial=1/h", "--set", "arms.adult.response.baseline=0.01/h"] }

    /// 800,000 postings with few contacts: each chunk is quick, the whole run is not.
    var manyPostings: [String] { fewContacts + ["--set", "replicates=40000"] }

    @Test func powerStopsInsideItsPoint() throws {
        try expectCancelled(["power", quickstart, "--arms", "adult,control", "--postings", "40", "--sims", "200000", "--jobs", "2",
                             "--quiet", "--out", "power.json", "--report", "power.html"],
                            at: "power-simulation:50", outputs: ["power.json", "power.html"])
    }

    @Test func powerStopsInsideItsSearch() throws {
        // Arms alike: the search never reaches the target and doubles n up to 100,000.
        try expectCancelled(["power", quickstart, "--arms", "adult,control", "--set", "arms.adult.response={model: poisson, rate: 0.005/h}",
                             "--max-postings", "100000", "--sims", "2000", "--jobs", "2", "--quiet", "--out", "search.json"],
                            at: "power-search-point:3", outputs: ["search.json"])
    }

    @Test func powerStopsInsideItsPrecisionBatches() throws {
        try expectCancelled(["power", quickstart, "--arms", "adult,control", "--postings", "40", "--sims", "1000000", "--precision", "0.0001",
                             "--quiet", "--out", "precise.json"],
                            at: "power-simulation:100", outputs: ["precise.json"])
    }

    @Test func coverageStopsBetweenReplicates() throws {
        try expectCancelled(["coverage", quickstart, "--postings", "10", "--format", "csv"] + fewContacts + ["--set", "replicates=4000"],
                            at: "coverage-replicate:20")
    }

    @Test func runStopsAtTheNextChunkAndIsLeftInterrupted() throws {
        try expectCancelled(["run", quickstart, "--quiet", "--db", "run.sqlite"] + manyPostings, at: "run-chunk:3")
        #expect(try statuses("run.sqlite") == ["interrupted"])
    }

    @Test func rerunStopsAtTheNextChunk() throws {
        #expect(try cli.decoy(arguments: ["run", quickstart, "--quiet", "--db", "rerun.sqlite"] + fewContacts + ["--set", "replicates=2000"]).status == 0)
        try expectCancelled(["rerun", "1", "--db", "rerun.sqlite"], at: "rerun-chunk:3")
        #expect(try statuses("rerun.sqlite") == ["complete"])
    }

    @Test func sweepStopsInsideItsPointAndLeavesItInterrupted() throws {
        try expectCancelled(["sweep", quickstart, "--grid", "seed=1,2,3", "--quiet", "--db", "sweep.sqlite"] + manyPostings, at: "run-chunk:3")
        #expect(try statuses("sweep.sqlite") == ["interrupted"])
    }

    @Test func mergeStopsAtTheNextChunkAndIsLeftInterrupted() throws {
        for k in 1...2 {
            let shard = try cli.decoy(arguments: ["run", quickstart, "--shard", "\(k)/2", "--quiet", "--db", "shard\(k).sqlite"]
                                      + fewContacts + ["--set", "replicates=1000"])
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        try expectCancelled(["merge", "runs", "shard1.sqlite", "shard2.sqlite", "--into", "merged.sqlite", "--quiet"], at: "merge-chunk:2")
        #expect(try statuses("merged.sqlite") == ["interrupted"])
    }

    @Test func importStopsAndStoresNothing() throws {
        try cli.write("field.yaml", """
            version: 1
            name: field-cancel
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            arms:
              - name: decoy
                postings: 2
              - name: control
                postings: 2
            """)
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T00:00:00Z,\ncontrol,ad-2,2024-01-01T00:00:00Z,\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T01:00:00Z,call,\nad-2,2024-01-01T02:00:00Z,call,\n")
        #expect(try cli.decoy("run", quickstart, "--quiet", "--db", "field.sqlite").status == 0)
        // The third stage is inside the import's transaction, after its rows are planned.
        try expectCancelled(["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--no-contacts",
                             "--db", "field.sqlite"], at: "import-stage:3")
        #expect(try statuses("field.sqlite") == ["complete"])
        // Inside the writing of the contacts, posting by posting: rolled back.
        var postings = "arm,posting,posted_at,ended_at\n", events = "posting,at,channel,contact\n"
        for i in 1...2 {
            postings += "decoy,ad-\(i),2024-01-01T00:00:00Z,\n"
            for k in 0..<50 { events += "ad-\(i),2024-01-01T0\(k % 9):\(10 + k):00Z,call,\n" }
        }
        try cli.write("postings.csv", postings)
        try cli.write("events.csv", events)
        try expectCancelled(["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--no-contacts",
                             "--db", "field.sqlite"], at: "import-posting:2")
        #expect(try statuses("field.sqlite") == ["complete"])
    }

    /// A run of 160,000 contacts: its fits take minutes in a debug build.
    func busyRun() throws {
        let run = try cli.decoy("run", quickstart, "--quiet", "--db", "busy.sqlite", "--set", "replicates=20")
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func reportStopsInsideItsFits() throws {
        try busyRun()
        try expectCancelled(["report", "1", "--db", "busy.sqlite", "--out", "busy.html"], at: "fit-likelihood:100", outputs: ["busy.html"])
        #expect(try statuses("busy.sqlite") == ["complete"])
    }

    @Test func fitStopsInsideItsOptimiser() throws {
        try busyRun()
        try expectCancelled(["fit", "1", "--db", "busy.sqlite"], at: "fit-likelihood:100")
    }

    /// SIGTERM (as `scancel` sends first) is honoured the same way.
    @Test func sigtermStopsAPowerAnalysisToo() throws {
        let result = try cli.decoy(arguments: ["power", quickstart, "--arms", "adult,control", "--postings", "40", "--sims", "200000", "--quiet"],
                                   environment: ["DECOY_FAILPOINT": "power-simulation:50:term"])
        #expect(result.status == 130 && result.stdout.isEmpty, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("interrupted by signal 15"), "\(result.stderr)")
    }
}
