import DecoyTestSupport
import Foundation
import Testing

/// A real Slurm: `scripts/slurm-cluster.sh` starts a one-node cluster (Debian's slurm-wlm and
/// munge), `experiments/slurm/submit.sh` submits a 4-shard array of a real experiment and a merge
/// job that waits for it (afterok), and the merged run's digest must be the unsharded run's.
/// `.ci/run` installs the packages and sets `DECOY_SLURM_REQUIRED=1`, so there a missing Slurm
/// fails this test; elsewhere it is skipped with the reason.
@Suite(.serialized) struct SlurmArrayTests {
    static var required: Bool {
        !["", "0", "false", "no"].contains((ProcessInfo.processInfo.environment["DECOY_SLURM_REQUIRED"] ?? "").lowercased())
    }
    static var available: Bool {
        getuid() == 0 && ["/usr/sbin/slurmctld", "/usr/bin/sbatch", "/usr/sbin/munged"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func shell(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) throws -> TestCLI.Result {
        try TestProcess.run(["bash"] + arguments, environment: environment, timeout: timeout)
    }

    @Test(.enabled(if: available || required, "no Slurm here (needs root and Debian's slurm-wlm and munge: apt-get install slurm-wlm munge): the array test does not run"))
    func aFourShardArrayMergesToTheUnshardedDigest() throws {
        let cli = try TestCLI()
        // Outside the test's own folder, which the slurm user may not enter.
        let state = "/tmp/decoy-slurm-test-\(getpid())"
        let started = try Self.shell(["scripts/slurm-cluster.sh", "start", state], timeout: 240)
        defer {
            let stopped = try? Self.shell(["scripts/slurm-cluster.sh", "stop", state], timeout: 120)
            print("slurm: cluster stopped (exit \(stopped?.status ?? -1))")
            try? FileManager.default.removeItem(atPath: state)
        }
        try #require(started.status == 0, "the cluster did not start: \(started.stdout)\(started.stderr)")
        let env = try Self.shell(["scripts/slurm-cluster.sh", "env", state])
        let conf = try #require(env.stdout.split(separator: "=", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "'\""))) })

        // A real experiment: the quickstart with 4 replicates (80 postings), its config in a file.
        var config = try String(contentsOfFile: cli.quickstartPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "replicates: 1", with: "replicates: 4")
        try cli.write("study.yaml", config)
        let whole = try cli.decoy("run", cli.path("study.yaml"), "--db", "whole.sqlite", "--quiet", "--format", "json")
        let digest = try #require((try cli.json(whole.stdout) as? [String: Any])?["digest"] as? String)

        let out = cli.path("out")
        let submitted = try Self.shell(["experiments/slurm/submit.sh", cli.path("study.yaml"), "4", out],
                                       environment: ["DECOY": TestCLI.binary.path, "SLURM_CONF": conf])
        try #require(submitted.status == 0, "sbatch failed: \(submitted.stdout)\(submitted.stderr)")
        print("slurm: \(submitted.stdout.split(separator: "\n").prefix(2).joined(separator: "; "))")
        let merged = out + "/merged.sqlite"
        let deadline = Date().addingTimeInterval(240)
        while !FileManager.default.fileExists(atPath: merged), Date() < deadline { Thread.sleep(forTimeInterval: 1) }
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: out + "/logs")) ?? []
        let mergeLog = logs.filter { $0.hasPrefix("merge-") }.compactMap { try? String(contentsOfFile: out + "/logs/" + $0, encoding: .utf8) }.joined()
        try #require(FileManager.default.fileExists(atPath: merged), "no merged.sqlite after 240 s; logs: \(logs), merge log: \(mergeLog)")
        #expect((1...4).allSatisfy { FileManager.default.fileExists(atPath: out + "/shard-\($0).sqlite") })
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", merged, "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["status"] as? String == "complete")
        #expect(runs.first?["digest"] as? String == digest, "merged \(runs.first?["digest"] ?? "-") against unsharded \(digest)")
        #expect(mergeLog.contains("reproduced"), "\(mergeLog)")
        print("slurm: 4 shards through sbatch merged to digest \(digest.prefix(12))…, the unsharded run's")
    }
}
