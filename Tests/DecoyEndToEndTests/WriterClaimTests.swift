import DecoyModel
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Who may write a run: `resume`, `delete` and sweep points claim a run inside the transaction
/// that checks it, so two writers never both take one run, a live writer is never overridden and
/// a run left `running` by another host can be taken over with `--force`.
@Suite(.serialized) struct WriterClaimTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws { cli = try TestCLI() }

    func path(_ name: String) -> String { cli.folder.appendingPathComponent(name).path }

    /// Runs SQL on a database file directly, as a damaged or foreign writer would leave it.
    func execute(_ sql: String, db: String) throws {
        try Connection(path: path(db), create: false).execute(sql)
    }

    func storedStatus(run: Int, db: String) throws -> String {
        let statement = try Connection(path: path(db), create: false).statement("SELECT status FROM runs WHERE run_id = \(run)")
        _ = try statement.step()
        defer { try? statement.finish() }
        return try statement.text(0)
    }

    func start(_ arguments: [String]) throws -> TestCLI.Started { try cli.start(arguments: arguments) }

    func runs(_ db: String) throws -> [[String: Any]] {
        try #require(try cli.json(try cli.decoy("runs", "--db", db, "--format", "json").stdout) as? [[String: Any]])
    }

    /// Polls until `condition` holds for the runs of `db`, for at most `seconds`.
    func waitFor(_ db: String, seconds: Double = 30, _ condition: ([[String: Any]]) -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path(db)), let list = try? runs(db), condition(list) { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// The digest of an uninterrupted run of the quickstart with `postings` adult postings.
    func referenceDigest(postings: Int) throws -> String {
        let result = try cli.decoy(arguments: ["run", quickstart, "--db", "reference.sqlite", "--set", "arms.adult.postings=\(postings)", "--quiet", "--format", "json"])
        return try #require((try cli.json(result.stdout) as? [String: Any])?["digest"] as? String)
    }

    /// A finished run cut back to its first `keep` postings and marked interrupted: what a run
    /// stopped by a signal leaves.
    func interruptedRun(postings: Int, keep: Int, db: String) throws {
        #expect(try cli.decoy(arguments: ["run", quickstart, "--db", db, "--set", "arms.adult.postings=\(postings)", "--quiet"]).status == 0)
        try execute("""
            DELETE FROM contacts WHERE contact_id IN (SELECT contact_id FROM posting_contacts WHERE run_id = 1 AND posting_id >= \(keep));
            DELETE FROM postings WHERE run_id = 1 AND posting_id >= \(keep);
            UPDATE runs SET status = 'interrupted', digest = NULL, finished_at = NULL WHERE run_id = 1;
            """, db: db)
    }

    @Test func twoResumesAtOnceLetOneWriteAndTellTheOtherWhoHoldsTheRun() throws {
        let expected = try referenceDigest(postings: 600)
        try interruptedRun(postings: 600, keep: 5, db: "race.sqlite")
        let first = try start(["resume", "1", "--db", "race.sqlite", "--quiet"])
        let second = try start(["resume", "1", "--db", "race.sqlite", "--quiet"])
        let results = [first.wait(), second.wait()]
        #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map(\.stderr))")
        let loser = try #require(results.first { $0.status != 0 })
        #expect(loser.stderr.contains("is being written by process") || loser.stderr.contains("is complete"), "\(loser.stderr)")
        for result in results {
            #expect(!result.stderr.contains("UNIQUE") && !result.stderr.contains("FOREIGN KEY") && !result.stderr.contains("constraint"), "\(result.stderr)")
        }
        #expect(try runs("race.sqlite").first?["digest"] as? String == expected)
        #expect(try cli.decoy("rerun", "1", "--db", "race.sqlite", "--quiet").status == 0)
    }

    /// Of two `resume`s started at once the one refused leaves the other's claim alone, so a
    /// `delete` after it is refused too and the other finishes.
    @Test func deleteIsRefusedWhileAResumeHoldsTheRun() throws {
        let expected = try referenceDigest(postings: 1500)
        try interruptedRun(postings: 1500, keep: 3, db: "hold.sqlite")
        let first = try start(["resume", "1", "--db", "hold.sqlite", "--quiet"])
        let second = try start(["resume", "1", "--db", "hold.sqlite", "--quiet"])
        let deadline = Date().addingTimeInterval(60)
        while first.process.isRunning && second.process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let delete = try cli.decoy("delete", "1", "--db", "hold.sqlite")
        let results = [first.wait(), second.wait()]
        #expect(delete.status != 0, "deleted under a resume: \(results.map(\.stderr))")
        #expect(delete.stderr.contains("is being written by process"), "\(delete.stderr)")
        #expect(results.filter { $0.status == 0 }.count == 1, "\(results.map(\.stderr))")
        #expect(try runs("hold.sqlite").first?["digest"] as? String == expected)
    }

    @Test func forceTakesOverARunLeftRunningOnAnotherHost() throws {
        let expected = try referenceDigest(postings: 40)
        try interruptedRun(postings: 40, keep: 7, db: "host.sqlite")
        try execute("UPDATE runs SET status = 'running', host = 'another-host.example', pid = 1 WHERE run_id = 1", db: "host.sqlite")

        let refused = try cli.decoy("resume", "1", "--db", "host.sqlite", "--quiet")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("another-host.example") && refused.stderr.contains("--force"), "\(refused.stderr)")
        let notDeleted = try cli.decoy("delete", "1", "--db", "host.sqlite")
        #expect(notDeleted.status == 1 && notDeleted.stderr.contains("--force"), "\(notDeleted.stderr)")
        #expect(try storedStatus(run: 1, db: "host.sqlite") == "running", "a refusal writes nothing")

        let forced = try cli.decoy("resume", "1", "--db", "host.sqlite", "--force", "--quiet", "--format", "json")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect((try cli.json(forced.stdout) as? [String: Any])?["digest"] as? String == expected)
    }

    @Test func forceNeverOverridesALiveWriterOnThisHost() throws {
        let writer = try start(["run", quickstart, "--db", "live.sqlite", "--set", "arms.adult.postings=3000", "--quiet"])
        defer {
            kill(writer.process.processIdentifier, SIGKILL)
            _ = writer.wait()
        }
        try #require(try waitFor("live.sqlite") { $0.first?["status"] as? String == "running" })
        for command in [["delete", "1"], ["resume", "1"]] {
            let result = try cli.decoy(arguments: command + ["--db", "live.sqlite", "--force"])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("still alive"), "\(command): \(result.stderr)")
        }
    }

    @Test func identicalSweepsAtOnceRunEachPointOnce() throws {
        let arguments = ["sweep", quickstart, "--db", "sweep.sqlite", "--grid", "seed=1,2,3", "--set", "arms.adult.postings=120", "--quiet", "--format", "json"]
        let first = try start(arguments), second = try start(arguments)
        let results = [first.wait(), second.wait()]
        let runs = try runs("sweep.sqlite")
        let points = runs.compactMap { $0["sweep_point"] as? String }
        #expect(points.sorted() == ["seed=1", "seed=2", "seed=3"], "one run per point, found \(points)")
        #expect(runs.allSatisfy { $0["status"] as? String == "complete" })
        // A point the other sweep holds is reported busy (a non-zero exit is then not required).
        for result in results { #expect(!result.stderr.contains("constraint"), "\(result.stderr)") }
    }

    @Test func aSignalStopsASweepAndMarksItsPointInterrupted() throws {
        let arguments = ["sweep", quickstart, "--db", "stop.sqlite", "--grid", "seed=1,2", "--set", "arms.adult.postings=4000", "--quiet"]
        let sweep = try start(arguments)
        try #require(try waitFor("stop.sqlite") { ($0.first?["postings"] as? Int ?? 0) > 0 })
        kill(sweep.process.processIdentifier, SIGINT)
        let stopped = sweep.wait()
        #expect(sweep.process.terminationReason == .exit && stopped.status == 130, "\(stopped.status) \(stopped.stderr)")
        #expect(stopped.stderr.contains("interrupted"), "\(stopped.stderr)")
        #expect(try storedStatus(run: 1, db: "stop.sqlite") == "interrupted")
    }

    /// Writers opening a file that does not exist yet at the same moment all find a decoy
    /// database: the one that creates the schema never looks like another application's file to
    /// the others. (A race, so many new files are tried; before the fix 2 to 7 of these 320 writers failed.)
    @Test func writersCreatingOneNewFileAtOnceAllSucceed() throws {
        let trials = 80
        var failures: [String] = []
        for trial in 0..<trials {
            let writers = try (0..<4).map { _ in try start(["run", quickstart, "--db", "new\(trial).sqlite", "--set", "arms.adult.postings=1", "--quiet"]) }
            for result in writers.map({ $0.wait() }) where result.status != 0 { failures.append("trial \(trial): \(result.stderr)") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(4 * trials) writers failed: \(failures.prefix(3))")
    }
}
