import DecoyModel
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Reruns, digests, overrides and sweeps through the built binary.
@Suite struct ReproducibilityTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws { cli = try TestCLI() }

    @discardableResult
    func runJSON(_ arguments: String...) throws -> [String: Any] {
        let result = try cli.decoy(arguments: arguments + ["--format", "json", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try cli.json(result.stdout) as? [String: Any])
    }

    /// Changes the stored database behind the tool's back, as a tamperer would.
    func tamper(_ sql: String) throws {
        let connection = try Connection(path: cli.folder.appendingPathComponent("decoy.sqlite").path, create: false)
        try connection.execute(sql)
    }

    @Test func digestIsTheSameForOneTwoAndFourJobs() throws {
        let digests = try ["1", "2", "4"].map { jobs in
            try runJSON("run", quickstart, "--jobs", jobs, "--set", "arms.adult.postings=40", "--db", "jobs\(jobs).sqlite")["digest"] as? String
        }
        #expect(digests[0] != nil)
        #expect(Set(digests).count == 1)
    }

    @Test func addingAnArmChangesNoEventOfTheOthers() throws {
        let original = try String(contentsOfFile: quickstart, encoding: .utf8)
        let extra = """
          - name: extra
            postings: 4
            response: { model: poisson, rate: 30/h }

        """
        let withExtra = original.replacingOccurrences(of: "  - name: control\n", with: extra + "  - name: control\n")
        try cli.write("three-arms.yaml", withExtra)
        try runJSON("run", quickstart)
        try runJSON("run", "three-arms.yaml")
        func events(_ run: String, arm: String) throws -> [String] {
            try cli.decoy("export", run, "--table", "events").stdout.split(separator: "\n")
                .map { $0.split(separator: ",", maxSplits: 1)[1] }.filter { $0.contains(",\(arm),") }.map(String.init)
        }
        for arm in ["adult", "control"] {
            let a = try events("1", arm: arm), b = try events("2", arm: arm)
            #expect(a == b, "\(arm) events changed when an arm was added")
        }
        #expect(try events("1", arm: "adult").count > 1000)
        #expect(try !events("2", arm: "extra").isEmpty)
    }

    @Test func rerunReproducesAStoredRun() throws {
        let run = try runJSON("run", quickstart, "--replicates", "2")
        let result = try cli.decoy("rerun", "1")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("reproduced\n"))
        #expect(result.stdout.contains(run["digest"] as! String))
        let json = try runJSON("rerun", "last")
        #expect(json["reproduced"] as? Bool == true && json["digest"] as? String == run["digest"] as? String)
    }

    @Test func rerunNamesTheFirstTamperedEvent() throws {
        try runJSON("run", quickstart)
        try tamper("UPDATE contacts SET t_us = t_us + 1 WHERE contact_id = (SELECT contact_id FROM posting_contacts WHERE run_id = 1 AND posting_id = 3 AND seq = 5)")
        let result = try cli.decoy("rerun", "1")
        #expect(result.status == 3)
        #expect(result.stdout.contains("first difference at replicate 1, arm adult, posting 3, seq 5: stored t="))
        let json = try #require(try cli.json(try cli.decoy("rerun", "1", "--format", "json").stdout) as? [String: Any])
        let difference = try #require(json["first_difference"] as? [String: Any])
        #expect(difference["seq"] as? Int == 5 && difference["posting"] as? Int == 3 && difference["arm"] as? String == "adult")
    }

    @Test func rerunCatchesARemovedContactAndAnAlteredWindow() throws {
        try runJSON("run", quickstart)
        try tamper("DELETE FROM contacts WHERE contact_id = (SELECT contact_id FROM posting_contacts WHERE run_id = 1 AND posting_id = 1 AND seq = 0)")
        let removed = try cli.decoy("rerun", "1")
        #expect(removed.status == 3 && removed.stderr.contains("run 1 is damaged: postings row posting_id 1: contact_count is"), "\(removed.stderr)")
        try runJSON("run", quickstart)
        try tamper("UPDATE postings SET window_us = window_us - 1 WHERE run_id = 2 AND posting_id = 0")
        let result = try cli.decoy("rerun", "2")
        #expect(result.status == 3 && result.stdout.contains("posting 0: stored window"))
    }

    @Test func rerunCatchesATamperedDigest() throws {
        try runJSON("run", quickstart)
        try tamper("UPDATE runs SET digest = '00' || substr(digest, 3) WHERE run_id = 1")
        let result = try cli.decoy("rerun", "1")
        #expect(result.status == 3)
        #expect(result.stdout.contains("the digest was altered"))
    }

    @Test func rerunCatchesATamperedConfig() throws {
        try runJSON("run", quickstart)
        try tamper("UPDATE runs SET resolved_config = replace(resolved_config, '\"seed\":20161104', '\"seed\":20161105')")
        let result = try cli.decoy("rerun", "1")
        #expect(result.status == 1)
        #expect(result.stderr.contains("does not match its stored sha256"))
    }

    @Test func overridesAreAppliedAndStored() throws {
        try runJSON("run", quickstart, "--set", "arms.adult.response.initial=300/h", "--set", "arms.control.postings=3", "--seed", "99")
        let shown = try #require(try cli.json(try cli.decoy("show", "1", "--format", "json").stdout) as? [String: Any])
        #expect(shown["overrides"] as? String == #"["arms.adult.response.initial=300/h","arms.control.postings=3","seed=99"]"#)
        #expect(shown["seed"] as? String == "99")
        let resolved = try #require(shown["resolved_config"] as? String)
        #expect(resolved.contains(#""initial":"300/h""#))
        let config = try ConfigLoader.load(text: resolved, file: "resolved").config
        #expect(config.seed == 99 && config.arms[1].postings == 3)
        #expect(try cli.decoy("rerun", "1").status == 0)
        let arms = try #require(shown["arms"] as? [[String: Any]])
        #expect(arms[1]["postings"] as? String == "3")
    }

    @Test func unknownOverrideKeysAreRejectedWithASuggestion() throws {
        let typo = try cli.decoy("run", quickstart, "--set", "arms.adult.response.inital=300/h")
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("--set arms.adult.response.inital=…:1:21: arms[0].response.inital: unknown key; did you mean `initial`?"))
        let arm = try cli.decoy("validate", quickstart, "--set", "arms.adlt.postings=3")
        #expect(arm.status == 2)
        #expect(arm.stderr.contains("arms.adlt: no arm named `adlt`; did you mean `adult`?"))
        let top = try cli.decoy("run", quickstart, "--set", "sead=3")
        #expect(top.status == 2 && top.stderr.contains("did you mean `seed`?"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func replicatesArePooledByDefaultAndSeparableByReplicate() throws {
        try runJSON("run", quickstart, "--replicates", "3")
        let csv = try cli.decoy("curves", "1", "--metric", "mcf", "--format", "csv").stdout
        let pooled = csv.split(separator: "\n").dropFirst()
        #expect(pooled.count == 2 * 49)
        #expect(pooled.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[2].isEmpty })
        let last = try #require(pooled.lastIndex { $0.contains(",adult,") && $0.contains(",mcf,48,") })
        #expect(TestCLI.column("at_risk_postings", of: csv)[last - pooled.startIndex] == "30")   // 10 postings × 3 replicates
        let split = try cli.decoy("curves", "1", "--metric", "mcf", "--by", "replicate", "--format", "csv").stdout.split(separator: "\n").dropFirst()
        #expect(Set(split.map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }) == ["1", "2", "3"])
        #expect(split.count == 3 * 2 * 49)
    }

    @Test func sweepRunsEveryPointTagsItAndSkipsFinishedPointsOnResume() throws {
        let first = try runJSON("sweep", quickstart, "--grid", "arms.adult.response.initial=100/h,150/h", "--grid", "seed=1,2")
        let points = try #require(first["points"] as? [[String: Any]])
        #expect(points.map { $0["state"] as? String } == ["done", "done", "done", "done"])
        #expect(points.map { $0["point"] as? String } == [
            "arms.adult.response.initial=100/h seed=1", "arms.adult.response.initial=100/h seed=2",
            "arms.adult.response.initial=150/h seed=1", "arms.adult.response.initial=150/h seed=2",
        ])
        let again = try runJSON("sweep", quickstart, "--grid", "arms.adult.response.initial=100/h,150/h", "--grid", "seed=1,2")
        let resumed = try #require(again["points"] as? [[String: Any]])
        #expect(resumed.map { $0["state"] as? String } == ["skipped", "skipped", "skipped", "skipped"])
        #expect(resumed.map { $0["run_id"] as? Int } == points.map { $0["run_id"] as? Int })

        try runJSON("run", quickstart)
        let sweep = try #require(first["sweep"] as? String)
        let listed = try #require(try cli.json(try cli.decoy("runs", "--sweep", sweep, "--format", "json").stdout) as? [[String: Any]])
        #expect(listed.count == 4 && listed.allSatisfy { $0["sweep"] as? String == sweep })
        #expect(try (cli.json(try cli.decoy("runs", "--format", "json").stdout) as? [Any])?.count == 5)
    }

    @Test func sweepWithAMisspelledGridKeyRunsNothing() throws {
        let result = try cli.decoy("sweep", quickstart, "--grid", "arms.adult.response.intial=100/h,150/h")
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean `initial`?"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// Kills a sweep with SIGKILL while its second point is being written, then resumes it.
    @Test func interruptedSweepResumesWithoutRedoingFinishedPoints() throws {
        let arguments = ["sweep", quickstart, "--set", "arms.adult.postings=150", "--grid", "seed=1,2,3", "--quiet", "--format", "json"]
        let process = Process()
        process.executableURL = TestCLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = cli.folder
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Wait until point 1 is complete and point 2 has started, then kill.
        let path = cli.folder.appendingPathComponent("decoy.sqlite").path
        var killed = false
        for _ in 0..<3000 where process.isRunning {
            Thread.sleep(forTimeInterval: 0.01)
            guard FileManager.default.fileExists(atPath: path), let db = try? Database(path: path, create: false),
                  let runs = try? db.runs() else { continue }
            if runs.count == 2, runs[0].status == .complete, runs[1].status == .running {
                kill(process.processIdentifier, SIGKILL)
                killed = true
                break
            }
        }
        process.waitUntilExit()
        try #require(killed, "the sweep finished before it could be interrupted")
        let before = try Database(path: path, create: false).runs()
        #expect(before.map(\.status) == [.complete, .running])
        let listed = try #require(try cli.json(try cli.decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(listed.map { $0["status"] as? String } == ["complete", "interrupted"])

        let resumed = try runJSON("sweep", quickstart, "--set", "arms.adult.postings=150", "--grid", "seed=1,2,3")
        let points = try #require(resumed["points"] as? [[String: Any]])
        #expect(points.map { $0["state"] as? String } == ["skipped", "done", "done"])
        #expect(points[0]["run_id"] as? Int == Int(before[0].id))
        let after = try Database(path: path, create: false).runs()
        #expect(after.count == 3 && after.allSatisfy { $0.status == .complete })
        #expect(!after.contains { $0.id == before[1].id })
        // The redone point equals a run made from scratch.
        let fresh = try runJSON("run", quickstart, "--set", "arms.adult.postings=150", "--seed", "2", "--db", "fresh.sqlite")
        #expect(points[1]["digest"] as? String == fresh["digest"] as? String)
    }
}
