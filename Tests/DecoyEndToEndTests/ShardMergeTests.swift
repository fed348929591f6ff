import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// `run --shard K/N` and `merge`: the merged run's digest is the unsharded run's for any N; an
/// incomplete or foreign set is refused by name with nothing written; a killed merge is completed
/// by the next; a finished one is not stored twice.
@Suite struct ShardMergeTests {
    static func digest(_ result: TestCLI.Result) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        return try #require(object["digest"] as? String)
    }

    /// Runs shards 1…N of the quickstart with `replicates` into shard-K.sqlite files.
    static func shards(_ cli: TestCLI, _ n: Int, replicates: Int = 3, prefix: String = "shard", extra: [String] = []) throws -> [String] {
        try (1...n).map { k in
            let file = "\(prefix)-\(n)-\(k).sqlite"
            let result = try cli.decoy(arguments: ["run", cli.quickstartPath, "--set", "replicates=\(replicates)", "--shard", "\(k)/\(n)",
                                                   "--db", file, "--quiet", "--format", "json"] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            return file
        }
    }

    @Test func theMergedDigestIsTheUnshardedOneForAnyNumberOfShards() throws {
        let cli = try TestCLI()
        let whole = try Self.digest(try cli.decoy("run", cli.quickstartPath, "--set", "replicates=3", "--db", "whole.sqlite", "--quiet", "--format", "json"))
        for n in [1, 2, 3, 7] {
            let files = try Self.shards(cli, n)
            let merged = try cli.decoy(arguments: ["merge", "runs"] + files + ["--into", "merged-\(n).sqlite", "--format", "json", "--quiet"])
            #expect(try Self.digest(merged) == whole, "\(n) shards")
        }
        let rerun = try cli.decoy("rerun", "last", "--db", "merged-7.sqlite")
        #expect(rerun.status == 0 && rerun.stdout.hasPrefix("reproduced"), "\(rerun.stdout)\(rerun.stderr)")
        // A shard reruns over its own slice, and lists as a shard.
        let shardRerun = try cli.decoy("rerun", "1", "--db", "shard-7-4.sqlite")
        #expect(shardRerun.status == 0 && shardRerun.stdout.hasPrefix("reproduced"))
        let shown = try #require(try cli.json(try cli.decoy("show", "1", "--db", "shard-7-4.sqlite", "--format", "json").stdout) as? [String: Any])
        #expect((shown["shard"] as? String)?.hasPrefix("4/7, postings ") == true)
        let listed = try #require(try cli.json(try cli.decoy("runs", "--db", "shard-7-4.sqlite", "--format", "json").stdout) as? [[String: Any]])
        #expect(listed.first?["shard"] as? String == "4/7")
        #expect(try cli.decoy("delete", "1", "--db", "shard-7-1.sqlite").status == 0)
        #expect((try cli.json(try cli.decoy("runs", "--db", "shard-7-1.sqlite", "--format", "json").stdout) as? [Any])?.isEmpty == true)
        // Merging again stores nothing.
        let again = try cli.decoy(arguments: ["merge", "runs"] + (try Self.shards(cli, 2, prefix: "again")) + ["--into", "merged-2.sqlite", "--format", "json"])
        let object = try #require(try cli.json(again.stdout) as? [String: Any])
        #expect(object["already_merged"] as? Bool == true)
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", "merged-2.sqlite", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.count == 1)
    }

    @Test func incompleteDuplicateInterruptedAndForeignSetsAreRefusedByName() throws {
        let cli = try TestCLI()
        let files = try Self.shards(cli, 3)
        func refused(_ arguments: [String], _ message: String) throws {
            let result = try cli.decoy(arguments: ["merge", "runs"] + arguments + ["--into", "out.sqlite"])
            #expect(result.status != 0 && result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            let runs = try cli.decoy("runs", "--db", "out.sqlite", "--format", "json")
            let listed = (try? cli.json(runs.stdout)) as? [Any]
            let nothing = runs.status != 0 || listed?.isEmpty == true
            #expect(nothing, "something was written for \(arguments)")
        }
        try refused([files[0], files[2]], "the shards are incomplete: missing 2; nothing was merged; resubmit them with `sbatch --array=2 experiments/slurm/shard-array.sbatch`")
        // --into a shard through a symlink: refused by identity, the shard untouched.
        try FileManager.default.createSymbolicLink(atPath: cli.path("link.sqlite"), withDestinationPath: cli.path(files[1]))
        let into = try cli.decoy(arguments: ["merge", "runs"] + files + ["--into", "link.sqlite"])
        #expect(into.status != 0 && into.stderr.contains("--into names one of the input files"), "\(into.stderr)")
        #expect((try cli.json(try cli.decoy("runs", "--db", files[1], "--format", "json").stdout) as? [Any])?.count == 1)
        try refused([files[0], files[1], files[2], files[1]], "shard 2 is finished in more than one file")
        let otherSeed = try Self.shards(cli, 3, prefix: "seed", extra: ["--seed", "9"])
        try refused([files[0], files[1], otherSeed[2]], "file 3: run 1 belongs to another whole (its config sha256, seed differ from the shards of file 1)")
        let otherN = try Self.shards(cli, 2, prefix: "n")
        try refused([files[0], files[1], otherN[1]], "its number of shards (2, not 3) differs")
        // An interrupted shard (SIGINT as its first chunk arrives): named with its status and file.
        let stopped = try cli.decoy(arguments: ["run", cli.quickstartPath, "--set", "replicates=600", "--shard", "2/3", "--db", "stopped.sqlite", "--quiet"],
                                    environment: ["DECOY_FAILPOINT": "run-chunk:1"])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        let big = try Self.shards(cli, 3, replicates: 600, prefix: "big").enumerated().filter { $0.offset != 1 }.map(\.element)
        try refused([big[0], "stopped.sqlite", big[1]], "not finished 2 (interrupted in file 2)")
        let status = try cli.decoy("merge", "runs", big[0], "stopped.sqlite", big[1], "--status")
        #expect(status.status == 1 && status.stdout.contains("sbatch --array=2 "))
        // Resumed in place, the shard finishes to the digest of an uninterrupted shard 2.
        let resumed = try cli.decoy("resume", "1", "--db", "stopped.sqlite", "--format", "json")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let fresh = try cli.decoy("run", cli.quickstartPath, "--set", "replicates=600", "--shard", "2/3", "--db", "fresh.sqlite", "--quiet", "--format", "json")
        #expect(try Self.digest(resumed) == (try Self.digest(fresh)))
    }

    /// One arm of 300 postings, contacts at 2 an hour for 24 hours.
    static let wide = """
        version: 1
        name: s
        seed: 11
        start: 2024-01-01T00:00:00+00:00
        horizon: 24h
        arms:
          - name: a
            postings: 300
            schedule: { offset: 0h, every: 1h }
            response: { model: poisson, rate: 2/h }
        """

    /// Edits of a finished shard's file, and what the refusal says differs.
    static let damages: [(sql: String, says: String)] = [
        ("UPDATE contacts SET t_us = t_us + 1 WHERE contact_id = (SELECT min(contact_id) FROM contacts)", "digest to another value"),
        ("DELETE FROM postings WHERE posting_id = (SELECT max(posting_id) FROM postings)", "holds 149 postings where its run records 150"),
        ("UPDATE postings SET contact_count = contact_count + 3 WHERE posting_id = (SELECT min(posting_id) FROM postings)", "its run 1 is damaged: postings row posting_id 151: its contacts"),
        ("DELETE FROM contacts WHERE contact_id = (SELECT contact_id FROM posting_contacts WHERE seq = 1 ORDER BY posting_id LIMIT 1)", "its run 1 is damaged: postings row posting_id 150: contact_count is"),
        ("UPDATE postings SET window_us = window_us - 1 WHERE posting_id = (SELECT min(posting_id) FROM postings)", "digest to another value"),
        ("UPDATE postings SET arm_id = 7 WHERE posting_id = (SELECT min(posting_id) FROM postings)", "its run 1 is damaged: postings row posting_id 150: arm_id is 7"),
        ("UPDATE runs SET tool_version = tool_version || '+edited'", "its tool_version differs from that of the shard in file 1"),
        ("UPDATE runs SET horizon_us = horizon_us + 1", "its horizon differs from its stored config's"),
        ("UPDATE runs SET digest = '00' || substr(digest, 3)", "digest to another value"),
    ]

    /// A shard edited after it finished is refused before anything is written, naming the file by
    /// its place in the list (never its name, which may be an identifier) and what differs.
    @Test(arguments: damages.indices)
    func aShardEditedAfterItFinishedIsRefusedWithNothingWritten(damage: Int) throws {
        let cli = try TestCLI()
        try cli.write("s.yaml", Self.wide)
        let files = ["+33612345678-1.sqlite", "+33612345678-2.sqlite"]
        for (k, file) in files.enumerated() {
            let result = try cli.decoy("run", "s.yaml", "--shard", "\(k + 1)/2", "--db", file, "--quiet")
            #expect(result.status == 0, "\(result.stderr)")
        }
        try Connection(path: cli.path(files[1]), create: false).execute(Self.damages[damage].sql)
        let merged = try cli.decoy(arguments: ["merge", "runs"] + files + ["--into", "merged.sqlite", "--quiet"])
        #expect(merged.status == 1, "\(merged.stdout)")
        // Rows that disagree with one another are found as the file is read; the rest by its digest and counts.
        #expect(merged.stderr.hasPrefix("error: file 2 (shard 2/2, run 1) is not as it was when it finished: ")
                    || merged.stderr.hasPrefix("error: file 2 cannot be read: its run 1 is damaged: "), "\(merged.stderr)")
        #expect(merged.stderr.contains(Self.damages[damage].says) && merged.stderr.contains("nothing was merged"), "\(merged.stderr)")
        #expect(!merged.stderr.contains("33612345678"), "\(merged.stderr)")
        let runs = try cli.decoy("runs", "--db", "merged.sqlite", "--format", "json")
        #expect(runs.status != 0 || (try? cli.json(runs.stdout) as? [Any])?.isEmpty == true, "something was written: \(runs.stdout)")
        #expect(!cli.exists("merged.sqlite"))
    }

    /// What a merge killed between two chunks leaves (its run `interrupted`, holding a prefix of
    /// the postings and their contacts; each chunk is one transaction) is completed by the next
    /// merge of the same shards, to the unsharded digest.
    @Test func anInterruptedMergeIsCompletedByTheNext() throws {
        let cli = try TestCLI()
        let whole = try Self.digest(try cli.decoy("run", cli.quickstartPath, "--set", "replicates=150", "--db", "whole.sqlite", "--quiet", "--format", "json"))
        let files = try Self.shards(cli, 2, replicates: 150)
        // Killed (-9) as the second chunk arrives: the first is committed, the rest is not.
        let target = "merged.sqlite"
        let killed = try cli.decoy(arguments: ["merge", "runs"] + files + ["--into", target, "--quiet"], environment: ["DECOY_FAILPOINT": "merge-chunk:2:kill"])
        #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
        let runs = try cli.decoy("runs", "--db", target, "--format", "json")
        let listed = try #require(try cli.json(runs.stdout) as? [[String: Any]])
        let first = try #require(listed.first)
        #expect(first["status"] as? String == "interrupted" && (first["postings"] as? Int ?? 0) > 0, "\(listed)")
        let second = try cli.decoy(arguments: ["merge", "runs"] + files + ["--into", target, "--format", "json", "--quiet"])
        #expect(try Self.digest(second) == whole)
        let after = try #require(try cli.json(try cli.decoy("runs", "--db", target, "--format", "json").stdout) as? [[String: Any]])
        #expect(after.count == 1 && after[0]["status"] as? String == "complete")
        #expect(try cli.decoy("rerun", "1", "--db", target).status == 0)
    }

    @Test func autoReadsTheSlurmArrayIndexEitherBase() throws {
        let cli = try TestCLI()
        let one = try cli.decoy(arguments: ["run", cli.quickstartPath, "--shard", "auto/3", "--db", "a.sqlite", "--quiet"],
                                environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "1"])
        #expect(one.status == 0, "\(one.stderr)")
        let zero = try cli.decoy(arguments: ["run", cli.quickstartPath, "--shard", "auto/3", "--db", "b.sqlite", "--quiet"],
                                 environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_MIN": "0"])
        #expect(zero.status == 0, "\(zero.stderr)")
        for file in ["a.sqlite", "b.sqlite"] {
            let shown = try #require(try cli.json(try cli.decoy("show", "1", "--db", file, "--format", "json").stdout) as? [String: Any])
            #expect((shown["shard"] as? String)?.hasPrefix("2/3,") == true, "\(file)")
        }
        let unset = try cli.decoy(arguments: ["run", cli.quickstartPath, "--shard", "auto/3", "--db", "c.sqlite"], environment: ["SLURM_ARRAY_TASK_ID": nil])
        #expect(unset.status == 64 && unset.stderr.contains("reads $SLURM_ARRAY_TASK_ID"))
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            let result = try cli.decoy("run", cli.quickstartPath, "--shard", bad, "--db", "d.sqlite")
            #expect(result.status == 64 && result.stderr.contains("--shard expects K/N"), "\(bad): \(result.stderr)")
        }
        #expect(!cli.exists("c.sqlite") && !cli.exists("d.sqlite"))
    }

    @Test func shardedPowerMergesToTheUnshardedJSONByteForByte() throws {
        let cli = try TestCLI()
        let common = ["power", cli.quickstartPath, "--arms", "adult,control", "--test", "rate-ratio", "--postings", "2,4,7", "--sims", "301"]
        let whole = try cli.decoy(arguments: common + ["--format", "json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        for n in [2, 3] {
            let parts = try (1...n).map { k -> String in
                let file = "part-\(n)-\(k).json"
                let result = try cli.decoy(arguments: common + ["--shard", "\(k)/\(n)", "--out", file, "--jobs", k % 2 == 0 ? "1" : "2"])
                #expect(result.status == 0, "\(result.stderr)")
                return file
            }
            let merged = try cli.decoy(arguments: ["merge", "power"] + parts.reversed() + ["--into", "power-\(n).json"])
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(try String(contentsOfFile: cli.path("power-\(n).json"), encoding: .utf8) == whole.stdout, "\(n) parts")
        }
        let missing = try cli.decoy("merge", "power", "part-3-1.json", "part-3-3.json", "--into", "partial.json")
        #expect(missing.status != 0 && missing.stderr.contains("parts 2 of 3 are missing") && !cli.exists("partial.json"))
        let foreign = try cli.decoy("merge", "power", "part-3-1.json", "part-2-2.json", "--into", "partial.json")
        #expect(foreign.status != 0 && foreign.stderr.contains("part file 2 is a part of another power analysis"), "\(foreign.stderr)")
        // --into is never one of the parts, however it is spelled.
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.path("part-3-1.json")))
        let over = try cli.decoy("merge", "power", "part-3-1.json", "part-3-2.json", "part-3-3.json", "--into", "./part-3-1.json")
        #expect(over.status != 0 && over.stderr.contains("--into names one of the input files"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("part-3-1.json"))) == before)
        let search = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--max-postings", "8", "--shard", "1/2", "--out", "s.json")
        #expect(search.status != 0 && search.stderr.contains("--max-postings decides from all of them"))
    }

    @Test func shardedSweepMergesToTheSweepsRuns() throws {
        let cli = try TestCLI()
        let sweep = ["sweep", cli.quickstartPath, "--grid", "seed=1,2,3,4,5", "--quiet", "--format", "json"]
        let whole = try #require(try cli.json(try cli.decoy(arguments: sweep + ["--db", "whole.sqlite"]).stdout) as? [String: Any])
        let wholePoints = try #require(whole["points"] as? [[String: Any]])
        for k in 1...2 { #expect(try cli.decoy(arguments: sweep + ["--shard", "\(k)/2", "--db", "s\(k).sqlite"]).status == 0) }
        #expect(try cli.decoy("merge", "sweep", "s1.sqlite", "s2.sqlite", "--into", "merged.sqlite").status == 0)
        let id = try #require(whole["sweep"] as? String)
        let runs = try #require(try cli.json(try cli.decoy("runs", "--sweep", id, "--db", "merged.sqlite", "--format", "json").stdout) as? [[String: Any]])
        let merged = Dictionary(uniqueKeysWithValues: runs.map { ($0["sweep_point"] as! String, $0["digest"] as! String) })
        #expect(merged.count == 5)
        for point in wholePoints { #expect(merged[point["point"] as! String] == point["digest"] as? String) }
        // Again: nothing stored twice.
        #expect(try cli.decoy("merge", "sweep", "s1.sqlite", "s2.sqlite", "--into", "merged.sqlite").status == 0)
        #expect((try cli.json(try cli.decoy("runs", "--db", "merged.sqlite", "--format", "json").stdout) as? [Any])?.count == 5)
    }
    /// Two arms of 10 postings, 2 contacts an hour for 24 hours.
    static let pair = TestCLI.twoArmConfig

    /// A sweep's shard files must hold every point of its grid, of that one sweep, each intact:
    /// else refused with the missing points listed by their place in the grid and nothing written;
    /// `--status` lists the points.
    @Test func anIncompleteForeignOrEditedSweepIsRefusedAndListed() throws {
        let cli = try TestCLI()
        try cli.write("c.yaml", Self.pair)
        try cli.write("s.yaml", Self.wide)
        let sweep = ["sweep", "c.yaml", "--grid", "arms.a.postings=2,3,4", "--quiet"]
        for k in 1...2 { #expect(try cli.decoy(arguments: sweep + ["--shard", "\(k)/2", "--db", "s\(k).sqlite"]).status == 0) }
        #expect(try cli.decoy("sweep", "s.yaml", "--grid", "seed=1,2", "--db", "other.sqlite", "--quiet").status == 0)
        func refused(_ files: [String], _ message: String) throws {
            let result = try cli.decoy(arguments: ["merge", "sweep"] + files + ["--into", "m.sqlite"])
            #expect(result.status == 1 && result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(files): \(result.stderr)")
            #expect(!cli.exists("m.sqlite"), "\(files)")
        }
        try refused(["s1.sqlite"], "the sweep's points are incomplete: missing points 2 of 3 (in grid order)")
        try refused(["s1.sqlite", "s2.sqlite", "other.sqlite"], "the files hold points of 2 sweeps (sweep 1 in files 1 and 2; sweep 2 in file 3)")
        try refused(["s1.sqlite", "s2.sqlite", "s2.sqlite"], "finished in more than one file (files 2 and 3)")
        let status = try cli.decoy("merge", "sweep", "--status", "s1.sqlite", "--format", "json")
        #expect(status.status == 1, "\(status.stderr)")
        let listed = try #require(try cli.json(status.stdout) as? [String: Any])
        #expect(listed["complete"] as? Bool == false && listed["missing"] as? [Int] == [2] && listed["grid_points"] as? Int == 3)
        #expect(try cli.decoy("merge", "sweep", "--status", "s2.sqlite", "s1.sqlite").status == 0)
        // A point's run edited after it finished.
        try FileManager.default.copyItem(atPath: cli.path("s2.sqlite"), toPath: cli.path("edited.sqlite"))
        try Connection(path: cli.path("edited.sqlite"), create: false).execute("UPDATE contacts SET t_us = t_us + 1 WHERE contact_id = 3")
        try refused(["s1.sqlite", "edited.sqlite"], "file 2 (run 1) is not as it was when it finished: its stored events digest to another value")
        // Files of a version that did not record the grid: missing points cannot be told.
        for k in 1...2 {
            try FileManager.default.copyItem(atPath: cli.path("s\(k).sqlite"), toPath: cli.path("old\(k).sqlite"))
            try Connection(path: cli.path("old\(k).sqlite"), create: false).execute("DELETE FROM sweeps")
        }
        try refused(["old1.sqlite", "old2.sqlite"], "do not record their sweep's grid")
        let merged = try cli.decoy("merge", "sweep", "s2.sqlite", "s1.sqlite", "--into", "m.sqlite", "--format", "json")
        #expect(merged.status == 0, "\(merged.stderr)")
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", "m.sqlite", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.map { $0["sweep_point"] as? String } == ["arms.a.postings=2", "arms.a.postings=3", "arms.a.postings=4"])
    }
    /// What to merge is named by a subcommand, never guessed from the files' names: files of
    /// another kind are refused by their place, and a power part is a part whatever its name.
    @Test func mergeIsToldWhatItMerges() throws {
        let cli = try TestCLI()
        try cli.write("c.yaml", Self.pair)
        let run = try Self.shards(cli, 1)
        #expect(try cli.decoy("sweep", "c.yaml", "--grid", "seed=1,2", "--db", "sweep.sqlite", "--quiet").status == 0)
        let power = ["power", "c.yaml", "--arms", "a,b", "--test", "rate-ratio", "--postings", "2", "--sims", "100"]
        #expect(try cli.decoy(arguments: power + ["--shard", "1/1", "--out", "part.sqlite"]).status == 0)
        let unnamed = try cli.decoy("merge", "+33612345678.sqlite", "--into", "x.sqlite")
        #expect(unnamed.status == 64 && unnamed.stderr.contains("merge expects what to merge first: `merge runs"), "\(unnamed.stderr)")
        #expect(!unnamed.stderr.contains("33612345678"))
        let wrong: [([String], String)] = [
            (["runs", "sweep.sqlite"], "file 1 holds no shard run"),
            (["sweep", run[0]], "file 1 holds no sweep point's run"),
            (["power", run[0]], "part file 1: not a JSON object"),
            (["runs", run[0], "+33612345678.sqlite"], "file 2 cannot be read: there is no such file"),
            (["sweep", "sweep.sqlite", "c.yaml"], "file 2 cannot be read: "),
        ]
        for (arguments, message) in wrong {
            let result = try cli.decoy(arguments: ["merge"] + arguments + ["--into", "x.out"])
            #expect(result.status == 1 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("33612345678") && !result.stderr.contains("c.yaml"), "\(arguments): \(result.stderr)")
        }
        #expect(!cli.exists("x.sqlite") && !cli.exists("x.out"))
        let merged = try cli.decoy("merge", "power", "part.sqlite", "--into", "power.json")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try String(contentsOfFile: cli.path("power.json"), encoding: .utf8) == (try cli.decoy(arguments: power + ["--format", "json"])).stdout)
    }
}
