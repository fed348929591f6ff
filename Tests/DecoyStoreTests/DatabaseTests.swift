import DecoyModel
import Foundation
import Testing
@testable import DecoyStore

@Suite struct DatabaseTests {
    /// A fresh path in a new temporary folder.
    static func temporaryPath(_ name: String = "test.sqlite") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    static func header(name: String = "exp") -> RunHeader {
        RunHeader(
            name: name, source: .simulated, configPath: "exp.yaml", configText: "version: 1", resolvedConfig: "{}",
            configSHA256: String(repeating: "a", count: 64), seed: UInt64.max, replicates: 1, startMicros: 1_000,
            horizonMicros: 7_200_000_000, gridMicros: 3_600_000_000, overrides: ["seed=7"],
            provenance: Provenance(toolVersion: "t", swiftVersion: "6.3", os: "linux", host: "h", pid: 42),
            arms: [ArmRecord(id: 0, name: "adult", postings: 2, population: "adult", populationSize: 10, attributes: [("section", "x")])],
            channels: ["call", "sms"])
    }

    @Test func newDatabaseHasTheCurrentSchemaAndReopens() throws {
        let path = try DatabaseTests.temporaryPath()
        #expect(try Database(path: path, create: true).schemaVersion == Schema.current)
        let reopened = try Database(path: path, create: false)
        #expect(try reopened.schemaVersion == Schema.current)
        #expect(try reopened.connection.scalarInt("PRAGMA application_id") == Schema.applicationID)
        #expect(try reopened.runs().isEmpty)
    }

    @Test func runRoundTripsWithPostingsAndContactsInOrder() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(Self.header(), startedAt: "2020-01-01T00:00:00Z")
        let postings = [
            PostingRecord(id: 0, replicate: 1, arm: 0, index: 0, postedAtMicros: 1_000, windowMicros: 7_200_000_000, removed: false),
            PostingRecord(id: 1, replicate: 1, arm: 0, index: 1, postedAtMicros: 2_000, windowMicros: 100, removed: true),
        ]
        let contacts = [
            ContactRecord(posting: 0, seq: 0, micros: 7, channel: 1, contactor: 2),
            ContactRecord(posting: 0, seq: 1, micros: 9, channel: 0, contactor: 3),
            ContactRecord(posting: 1, seq: 0, micros: 5, channel: 1, contactor: nil),
        ]
        try db.append(run: run, postings: postings, contacts: contacts)
        try db.finishRun(run, postings: 2, contacts: 3, digest: "d", finishedAt: "2020-01-01T00:00:01Z", wallSeconds: 1.5)

