import DecoyModel
import Foundation
import Testing

/// Field replications through the built binary: import, record, end, privacy, idempotence.
@Suite struct FieldDataTests {
    let cli: CommandLineTests
    static let key = "study-key-0123456789abcdef"

    init() throws {
        cli = try CommandLineTests()
        try cli.write("field.yaml", """
            version: 1
            name: field-test
            seed: 1
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            grid: 30m
            arms:
              - name: decoy
                postings: 6
                channels: { call: 1, sms: 1 }
              - name: control
                postings: 2
            """)
    }

    func decoy(_ arguments: String..., key: String? = FieldDataTests.key) throws -> CommandLineTests.Result {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = cli.folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DECOY_DB")
        environment["DECOY_PSEUDONYM_KEY"] = key
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// 2024-01-01T00:00:00Z (1 704 067 200 s after the epoch) plus `hours`.
    static func at(hours: Double) -> String { Timestamp(microseconds: 1_704_067_200_000_000 + Int64((hours * 3.6e9).rounded())).utcText }

    /// The `mixed` data set of the R fixtures as field files: six decoy postings observed from
    /// midnight, windows ended early where the data set censors them.
    func writeMixedDataSet() throws {
        let windows = [10.0, 4, 10, 2.5, 7, 10]
        let contacts: [[Double]] = [[0.5, 2, 3, 7], [2, 4], [], [1, 2], [0.25, 3, 6.5], [9.75, 10]]
        var postings = "arm,posting,posted_at,ended_at\n"
        for (i, window) in windows.enumerated() {
            postings += "decoy,ad-\(i + 1),2024-01-01T00:00:00Z,\(window < 10 ? Self.at(hours: window) : "")\n"
        }
        var events = "posting,at,channel,contact\n"
        for (i, times) in contacts.enumerated() {
            for (k, t) in times.enumerated() { events += "ad-\(i + 1),\(Self.at(hours: t)),\(k % 2 == 0 ? "call" : "sms"),+1 555 010 \(i)\(k)\n" }
        }
        try cli.write("postings.csv", postings)
        try cli.write("events.csv", events)
    }

    @Test func importedDataGiveTheCurvesRComputes() throws {
        try writeMixedDataSet()
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        #expect(json["run_id"] as? Int == 1 && json["contacts"] as? Int == 13 && json["postings"] as? Int == 6)

        let curves = try decoy("curves", "1", "--metric", "mcf", "--format", "csv")
        let rows = curves.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let reference = try String(contentsOf: CommandLineTests.repository.appendingPathComponent("Tests/DecoyStatisticsTests/Fixtures/curves_reference.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[0] == "mixed" && $0[1] == "mcf" }
        let decoyRows = rows.filter { $0[1] == "decoy" }
        try #require(decoyRows.count == reference.count)
        for (row, expected) in zip(decoyRows, reference) {
            #expect(Double(row[4]) == Double(expected[3]))
            for (column, referenceColumn) in [(5, 4), (6, 6), (7, 7), (8, 8), (9, 9)] {
                let a = Double(row[column]), b = Double(expected[referenceColumn])
                #expect((a == nil && b == nil) || abs(a! - b!) <= 1e-12 * max(1, abs(b!)), "t=\(row[4]) column \(column): \(row[column]) vs \(expected[referenceColumn])")
            }
        }
        let runs = try #require(try cli.json(try decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.first?["source"] as? String == "observed")
    }

    @Test func importingTheSameRowsAgainStoresNothingTwice() throws {
        try writeMixedDataSet()
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        let again = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json")
        let json = try #require(try cli.json(again.stdout) as? [String: Any])
        #expect(json["run_id"] as? Int == 1 && json["new_contacts"] as? Int == 0 && json["already_stored"] as? Int == 13 && json["contacts"] as? Int == 13)
        // Appending rows to the log stores only the new ones.
        try cli.write("events.csv", try String(contentsOf: cli.folder.appendingPathComponent("events.csv"), encoding: .utf8) + "ad-3,\(Self.at(hours: 5)),sms,\n")
        let more = try #require(try cli.json(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json").stdout) as? [String: Any])
        #expect(more["new_contacts"] as? Int == 1 && more["already_stored"] as? Int == 13 && more["contacts"] as? Int == 14)
    }

    @Test(arguments: [
        ("ad-9,2024-01-01T01:00:00Z,call,\n", "events.csv:2: posting: unknown posting (not a name in the postings file or the run); did you mean `ad-1`?"),
        ("ad-1,yesterday,call,\n", "events.csv:2: at: expected an ISO-8601 time with offset such as `2024-03-01T20:15:00+01:00`, found a field of 9 characters that is not one"),
        ("ad-1,2023-12-31T23:00:00Z,call,\n", "events.csv:2: at: 2023-12-31T23:00:00.000000Z is before the posting went live"),
        ("ad-2,2024-01-01T05:00:00Z,call,\n", "events.csv:2: at: 2024-01-01T05:00:00.000000Z is after the end of the posting's observation window"),
        ("ad-1,2024-01-01T01:00:00Z,fax,\n", "events.csv:2: channel: not a channel of arm `decoy`; arm `decoy` lists call, sms"),
        ("ad-1,2024-01-01T01:00:00Z\n", "events.csv:2: expected 4 fields (posting,at,channel,contact), found 2"),
        ("ad-1,2024-01-01T01:00:00Z,c\u{FFFD}ll,\n", "events.csv:2: the text is not valid UTF-8"),
    ])
    func eachBadRowIsReportedWithItsLineAndNothingIsStored(row: String, message: String) throws {
        try writeMixedDataSet()
        var text = "posting,at,channel,contact\n" + row + "ad-1,2024-01-01T00:30:00Z,call,\n"
        if row.contains("\u{FFFD}") { text = text.replacingOccurrences(of: "\u{FFFD}", with: "\u{1}") }
        var data = Data(text.utf8)
        if row.contains("\u{FFFD}"), let index = data.firstIndex(of: 0x01) { data[index] = 0xC3 }   // a lone lead byte
        try data.write(to: cli.folder.appendingPathComponent("events.csv"))
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: nothing imported: 1 problem in the input"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func badPostingsAreReportedTogetherWithTheirLines() throws {
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoi,ad-1,2024-01-01T00:00:00Z,\ndecoy,ad-2,2024-13-01T00:00:00Z,\ndecoy,ad-3,2024-01-01T05:00:00Z,2024-01-01T04:00:00Z\ndecoy,ad-3,2024-01-01T00:00:00Z,\n")
        try cli.write("events.csv", "posting,at,channel\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        #expect(result.stderr.contains("postings.csv:2: arm: expected an arm of the config, found a field of 5 characters that is not one; did you mean `decoy`?"))
        #expect(result.stderr.contains("postings.csv:3: posted_at: expected an ISO-8601 time"))
        #expect(result.stderr.contains("postings.csv:4: ended_at: 2024-01-01T04:00:00.000000Z is before posted_at"))
        #expect(result.stderr.contains("postings.csv:5: posting: the name is already on line 4"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func rawIdentifiersNeverReachAnyDatabaseByteAndPseudonymsAreStable() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T00:10:00Z,call,+44 7700 900123\nad-2,2024-01-01T00:20:00Z,sms,Jane.Doe@Example.com\n")
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv").status == 0)
        // The same people written differently, in a second import and in a record.
        try cli.write("events2.csv", "posting,at,channel,contact\nad-2,2024-01-01T00:30:00Z,call,0044 7700-900-123\n")
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events2.csv").status == 0)
        #expect(try decoy("record", "1", "--posting", "ad-1", "--channel", "sms", "--contact", "  jane.doe@example.COM ", "--at", "2024-01-01T01:00:00Z").status == 0)
        let export = try decoy("export", "1", "--table", "events").stdout.split(separator: "\n").dropFirst()
        let pseudonyms = export.map { String($0.split(separator: ",").last!) }
        #expect(pseudonyms.count == 4)
        // In export order: ad-1 00:10 phone, ad-1 01:00 e-mail, ad-2 00:20 e-mail, ad-2 00:30 phone.
        #expect(pseudonyms[0] == pseudonyms[3], "the phone number in two spellings")
        #expect(pseudonyms[1] == pseudonyms[2], "the e-mail address in two spellings")
        #expect(Set(pseudonyms).count == 2)
        #expect(try cli.json(try decoy("population", "1", "--format", "json").stdout) as? [String: Any] != nil)
        // No raw identifier in any file of the database, or in its digits-only or lower-cased forms.
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("decoy.sqlite") }
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try Data(contentsOf: cli.folder.appendingPathComponent(file))
            for needle in ["7700", "900123", "447700900123", "jane", "example.com", "Jane.Doe"] {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) found in \(file)")
            }
        }
        // A different key gives different pseudonyms.
        try FileManager.default.removeItem(at: cli.folder.appendingPathComponent("decoy.sqlite"))
        for file in files where file != "decoy.sqlite" { try? FileManager.default.removeItem(at: cli.folder.appendingPathComponent(file)) }
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", key: "another-key-0123456789")
        let other = try decoy("export", "1", "--table", "events").stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",").last!) }
        #expect(Set(other).isDisjoint(with: Set(pseudonyms)))
    }

    @Test func identifiersWithoutAKeyAreRefusedUnlessDropped() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T00:10:00Z,call,+44 7700 900123\n")
        let refused = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", key: nil)
        #expect(refused.status == 1 && refused.stderr.contains("no pseudonym key"))
        #expect(!refused.stderr.contains("7700"))
        #expect(!cli.exists("decoy.sqlite"))
        let dropped = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--no-contacts", key: nil)
        #expect(dropped.status == 0)
        #expect(try decoy("export", "1", "--table", "events").stdout.split(separator: "\n").last?.hasSuffix(",call,") == true)
    }

    @Test func recordAndEndAreValidatedLikeImport() throws {
        try writeMixedDataSet()
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        let unknown = try decoy("record", "1", "--posting", "ad-7", "--channel", "call", "--at", "2024-01-01T01:00:00Z")
        #expect(unknown.status == 1 && unknown.stderr.contains("posting: unknown posting") && !unknown.stderr.contains("ad-7"))
        let late = try decoy("record", "1", "--posting", "ad-2", "--channel", "call", "--at", "2024-01-01T05:00:00Z")
        #expect(late.status == 1 && late.stderr.contains("is after the end of the posting's observation window"))
        let channel = try decoy("record", "1", "--posting", "ad-1", "--channel", "fax", "--at", "2024-01-01T01:00:00Z")
        #expect(channel.status == 1 && channel.stderr.contains("not a channel of arm `decoy`") && !channel.stderr.contains("fax"))
        let badTime = try decoy("record", "1", "--posting", "ad-1", "--channel", "call", "--at", "soon")
        #expect(badTime.status == 64 && badTime.stderr.contains("--at expects an ISO-8601 time"))
        let good = try decoy("record", "1", "--posting", "ad-3", "--channel", "sms", "--at", "2024-01-01T03:00:00Z", "--format", "json")
        #expect((try cli.json(good.stdout) as? [String: Any])?["contacts"] as? Int == 14)
        // Ending before a stored contact is refused; ending after it closes the window.
        let early = try decoy("end", "1", "--posting", "ad-1", "--at", "2024-01-01T06:00:00Z")
        #expect(early.status == 1 && early.stderr.contains("has 1 contacts recorded after"))
        #expect(try decoy("end", "1", "--posting", "ad-1", "--at", "2024-01-01T08:00:00Z").status == 0)
        let postings = try decoy("export", "1", "--table", "postings").stdout
        #expect(postings.contains("1,1,decoy,ad-1,2024-01-01T00:00:00.000000Z,8,1,4,"))
        let again = try decoy("end", "1", "--posting", "ad-1", "--at", "2024-01-01T09:00:00Z")
        #expect(again.status == 1 && again.stderr.contains("already ended"))
        let simulated = try decoy("run", cli.quickstartPath, "--quiet")
        #expect(simulated.status == 0)
        let refused = try decoy("record", "2", "--posting", "0", "--channel", "call")
        #expect(refused.status == 1 && refused.stderr.contains("is simulated"))
        #expect(try decoy("rerun", "1").stderr.contains("observed field data"))
    }

    @Test func observedArmCanBeSetAgainstASimulatedOne() throws {
        try writeMixedDataSet()
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        _ = try decoy("run", cli.quickstartPath, "--quiet")
        let result = try decoy("compare", "1", "--arms", "decoy", "--against", "2:adult", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.map { $0["name"] as? String } == ["decoy", "adult"])
        #expect(arms[0]["contacts"] as? Int == 13)
        #expect((json["rate_ratio"] as? Double ?? 1) < 0.1)
    }
}
