import DecoyTestSupport
import Foundation
import Testing

/// Where `--out` may write: never over the database or its journals, through symlinks, into
/// devices and FIFOs in place, keeping a file's permissions, and leaving no temporary file when
/// interrupted.
@Suite struct OutputTargetTests {
    let cli: TestCLI

    init() throws {
        cli = try TestCLI()
        let run = try cli.decoy("run", cli.quickstartPath, "--quiet", "--db", "s.sqlite")
        #expect(run.status == 0, "\(run.stderr)")
    }

    func path(_ name: String) -> String { cli.folder.appendingPathComponent(name).path }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasSuffix(".tmp") }
    }

    func databaseIsIntact() throws {
        let runs = try cli.decoy("runs", "--db", "s.sqlite", "--format", "json")
        #expect(runs.status == 0, "\(runs.stderr)")
        #expect(runs.stdout.contains("\"run_id\""))
    }

    @Test(arguments: [
        ["export", "1", "--table", "events"],
        ["export", "1", "--table", "postings"],
        ["curves", "1", "--format", "csv"],
    ])
    func refusesTheDatabaseInAnySpelling(command: [String]) throws {
        try FileManager.default.createSymbolicLink(atPath: path("link.sqlite"), withDestinationPath: "s.sqlite")
        let absolute = path("s.sqlite")
        for target in ["s.sqlite", "./s.sqlite", absolute, "link.sqlite", "../\(cli.folder.lastPathComponent)/s.sqlite", "s.sqlite-wal", "s.sqlite-shm", "s.sqlite-journal"] {
            let result = try cli.decoy(arguments: command + ["--out", target, "--db", "s.sqlite"])
            #expect(result.status != 0, "\(target) was accepted")
            #expect(result.stderr.hasPrefix("error: "), "\(target): \(result.stderr)")
            #expect(result.stderr.contains("database"), "\(target): \(result.stderr)")
            try databaseIsIntact()
        }
        #expect(try leftovers().isEmpty)
    }

    /// Every output of `power` is refused when it is its config, the database, or its other output,
    /// in any spelling or through a hard link, before any work; nothing is written.
    @Test func powerNeverWritesOverItsInputsOrItsOtherOutput() throws {
        try cli.write("c.yaml", try String(contentsOfFile: cli.quickstartPath, encoding: .utf8))
        try FileManager.default.linkItem(atPath: path("c.yaml"), toPath: path("hard.yaml"))
        let original = try String(contentsOfFile: path("c.yaml"), encoding: .utf8)
        let power = ["power", "c.yaml", "--arms", "adult,control", "--postings", "2", "--sims", "5", "--db", "s.sqlite"]
        let cases: [([String], String)] = [
            (["--report", "c.yaml"], "--report names the config"),
            (["--out", "c.yaml"], "--out names the config"),
            (["--out", "./hard.yaml"], "--out names the config"),
            (["--out", "x.html", "--report", "./x.html"], "--out and --report name the same file"),
            (["--report", "s.sqlite"], "--report names the database"),
            (["--report", "s.sqlite-wal"], "--report names the database's wal file"),
        ]
        for (flags, message) in cases {
            let result = try cli.decoy(arguments: power + flags)
            #expect(result.status == 1, "\(flags): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(flags): \(result.stderr)")
            #expect(try String(contentsOfFile: path("c.yaml"), encoding: .utf8) == original)
            #expect(!cli.exists("x.html"))
            try databaseIsIntact()
        }
        try FileManager.default.linkItem(atPath: path("s.sqlite"), toPath: path("other.sqlite"))
        let database = try cli.decoy(arguments: power + ["--out", "other.sqlite"])
        #expect(database.status == 1 && database.stderr.contains("--out names the database"), "\(database.stderr)")
        #expect(try leftovers().isEmpty)
    }

    @Test func refusesAHardLinkToTheDatabase() throws {
        try FileManager.default.linkItem(atPath: path("s.sqlite"), toPath: path("hard.sqlite"))
        let result = try cli.decoy("export", "1", "--table", "events", "--out", "hard.sqlite", "--db", "s.sqlite")
        #expect(result.status != 0)
        #expect(result.stderr.contains("database"), "\(result.stderr)")
        try databaseIsIntact()
        var info = stat()
        #expect(stat(path("hard.sqlite"), &info) == 0 && info.st_nlink == 2)
    }

    @Test func writesThroughASymlinkToItsTarget() throws {
        try "old\n".write(toFile: path("target.csv"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path("link.csv"), withDestinationPath: "target.csv")
        let result = try cli.decoy("export", "1", "--table", "postings", "--out", "link.csv", "--db", "s.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path("link.csv"))
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try String(contentsOfFile: path("target.csv"), encoding: .utf8).hasPrefix("run_id,replicate,arm,posting"))
        #expect(try leftovers().isEmpty)
    }

    @Test func keepsTheTargetsPermissions() throws {
        try "old\n".write(toFile: path("private.csv"), atomically: true, encoding: .utf8)
        #expect(chmod(path("private.csv"), 0o600) == 0)
        let result = try cli.decoy("curves", "1", "--format", "csv", "--out", "private.csv", "--db", "s.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(stat(path("private.csv"), &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o600)
        #expect(try String(contentsOfFile: path("private.csv"), encoding: .utf8).hasPrefix("run_id,arm,replicate,metric"))
    }

    @Test func writesIntoAFIFOInPlace() throws {
        #expect(mkfifo(path("pipe"), 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [path("pipe")]
        let out = Pipe()
        reader.standardOutput = out
        try reader.run()
        let result = try cli.decoy("export", "1", "--table", "postings", "--out", "pipe", "--db", "s.sqlite")
        let received = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(received.hasPrefix("run_id,replicate,arm,posting"))
        var info = stat()
        #expect(lstat(path("pipe"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(try leftovers().isEmpty)
    }

    @Test func writesIntoDevicesInPlace() throws {
        var before = stat()
        guard getuid() == 0, stat("/dev/null", &before) == 0, (before.st_mode & S_IFMT) == S_IFCHR else { return }
        let result = try cli.decoy("export", "1", "--table", "postings", "--out", "/dev/null", "--db", "s.sqlite")
        #expect(result.status == 0, "\(result.stderr)")
        var after = stat()
        #expect(stat("/dev/null", &after) == 0)
        #expect((after.st_mode & S_IFMT) == S_IFCHR)
        #expect(after.st_rdev == before.st_rdev)
        var link = stat()
        let stdoutIsLink = lstat("/dev/stdout", &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK
        let toStdout = try cli.decoy("export", "1", "--table", "postings", "--out", "/dev/stdout", "--db", "s.sqlite")
        #expect(toStdout.status == 0, "\(toStdout.stderr)")
        #expect(toStdout.stdout.hasPrefix("run_id,replicate,arm,posting"))
        if stdoutIsLink {
            #expect(lstat("/dev/stdout", &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK)
        }
    }

    @Test func refusesAFolder() throws {
        try FileManager.default.createDirectory(atPath: path("folder"), withIntermediateDirectories: false)
        let result = try cli.decoy("export", "1", "--table", "postings", "--out", "folder", "--db", "s.sqlite")
        #expect(result.status == 1)
        #expect(result.stderr.contains("is a folder"), "\(result.stderr)")
    }

    @Test func interruptedExportLeavesNoTemporaryFile() throws {
        let big = try cli.decoy("run", cli.quickstartPath, "--quiet", "--db", "big.sqlite", "--set", "replicates=60")
        #expect(big.status == 0, "\(big.stderr)")
        let process = Process()
        process.executableURL = TestCLI.binary
        process.arguments = ["export", "1", "--table", "events", "--out", "big.csv", "--db", "big.sqlite"]
        process.currentDirectoryURL = cli.folder
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        // Wait until writing has begun, then interrupt.
        for _ in 0..<2000 where try leftovers().isEmpty && process.isRunning { usleep(1000) }
        let started = try !leftovers().isEmpty
        kill(process.processIdentifier, SIGINT)
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(try leftovers().isEmpty)
        if started {
            #expect(process.terminationStatus == 130, "\(message)")
            #expect(message.contains("interrupted"), "\(message)")
            #expect(!cli.exists("big.csv"))
        }
    }
}