        let record = try db.run("last")
        #expect(record.id == run && record.status == .complete && record.digest == "d" && record.contacts == 3)
        #expect(record.seed == UInt64.max && record.overrides == "[\"seed=7\"]" && record.provenance.pid == 42)
        #expect(try db.arms(run: run) == Self.header().arms)
        #expect(try db.channels(run: run) == ["call", "sms"])
        #expect(try db.postings(run: run) == postings)
        var read: [ContactRecord] = []
        try db.forEachContact(run: run) { read.append($0) }
        #expect(read == contacts)
        let totals = try db.armTotals(run: run)
        #expect(totals.count == 1 && totals[0].postings == 2 && totals[0].contacts == 3 && totals[0].removed == 1)
    }

    @Test func failedBatchStoresNothingOfIt() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(Self.header(), startedAt: "now")
        let posting = PostingRecord(id: 0, replicate: 1, arm: 0, index: 0, postedAtMicros: 0, windowMicros: 10, removed: false)
        let duplicate = ContactRecord(posting: 0, seq: 0, micros: 1, channel: 0, contactor: 0)
        #expect(throws: StoreError.self) { try db.append(run: run, postings: [posting], contacts: [duplicate, duplicate]) }
        #expect(try db.postings(run: run).isEmpty)
        var count = 0
        try db.forEachContact(run: run) { _ in count += 1 }
        #expect(count == 0)
    }

    /// Contacts are stored as id ranges of their postings, so a batch whose contacts are not grouped
    /// by posting in the postings' order, numbered 0, 1, 2, … within each, cannot be stored.
    @Test(arguments: [
        [(0, 0), (1, 0), (0, 1)],  // posting 0's contacts split
        [(1, 0), (0, 0)],          // postings out of order
        [(0, 1)],                  // seq not from 0
        [(0, 0), (2, 0)],          // a posting not in the batch
    ])
    func contactsNotInPostingAndSeqOrderAreRefusedWithNothingStored(rows: [(Int64, Int)]) throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(Self.header(), startedAt: "now")
        let postings = (0..<2).map { PostingRecord(id: Int64($0), replicate: 1, arm: 0, index: $0, postedAtMicros: 0, windowMicros: 10, removed: false) }
        let contacts = rows.map { ContactRecord(posting: $0.0, seq: $0.1, micros: 1, channel: 0, contactor: 0) }
        #expect {
            try db.append(run: run, postings: postings, contacts: contacts)
        } throws: { error in
            guard case StoreError.invalidBatch = error else { return false }
            return "\(error)".contains("nothing was written")
        }
        #expect(try db.postings(run: run).isEmpty && db.run(String(run)).contacts == 0)
    }

    @Test func abandonedRunKeepsItsReason() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(Self.header(), startedAt: "now")
        try db.abandonRun(run, status: .failed, message: "disk full", finishedAt: "later")
        let record = try db.run(String(run))
        #expect(record.status == .failed && record.message == "disk full")
    }

    @Test func missingFileIsRefusedWithoutCreatingIt() throws {
        let path = try DatabaseTests.temporaryPath()
        #expect(throws: StoreError.self) { try Database(path: path, create: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func unknownRunIsAClearError() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        do {
            _ = try db.run("12")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("no run 12 "))
        }
    }

    @Test func otherApplicationsDatabaseIsRefusedAndLeftUnchanged() throws {
        let path = try DatabaseTests.temporaryPath()
        do {
            let foreign = try Connection(path: path, create: true)
            try foreign.execute("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            _ = try Database(path: path, create: true)
            Issue.record("expected a refusal")
        } catch {
            guard case .notDecoy = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.description.contains("is not a decoy database"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func newerSchemaIsRefused() throws {
        let path = try DatabaseTests.temporaryPath()
        _ = try Database(path: path, create: true)
        do {
            let raw = try Connection(path: path, create: false)
            try raw.execute("PRAGMA user_version = 99")
        }
        do {
            _ = try Database(path: path, create: false)
            Issue.record("expected a refusal")
        } catch {
            guard case let .newerSchema(_, found, supported) = error else { Issue.record("unexpected \(error)"); return }
            #expect(found == 99 && supported == Schema.current)
        }
    }

    @Test func fileThatIsNotSQLiteIsRefusedAndLeftUnchanged() throws {
        let path = try DatabaseTests.temporaryPath()
        let text = Data("this is not a database, just some notes\n".utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.self) { try Database(path: path, create: true) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }
}

@Suite struct MigrationTests {
    @Test func databaseOfTheFirstSchemaIsMigratedForwardKeepingItsRuns() throws {
        let path = try DatabaseTests.temporaryPath()
        do {
            let old = try Connection(path: path, create: true)
            try old.execute(Schema.migrations[0])
            try old.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 1")
            try old.execute("""
                INSERT INTO runs (name, source, status, config_text, resolved_config, config_sha256, seed, replicates, start_us,
                    horizon_us, grid_us, tool_version, swift_version, os, host, pid, started_at)
                VALUES ('old', 'simulated', 'complete', 'x', '{}', 'abc', '1', 1, 0, 1, 1, 't', 's', 'o', 'h', 1, 'then')
                """)
        }
        let db = try Database(path: path, create: false)
        #expect(try db.schemaVersion == Schema.current)
        let runs = try db.runs()
        #expect(runs.count == 1 && runs[0].name == "old" && runs[0].sweep == nil)
    }

    /// A row edited by hand (or written by a newer decoy) is an error naming the run, not a default.
    @Test(arguments: [("status", "'paused'"), ("source", "'imagined'"), ("seed", "'x'")])
    func rowsThatCannotBeReadBackNameTheRun(column: String, value: String) throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(DatabaseTests.header(), startedAt: "now")
        try db.connection.execute("PRAGMA ignore_check_constraints = 1; UPDATE runs SET \(column) = \(value) WHERE run_id = \(run)")
        #expect {
            _ = try db.runs()
        } throws: { error in
            guard case let StoreError.unreadableRun(_, failing, failingColumn, _) = error else { return false }
            return failing == run && failingColumn == column && "\(error)".contains("run \(run) cannot be read")
        }
        #expect(throws: StoreError.self) { try db.run(String(run)) }
    }
}

/// How an observed run's contact identifiers became contactors (schema 9).
@Suite struct ContactIdentifiersTests {
    static let fingerprint = String(repeating: "c3", count: 32)

    static func observedHeader() -> RunHeader {
        var header = DatabaseTests.header(name: "field")
        header.source = .observed
        return header
    }

    /// Writes one posting and one contact to `target` with `identifiers`; the run's id.
    @discardableResult
    static func write(_ db: Database, to target: ObservedTarget, identifiers: ContactIdentifiers?) throws -> Int64 {
        try db.writeObserved(to: target, header: observedHeader(), at: "now", plan: { state in
            let posting = Int64(state.postings.count)
            return ObservedBatch(
                newPostings: [PostingRecord(id: posting, replicate: 1, arm: 0, index: Int(posting), postedAtMicros: 1_000, windowMicros: 100, removed: false)],
                endedPostings: [], contacts: [posting: [(micros: 5, channel: "call", pseudonym: "p")]], alreadyStored: 0,
                contactIdentifiers: identifiers)
        }, digest: { _ in "d" }).runID
    }

    @Test func aWriteRecordsItsWayAndAWriteWithoutOneKeepsIt() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let target = ObservedTarget.experiment(name: "field", configSHA256: String(repeating: "a", count: 64))
        let run = try Self.write(db, to: target, identifiers: nil)
        #expect(try db.run(String(run)).contactIdentifiers == nil)
        try Self.write(db, to: target, identifiers: .pseudonymised(keyFingerprint: Self.fingerprint))
        #expect(try db.run(String(run)).contactIdentifiers == .pseudonymised(keyFingerprint: Self.fingerprint))
        try Self.write(db, to: .run(run), identifiers: nil)
        #expect(try db.run(String(run)).contactIdentifiers == .pseudonymised(keyFingerprint: Self.fingerprint))
        let other = try Self.write(db, to: .experiment(name: "field", configSHA256: String(repeating: "b", count: 64)), identifiers: .dropped)
        #expect(try db.run(String(other)).contactIdentifiers == .dropped)
    }

    /// A run stored before schema 9 reads back with nothing recorded, and takes a record later.
    @Test func aDatabaseOfSchema8IsMigratedWithNothingRecordedForItsRuns() throws {
        let path = try DatabaseTests.temporaryPath()
        do {
            let old = try Connection(path: path, create: true)
            for step in 0..<8 { try old.execute(Schema.migrations[step]) }
            try old.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = 8")
            try old.execute("""
                INSERT INTO runs (name, source, status, config_text, resolved_config, config_sha256, seed, replicates, start_us,
                    horizon_us, grid_us, tool_version, swift_version, os, host, pid, started_at)
                VALUES ('field', 'observed', 'complete', 'x', '{}', 'abc', '0', 1, 0, 1, 1, 't', 's', 'o', 'h', 1, 'then')
                """)
        }
        let db = try Database(path: path, create: false)
        #expect(try db.schemaVersion == Schema.current)
        #expect(try db.run("1").contactIdentifiers == nil)
        try Self.write(db, to: .run(1), identifiers: .dropped)
        #expect(try db.run("1").contactIdentifiers == .dropped)
    }

    /// A value decoy does not write is reported as damage, without being repeated (it could be a
    /// key's fingerprint).
    @Test(arguments: ["key:" + String(repeating: "z", count: 64), "key:abc", "none"])
    func aValueDecoyDoesNotWriteIsDamageAndNotRepeated(value: String) throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try Self.write(db, to: .experiment(name: "field", configSHA256: "a"), identifiers: nil)
        try db.connection.execute("PRAGMA ignore_check_constraints = 1")
        try db.connection.statement("UPDATE runs SET contact_identifiers = ? WHERE run_id = ?").bind(.text(value), .integer(run)).run()
        #expect {
            _ = try db.run(String(run))
        } throws: { error in
            guard case let StoreError.damaged(_, failing, _, _, problem) = error else { return false }
            return failing == run && problem.contains("contact_identifiers") && !"\(error)".contains(value)
        }
    }

    @Test func theSchemaRefusesAValueDecoyDoesNotWrite() throws {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try Self.write(db, to: .experiment(name: "field", configSHA256: "a"), identifiers: nil)
        #expect(throws: SQLiteError.self) {
            try db.connection.statement("UPDATE runs SET contact_identifiers = ? WHERE run_id = ?").bind(.text("key:abc"), .integer(run)).run()
        }
    }
}
