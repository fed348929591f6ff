import DecoyTestSupport
import Foundation
import Testing

/// A run treats its contact identifiers one way: pseudonymised under one key, or dropped. An
/// import or record that would treat them another way is refused and stores nothing, since the
/// contacts stored already would not be found and would be stored a second time.
@Suite struct ContactIdentifierTests {
    let cli: TestCLI
    static let key = "first-key-0123456789abcdef"
    static let otherKey = "other-key-0123456789abcdef"

    init() throws {
        cli = try TestCLI()
        try cli.write("field.yaml", """
            version: 1
            name: field-test
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            arms:
              - name: decoy
                postings: 4
            """)
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", """
            posting,at,channel,contact
            ad-1,2024-01-01T00:10:00Z,call,+44 7700 900123
            ad-1,2024-01-01T00:40:00Z,sms,jane@example.com
            ad-2,2024-01-01T01:00:00Z,call,
            ad-2,2024-01-01T02:00:00Z,call,+44 7700 900123

            """)
    }

    /// `decoy import` of the two files under `key` (none: `$DECOY_PSEUDONYM_KEY` unset), with `extra` flags.
    func importFiles(key: String?, _ extra: String..., events: String = "events.csv", db: String = "decoy.sqlite") throws -> TestCLI.Result {
        try cli.decoy(arguments: ["import", "field.yaml", "--postings", "postings.csv", "--events", events, "--db", db, "--format", "json"] + extra,
                      environment: ["DECOY_PSEUDONYM_KEY": key])
    }

    func contacts(db: String = "decoy.sqlite") throws -> Int? {
        let runs = try #require(try cli.json(try cli.decoy("runs", "--db", db, "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.count == 1)
        return runs.first?["contacts"] as? Int
    }

    /// A refusal says what and why, names no flag's value, no identifier and nothing of a key.
    func expectRefused(_ result: TestCLI.Result, saying phrase: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("error: nothing was stored: run 1"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result.stderr)", sourceLocation: sourceLocation)
        for secret in [Self.key, Self.otherKey, "7700", "jane", "example"] {
            #expect(!result.stderr.contains(secret), "\(secret) in \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func anotherKeyIsRefusedAndTheSameKeyStoresNothingTwice() throws {
        #expect(try importFiles(key: Self.key).status == 0)
        #expect(try contacts() == 4)
        expectRefused(try importFiles(key: Self.otherKey), saying: "pseudonymised with another key than the one given")
        // A key file wins over the variable: another key in it is refused too.
        try cli.write("other.key", Self.otherKey + "\n")
        expectRefused(try importFiles(key: Self.key, "--key-file", "other.key"), saying: "pseudonymised with another key")
        #expect(try contacts() == 4)
        // A key file holding the run's key is the same key.
        try cli.write("run.key", Self.key + "\n")
        let again = try importFiles(key: Self.otherKey, "--key-file", "run.key")
        #expect(again.status == 0, "\(again.stderr)")
        let json = try #require(try cli.json(again.stdout) as? [String: Any])
        #expect(json["new_contacts"] as? Int == 0 && json["already_stored"] as? Int == 4 && json["contacts"] as? Int == 4)
    }

    @Test func droppingIdentifiersIntoAPseudonymisedRunIsRefused() throws {
        #expect(try importFiles(key: Self.key).status == 0)
        expectRefused(try importFiles(key: nil, "--no-contacts"), saying: "this import drops them")
        expectRefused(try importFiles(key: Self.key, "--no-contacts"), saying: "this import drops them")
        #expect(try contacts() == 4)
    }

    @Test func pseudonymisingIntoARunImportedWithoutIdentifiersIsRefused() throws {
        #expect(try importFiles(key: nil, "--no-contacts").status == 0)
        expectRefused(try importFiles(key: Self.key), saying: "was imported with its contact identifiers dropped")
        let record = try cli.decoy(arguments: ["record", "1", "--posting", "ad-1", "--channel", "call", "--contact", "+44 7700 900123", "--at", "2024-01-01T03:00:00Z"],
                                   environment: ["DECOY_PSEUDONYM_KEY": Self.key])
        expectRefused(record, saying: "record the contact without its identifier")
        #expect(try contacts() == 4)
        // Dropped again, the same rows are found; a contact without its identifier is recorded.
        let again = try importFiles(key: Self.key, "--no-contacts")
        #expect(again.status == 0, "\(again.stderr)")
        #expect((try cli.json(again.stdout) as? [String: Any])?["new_contacts"] as? Int == 0)
        let anonymous = try cli.decoy(arguments: ["record", "1", "--posting", "ad-1", "--channel", "call", "--at", "2024-01-01T03:00:00Z"],
                                      environment: ["DECOY_PSEUDONYM_KEY": Self.key])
        #expect(anonymous.status == 0, "\(anonymous.stderr)")
        #expect(try contacts() == 5)
    }

    @Test func recordUnderAnotherKeyIsRefused() throws {
        #expect(try importFiles(key: Self.key).status == 0)
        let arguments = ["record", "1", "--posting", "ad-2", "--channel", "sms", "--contact", "jane@example.com", "--at", "2024-01-01T03:00:00Z"]
        expectRefused(try cli.decoy(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": Self.otherKey]), saying: "record with the key the run was imported with")
        #expect(try contacts() == 4)
        #expect(try cli.decoy(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": Self.key]).status == 0)
        #expect(try contacts() == 5)
    }

    /// A file without identifiers needs no key: any key, or none, or dropping, stores it once,
    /// and the first key that pseudonymises an identifier becomes the run's.
    @Test func aFileWithoutIdentifiersGoesInUnderAnyKey() throws {
        try cli.write("plain.csv", "posting,at,channel,contact\nad-1,2024-01-01T00:10:00Z,call,\nad-2,2024-01-01T00:20:00Z,sms,\n")
        for (key, extra) in [(Self.key, [String]()), (Self.otherKey, []), (nil, ["--no-contacts"]), (nil, [])] {
            let result = try cli.decoy(arguments: ["import", "field.yaml", "--postings", "postings.csv", "--events", "plain.csv"] + extra,
                                       environment: ["DECOY_PSEUDONYM_KEY": key])
            #expect(result.status == 0, "\(extra): \(result.stderr)")
        }
        #expect(try contacts() == 2)
        #expect(try importFiles(key: Self.otherKey).status == 0)
        #expect(try contacts() == 2 + 4)
        expectRefused(try importFiles(key: Self.key), saying: "another key")
    }

    /// A database given as the key file (the `--db` file mistyped, or another run's) is no key:
    /// its bytes change with every write, so the run could never be imported into again.
    @Test func aDatabaseIsRefusedAsAKeyFile() throws {
        #expect(try importFiles(key: Self.key).status == 0)
        for db in ["second.sqlite", "decoy.sqlite"] {
            let result = try importFiles(key: Self.key, "--key-file", "decoy.sqlite", db: db)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.hasPrefix("error: the key file is an SQLite database"), "\(result.stderr)")
        }
        #expect(!cli.exists("second.sqlite"))
        #expect(try contacts() == 4)
    }

    /// Two imports under two keys at once into a new file: the check runs inside the write's
    /// transaction, so the second sees the first's run and is refused.
    @Test func concurrentImportsUnderTwoKeysStoreOneOfThem() throws {
        for trial in 0..<3 {
            let db = "race-\(trial).sqlite"
            let started = try [Self.key, Self.otherKey].map { key in
                try cli.start(arguments: ["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--db", db],
                              environment: ["DECOY_PSEUDONYM_KEY": key])
            }
            let results = started.map { $0.wait() }
            #expect(results.map(\.status).sorted() == [0, 1], "trial \(trial): \(results.map(\.stderr))")
            #expect(results.contains { $0.stderr.contains("pseudonymised with another key") }, "trial \(trial): \(results.map(\.stderr))")
            #expect(try contacts(db: db) == 4)
        }
    }

    /// A run stored before decoy recorded its key (the schema 5 file's run 2, the pilot imported
    /// under the fixture's key): another key is refused, as it stores no contactor the run has;
    /// the run's key is confirmed by the contactors it finds, and recorded.
    @Test func aRunOfAnOlderVersionTakesOnlyTheKeyItsContactorsConfirm() throws {
        try FileManager.default.copyItem(atPath: SchemaMigrationTests.fixture("schema5.sqlite"), toPath: cli.path("old.sqlite"))
        let pilot = TestCLI.repository.appendingPathComponent("experiments/pilot").path
        func importPilot(key: String?, _ extra: String...) throws -> TestCLI.Result {
            try cli.decoy(arguments: ["import", "\(pilot)/pilot.yaml", "--postings", "\(pilot)/postings.csv", "--events", "\(pilot)/events.csv",
                                      "--db", "old.sqlite", "--format", "json"] + extra,
                          environment: ["DECOY_PSEUDONYM_KEY": key])
        }
        func contactsOfRun2() throws -> Int? {
            let runs = try #require(try cli.json(try cli.decoy("runs", "--db", "old.sqlite", "--format", "json").stdout) as? [[String: Any]])
            return runs.first { $0["run_id"] as? Int == 2 }?["contacts"] as? Int
        }
        let before = try contactsOfRun2()
        let refused = try importPilot(key: Self.otherKey)
        #expect(refused.status == 1 && refused.stderr.contains("did not record which key") && !refused.stderr.contains(Self.otherKey), "\(refused.stderr)")
        #expect(try importPilot(key: nil, "--no-contacts").stderr.contains("this import drops them"))
        #expect(try contactsOfRun2() == before)
        let confirmed = try importPilot(key: "fixture-key-for-the-schema-5-migration-test")
        #expect(confirmed.status == 0, "\(confirmed.stderr)")
        #expect((try cli.json(confirmed.stdout) as? [String: Any])?["new_contacts"] as? Int == 0)
        let recorded = try importPilot(key: Self.otherKey)
        #expect(recorded.status == 1 && recorded.stderr.contains("pseudonymised with another key"), "\(recorded.stderr)")
        #expect(try contactsOfRun2() == before)
    }
}
