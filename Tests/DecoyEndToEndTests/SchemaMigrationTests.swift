import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// A database written by decoy 0.1.0 at schema 5 (Fixtures/make_schema5.sh), opened by this
/// version: every run reads back as that version read it, and every command goes on from there.
@Suite struct SchemaMigrationTests {
    let cli: TestCLI

    init() throws {
        cli = try TestCLI()
        try FileManager.default.copyItem(atPath: Self.fixture("schema5.sqlite"), toPath: cli.path("decoy.sqlite"))
    }

    static func fixture(_ name: String) -> String {
        TestCLI.repository.appendingPathComponent("Tests/DecoyEndToEndTests/Fixtures/\(name)").path
    }

    /// The contacts of every run as (run, posting, seq, t_us, channel, contactor) lines, in that order.
    static func contactRows(_ connection: Connection, from table: String) throws -> [String] {
        let statement = try connection.statement(
            "SELECT run_id, posting_id, seq, t_us, channel_id, coalesce(contactor, 'null') FROM \(table) ORDER BY run_id, posting_id, seq")
        var rows: [String] = []
        while try statement.step() { rows.append(try (0..<6).map { try statement.text(Int32($0)) }.joined(separator: ",")) }
        return rows
    }

    /// `csv` cut to as many leading columns as `old` has (files without quoted commas): columns
    /// added since that version come after the ones it wrote, which must read as they did.
    static func leadingColumns(of csv: String, as old: String) -> String {
        let count = old.prefix { $0 != "\n" }.split(separator: ",", omittingEmptySubsequences: false).count
        return csv.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(count).joined(separator: ",") }
            .joined(separator: "\n")
    }

    @Test func everyContactKeepsItsRunPostingAndSeq() throws {
        let before = try Self.contactRows(try Connection(path: Self.fixture("schema5.sqlite"), create: false, readOnly: true), from: "contacts")
        #expect(before.count == 1565 + 159 + 765)
        let database = try Database(path: cli.path("decoy.sqlite"), create: false)
        #expect(try database.schemaVersion == Schema.current)
        #expect(try Self.contactRows(database.connection, from: "posting_contacts") == before)
        // The postings' id ranges tile the table: no contact outside one, none in two.
        let counts = try database.connection.statement(
            "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM posting_contacts), (SELECT sum(contact_count) FROM postings)")
        #expect(try counts.step())
        #expect(counts.int(0) == before.count && counts.int(1) == before.count && counts.int(2) == before.count)
    }

    @Test func storedRunsReadBackAsTheOldVersionReadThem() throws {
        let digests = try String(contentsOfFile: Self.fixture("schema5-digests.txt"), encoding: .utf8)
        let runs = try #require(try cli.json(try cli.decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.map { "\($0["run_id"] ?? "")|\($0["digest"] as? String ?? "")" }.joined(separator: "\n") + "\n" == digests)
        #expect(runs.map { $0["contacts"] as? Int } == [1565, 159, 765])

        let rerun = try cli.decoy("rerun", "1")
        #expect(rerun.status == 0 && rerun.stdout.hasPrefix("reproduced\n"), "\(rerun.stdout)\(rerun.stderr)")
        for (arguments, expected) in [
            (["curves", "1", "--metric", "mcf,rate,ttfc", "--out", "curves.csv"], "schema5-curves-1.csv"),
            (["export", "2", "--table", "events", "--out", "events-2.csv"], "schema5-events-2.csv"),
            (["export", "3", "--table", "events", "--out", "events-3.csv"], "schema5-events-3.csv"),
        ] {
            let result = try cli.decoy(arguments: arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let written = try String(contentsOfFile: cli.path(arguments[arguments.count - 1]), encoding: .utf8)
            let old = try String(contentsOfFile: Self.fixture(expected), encoding: .utf8)
            #expect(Self.leadingColumns(of: written, as: old) == old, "\(arguments) differs from \(expected)")
        }
    }

    /// On a read-only file system the file cannot be migrated: the message says how to read it.
    @Test(.enabled(if: FaultInjectionTests.canMount, "needs root to mount a read-only tmpfs"))
    func aReadOnlyOldFileSaysHowToMigrateACopy() throws {
        let place = cli.folder.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
        #expect(FaultInjectionTests.shell("mount -t tmpfs -o size=8m tmpfs \(place.path)") == 0)
        defer { FaultInjectionTests.shell("umount \(place.path)") }
        try FileManager.default.copyItem(atPath: Self.fixture("schema5.sqlite"), toPath: place.appendingPathComponent("old.sqlite").path)
        #expect(FaultInjectionTests.shell("mount -o remount,ro \(place.path)") == 0)
        for command in [["runs"], ["curves", "1"], ["export", "2", "--table", "events"]] {
            let result = try cli.decoy(arguments: command + ["--db", "ro/old.sqlite"])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("ro/old.sqlite has schema version 5, which this decoy reads after migrating it to version"), "\(command): \(result.stderr)")
            #expect(result.stderr.contains("copy the file to a writable folder and open the copy"), "\(command): \(result.stderr)")
        }
        // As the message says: a copy is migrated on opening and read.
        try FileManager.default.copyItem(atPath: place.appendingPathComponent("old.sqlite").path, toPath: cli.path("copy.sqlite"))
        let copy = try cli.decoy("runs", "--db", "copy.sqlite", "--format", "json")
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    @Test func anInterruptedRunResumesToTheWholeRunsDigestAndAnObservedRunTakesMoreContacts() throws {
        let resumed = try cli.decoy("resume", "3", "--quiet", "--format", "json")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let whole = try #require(try cli.json(try cli.decoy("rerun", "1", "--format", "json").stdout) as? [String: Any])
        #expect((try cli.json(resumed.stdout) as? [String: Any])?["digest"] as? String == whole["digest"] as? String)
        #expect(try cli.decoy("rerun", "3").status == 0)

        // A contact between two stored ones: the posting's contacts are renumbered in time order.
        let key = ["DECOY_PSEUDONYM_KEY": "fixture-key-for-the-schema-5-migration-test"]
        let recorded = try cli.decoy(
            arguments: ["record", "2", "--posting", "decoy-1", "--channel", "sms", "--contact", "caller-002", "--at", "2025-03-07T18:01:30+01:00"],
            environment: key)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try cli.decoy("export", "2", "--table", "events", "--out", "after.csv").status == 0)
        let before = try String(contentsOfFile: Self.fixture("schema5-events-2.csv"), encoding: .utf8).split(separator: "\n")
        let after = try String(contentsOfFile: cli.path("after.csv"), encoding: .utf8).split(separator: "\n")
        #expect(after.count == before.count + 1)
        #expect(after.contains { $0.hasPrefix("2,1,decoy,decoy-1,1,90.000000,") && $0.contains(",sms,") }, "\(after.prefix(4))")
        #expect(after.contains { $0.hasPrefix("2,1,decoy,decoy-1,2,120.000000,") })
        let database = try Database(path: cli.path("decoy.sqlite"), create: false)
        var times: [Int64] = []
        try database.forEachContact(run: 2, postings: 0...0) { times.append($0.micros) }
        #expect(times == times.sorted() && times.count == 1 + before.filter { $0.contains("decoy-1") }.count)
    }
}
