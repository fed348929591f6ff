import DecoyTestSupport
import Foundation
import Testing

/// What `--db` names when it is not a decoy database: commands that read never make it one, and
/// a folder is called a folder.
@Suite struct DatabasePathTests {
    let cli: TestCLI

    init() throws { cli = try TestCLI() }

    @Test func readersLeaveAZeroByteFileAsItIs() throws {
        FileManager.default.createFile(atPath: cli.path("empty.sqlite"), contents: Data())
        for command in [["runs"], ["show", "1"], ["export", "1", "--table", "events"], ["curves", "1"], ["rerun", "1"]] {
            let result = try cli.decoy(arguments: command + ["--db", "empty.sqlite"])
            #expect(result.status == 1, "\(command): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("empty.sqlite is an empty file, not a decoy database"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("`decoy run CONFIG --db empty.sqlite` makes one with a simulated run, `decoy import CONFIG"), "\(command): \(result.stderr)")
            let size = try FileManager.default.attributesOfItem(atPath: cli.path("empty.sqlite"))[.size] as? Int
            #expect(size == 0, "\(command) wrote to the file")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path)
        #expect(left == ["empty.sqlite"], "\(left)")
    }

    /// Without a database, the hint names both ways of making one: a simulated run and an import.
    @Test func withoutADatabaseTheHintNamesRunAndImport() throws {
        for command in [["curves", "1"], ["compare", "1", "--arms", "a,b"], ["show", "1"], ["record", "1", "--posting", "p", "--channel", "call"]] {
            let result = try cli.decoy(arguments: command)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: no database at decoy.sqlite: a simulated run or an import of observed data creates one; or give --db"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("`decoy run CONFIG --db decoy.sqlite` makes one with a simulated run"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("`decoy import CONFIG --postings P.csv --events E.csv --db decoy.sqlite`"), "\(command): \(result.stderr)")
        }
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func aFolderIsCalledAFolder() throws {
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("dir"), withIntermediateDirectories: false)
        try cli.write("c.yaml", "version: 1\nname: c\nseed: 7\nstart: 2026-01-05T09:00:00Z\nhorizon: 24h\narms:\n  - name: a\n    postings: 2\n    response: { model: poisson, rate: 2/h }\n")
        for command in [["runs", "--db", "dir"], ["show", "1", "--db", "dir"], ["run", "c.yaml", "--db", "dir", "--quiet"]] {
            let result = try cli.decoy(arguments: command)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("dir is a folder, not a database file"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("not writable"), "\(command): \(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.path("dir")).isEmpty)
    }
}
