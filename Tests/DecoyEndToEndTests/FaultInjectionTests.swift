import DecoyModel
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Faults caused on purpose, the way SQLite tests itself: processes killed mid-write, a file
/// system that fills up, readers and writers at once, damaged and foreign files, hostile input.
@Suite(.serialized) struct FaultInjectionTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws { cli = try TestCLI() }

    func path(_ name: String) -> String { cli.folder.appendingPathComponent(name).path }

    func integrity(_ name: String) throws -> String {
        let connection = try Connection(path: path(name), create: false)
        let statement = try connection.statement("PRAGMA integrity_check")
        _ = try statement.step()
        defer { try? statement.finish() }
        return try statement.text(0)
    }

    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = TestCLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = cli.folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func digest(_ run: String, db: String) throws -> String? {
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", db, "--format", "json").stdout) as? [[String: Any]])
        return runs.first { String($0["run_id"] as? Int ?? -1) == run }?["digest"] as? String
    }

    /// Kill -9 just before the K-th chunk of a run is stored (a failpoint), for several K: the
    /// file passes integrity_check, the earlier run is intact and reproducible, the killed run
    /// shows as interrupted holding the chunks before K, and resuming it gives the digest of an
    /// uninterrupted run.
    @Test(arguments: [1, 2, 3, 5])
    func killedRunsLeaveAConsistentFileAndResumeToTheSameDigest(chunk: Int) throws {
        // 22,000 postings with few contacts: a few dozen chunks.
        let size = ["--set", "replicates=1100", "--set", "arms.adult.response.initial=1/h", "--set", "arms.adult.response.baseline=0.01/h", "--quiet"]
        let reference = try cli.decoy(arguments: ["run", quickstart, "--db", "reference.sqlite", "--format", "json"] + size)
        let expected = try #require((try cli.json(reference.stdout) as? [String: Any])?["digest"] as? String)
        let db = "killed.sqlite"
        #expect(try cli.decoy(arguments: ["run", quickstart, "--db", db, "--set", "arms.adult.postings=3", "--quiet"]).status == 0)
        let killed = try cli.decoy(arguments: ["run", quickstart, "--db", db] + size, environment: ["DECOY_FAILPOINT": "run-chunk:\(chunk):kill"])
        #expect(killed.status == SIGKILL, "\(killed.status): \(killed.stderr)")
        #expect(try integrity(db) == "ok")
        #expect(try cli.decoy("rerun", "1", "--db", db).status == 0, "the earlier run")
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", db, "--format", "json").stdout) as? [[String: Any]])
        try #require(runs.count == 2)
        #expect(runs[1]["status"] as? String == "interrupted")
        let stored = runs[1]["postings"] as? Int ?? -1
        #expect(chunk == 1 ? stored == 0 : stored > 0 && stored < 22_000, "\(runs[1])")
        let resumed = try cli.decoy("resume", "2", "--db", db, "--format", "json")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect((try cli.json(resumed.stdout) as? [String: Any])?["digest"] as? String == expected)
    }

    static let canMount: Bool = {
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-mount-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        let mounted = Self.shell("mount -t tmpfs -o size=1m tmpfs \(probe.path)") == 0
        if mounted { _ = Self.shell("umount \(probe.path)") }
        return mounted
    }()

    @discardableResult
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " >/dev/null 2>&1"]
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A 3 MB file system fills during a run: a clear message naming the file and the cause,
    /// a non-zero exit, the run shown as interrupted, the earlier run intact.
    @Test(.enabled(if: canMount, "needs root to mount a small tmpfs"))
    func fullDiskIsReportedAndHarmsNothingStored() throws {
        let small = cli.folder.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=3m tmpfs \(small.path)") == 0)
        defer { Self.shell("umount \(small.path)") }
        let db = "small/decoy.sqlite"
        #expect(try cli.decoy("run", quickstart, "--db", db, "--set", "arms.adult.postings=2", "--quiet").status == 0)
        let full = try cli.decoy("run", quickstart, "--db", db, "--set", "arms.adult.postings=400", "--quiet")
        #expect(full.status == 1)
        #expect(full.stderr.hasPrefix("error: \(db): SQLite error 13 (disk full)"), "\(full.stderr)")
        #expect(try integrity(db) == "ok")
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", db, "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.first?["status"] as? String == "complete")
        #expect(runs.count == 1 || runs[1]["status"] as? String == "interrupted")
        #expect(try cli.decoy("rerun", "1", "--db", db).status == 0)
        print("fault injection: full disk at \(runs.count == 2 ? "run 2 (marked interrupted)" : "run start")")
    }

    @Test(.enabled(if: canMount, "needs root to mount a read-only tmpfs"))
    func readOnlyLocationServesReadersAndRefusesWriters() throws {
        let place = cli.folder.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
        #expect(Self.shell("mount -t tmpfs -o size=8m tmpfs \(place.path)") == 0)
        defer { Self.shell("umount \(place.path)") }
        #expect(try cli.decoy("run", quickstart, "--db", "ro/decoy.sqlite", "--quiet").status == 0)
        #expect(Self.shell("mount -o remount,ro \(place.path)") == 0)
        #expect(try cli.decoy("curves", "1", "--db", "ro/decoy.sqlite", "--format", "csv").status == 0)
        let refused = try cli.decoy("run", quickstart, "--db", "ro/decoy.sqlite", "--quiet")
        #expect(refused.status == 1 && refused.stderr.contains("read-only"), "\(refused.stderr)")
    }

    @Test func readersWorkWhileARunIsWrittenAndTwoWritersSerialise() throws {
        #expect(try cli.decoy("run", quickstart, "--quiet").status == 0)
        let writers = try (0..<2).map { _ in try start(["run", quickstart, "--set", "arms.adult.postings=120", "--quiet"]) }
        var reads = 0
        while writers.contains(where: \.isRunning) {
            for arguments in [["runs", "--format", "json"], ["curves", "1", "--format", "csv"], ["show", "1"], ["export", "1", "--table", "postings"]] {
                let result = try cli.decoy(arguments: arguments)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                reads += 1
            }
        }
        for writer in writers {
            writer.waitUntilExit()
            #expect(writer.terminationStatus == 0)
        }
        let runs = try #require(try cli.json(try cli.decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.map { $0["status"] as? String } == ["complete", "complete", "complete"])
        #expect(runs[1]["digest"] as? String == runs[2]["digest"] as? String)
        #expect(try integrity("decoy.sqlite") == "ok")
        print("fault injection: \(reads) reads during two concurrent writers")
    }

    @Test func damagedFilesAreRefusedClearly() throws {
        #expect(try cli.decoy("run", quickstart, "--quiet").status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path("decoy.sqlite")))
        for i in stride(from: 4096, to: min(bytes.count, 40_000), by: 7) { bytes[i] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: path("damaged.sqlite")))
        for arguments in [["runs"], ["curves", "1"], ["export", "1", "--table", "events"], ["rerun", "1"]] {
            let result = try cli.decoy(arguments: arguments + ["--db", "damaged.sqlite"])
            #expect(result.status != 0 || arguments == ["runs"], "\(arguments)")
            if result.status != 0 { #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)") }
            #expect(result.status < 128, "\(arguments) crashed")
        }
        try Data("SQLite format 3\u{0}".utf8 + [UInt8](repeating: 0xFF, count: 500)).write(to: URL(fileURLWithPath: path("header.sqlite")))
        let header = try cli.decoy("runs", "--db", "header.sqlite")
        #expect(header.status == 1 && header.stderr.hasPrefix("error: header.sqlite"))
        let newer = path("newer.sqlite")
        _ = try Database(path: newer, create: true)
        try Connection(path: newer, create: false).execute("PRAGMA user_version = 99")
        let before = try Data(contentsOf: URL(fileURLWithPath: newer))
        let refused = try cli.decoy("run", quickstart, "--db", "newer.sqlite")
        #expect(refused.status == 1 && refused.stderr.contains("schema version 99, newer than this decoy supports"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: newer)) == before)
    }

    @Test func hostileConfigsGetLocatedErrorsNotCrashes() throws {
        let cases: [(String, String)] = [
            ("huge.yaml", "version: 1\nname: h\nseed: 99999999999999999999999\nstart: 2020-01-01T00:00:00Z\nhorizon: 1e400h\narms: []\n"),
            ("nan.yaml", "version: 1\nname: h\nseed: 1\nstart: 2020-01-01T00:00:00Z\nhorizon: nanh\ngrid: .nan\narms:\n  - { name: a, postings: 1, response: { model: poisson, rate: nan/h } }\n"),
            ("deep.yaml", "arms: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"),
            ("binary.yaml", String(decoding: (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, as: UTF8.self)),
            ("tabs.yaml", "version:\t1\n\tname: x\n"),
        ]
        for (name, text) in cases {
            try cli.write(name, text)
            let result = try cli.decoy("validate", name)
            #expect(result.status == 2, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(name)")
        }
        // An alias bomb is composed lazily by reference and read shallowly: a quick refusal.
        var bomb = "version: 1\nname: b\nseed: 1\nstart: 2020-01-01T00:00:00Z\nhorizon: 1h\nx0: &x0 [a, a, a, a, a, a, a, a, a]\n"
        for i in 1..<10 { bomb += "x\(i): &x\(i) [" + Array(repeating: "*x\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        bomb += "arms: *x9\n"
        try cli.write("bomb.yaml", bomb)
        let clock = ContinuousClock.now
        let result = try cli.decoy("validate", "bomb.yaml")
        #expect(result.status == 2 && ContinuousClock.now - clock < .seconds(20))
        // 10 MB and a binary file.
        try Data(repeating: 0x61, count: 10 << 20).write(to: URL(fileURLWithPath: path("big.yaml")))
        let big = try cli.decoy("validate", "big.yaml")
        #expect(big.status == 2 && big.stderr.contains("a config may have at most 1048576"))
        try Data([0xFF, 0xFE, 0x00, 0x01, 0x80]).write(to: URL(fileURLWithPath: path("bytes.yaml")))
        #expect(try cli.decoy("validate", "bytes.yaml").stderr.contains("not UTF-8"))
        // Hostile --set values.
        for value in ["arms.adult.postings=1e309", "seed=-1", "arms.adult.response={model: hawkes}", "horizon=", "arms.adult.response.initial=[[[[", "arms.0.postings=2"] {
            let set = try cli.decoy("validate", quickstart, "--set", value)
            #expect(set.status == 2, "\(value): \(set.status) \(set.stderr)")
        }
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func runsExpectedToBeHugeAskForAllowLarge() throws {
        let result = try cli.decoy("run", quickstart, "--set", "arms.adult.postings=200000")
        #expect(result.status == 1)
        #expect(result.stderr.contains("more than 100 million; pass --allow-large"))
        #expect(!cli.exists("decoy.sqlite"))
    }
}
