import DecoyModel
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Field replications through the built binary: import, record, end, privacy, idempotence.
@Suite struct FieldDataTests {
    let cli: TestCLI
    static let key = "study-key-0123456789abcdef"

    init() throws {
        cli = try TestCLI()
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

    func decoy(_ arguments: String..., key: String? = FieldDataTests.key) throws -> TestCLI.Result {
        try cli.decoy(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": key])
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

    /// R survival's numbers are the `--intervals classic` ones; the default corrects them for few postings.
    @Test func importedDataGiveTheCurvesRComputes() throws {
        try writeMixedDataSet()
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        #expect(json["run_id"] as? Int == 1 && json["contacts"] as? Int == 13 && json["postings"] as? Int == 6)

        let curves = try decoy("curves", "1", "--metric", "mcf", "--intervals", "classic", "--format", "csv")
        let rows = curves.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let reference = try String(contentsOf: TestCLI.repository.appendingPathComponent("Tests/DecoyStatisticsTests/Fixtures/curves_reference.csv"), encoding: .utf8)
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
        ("ad-1,yesterday,call,\n", "events.csv:2: at: expected an ISO-8601 time with its UTC offset such as `2024-03-01T20:15:00+01:00`"),
        ("ad-1,2024-01-01T01:00:00,call,\n", "events.csv:2: at: no UTC offset: add one such as `+02:00` (or `+0200`), or `Z` for UTC"),
        ("ad-1,2023-12-31T23:00:00Z,call,\n", "events.csv:2: at: 2023-12-31T23:00:00Z is before the posting went live at 2024-01-01T00:00:00Z"),
        // Shown in the offset the row was written in, not converted to UTC.
        ("ad-1,2024-01-01T00:30:00+02:00,call,\n", "events.csv:2: at: 2024-01-01T00:30:00+02:00 is before the posting went live at 2024-01-01T02:00:00+02:00"),
        ("ad-2,2024-01-01T05:00:00Z,call,\n", "events.csv:2: at: 2024-01-01T05:00:00Z is after the end of the posting's observation window (2024-01-01T04:00:00Z)"),
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
        #expect(result.stderr.contains("postings.csv:3: posted_at: not a date and time that exist"))
        #expect(result.stderr.contains("postings.csv:4: ended_at: 2024-01-01T04:00:00Z is before posted_at 2024-01-01T05:00:00Z"))
        #expect(result.stderr.contains("postings.csv:5: posting: the name is already on line 4"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// Arms mistyped in the postings file: the two causes come first, and the events rows that
    /// fail only because their postings were refused are counted, not listed as causes.
    @Test func rootCausesComeFirstAndTheirConsequencesAreCounted() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\nDecoy,ad-1,2024-01-01T00:00:00Z\ncontroll,ad-2,2024-01-01T00:00:00Z\ndecoy,ad-3,2024-01-01T00:00:00Z\n")
        var events = "posting,at,channel\n"
        for k in 0..<3 { events += "ad-1,2024-01-01T0\(k + 1):00:00Z,call\nad-2,2024-01-01T0\(k + 1):00:00Z,call\n" }
        events += "ad-3,2024-01-01T01:00:00Z,call\nad-9,2024-01-01T01:00:00Z,call\n"
        try cli.write("events.csv", events)
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: nothing imported: 3 problems in the input", "\(result.stderr)")
        #expect(lines.count == 5, "\(result.stderr)")
        guard lines.count == 5 else { return }
        #expect(lines[1].hasPrefix("  postings.csv:2: arm: expected an arm of the config") && lines[1].contains("did you mean `decoy`?"))
        #expect(lines[2].hasPrefix("  postings.csv:3: arm: expected an arm of the config") && lines[2].contains("did you mean `control`?"))
        // A posting no file defines is a cause of its own.
        #expect(lines[3].hasPrefix("  events.csv:9: posting: unknown posting"), "\(lines[3])")
        #expect(lines[4] == "  and 6 rows of events.csv that name a posting refused above (not listed: they fail only because of it)")
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// An events row of a refused posting that is wrong in itself (its instant, its channel) is a
    /// cause of its own: fixing the postings file would not make it pass. Only rows that fail
    /// because of their posting alone are counted as consequences.
    @Test func aRowOfARefusedPostingThatIsWrongInItselfIsACause() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\nDecoy,ad-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", """
            posting,at,channel,contact
            ad-1,2024-01-01T01:00:00,call,
            ad-1,2024-01-01T01:00:00Z,+44 7700 900123,
            ad-1,2024-01-01T01:00:00Z,,
            ad-1,2024-01-01T01:00:00Z,call,

            """)
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: nothing imported: 4 problems in the input", "\(result.stderr)")
        #expect(lines.count == 6, "\(result.stderr)")
        guard lines.count == 6 else { return }
        #expect(lines[1].hasPrefix("  postings.csv:2: arm: expected an arm of the config"))
        #expect(lines[2].hasPrefix("  events.csv:2: at: no UTC offset"), "\(lines[2])")
        #expect(lines[3] == "  events.csv:3: channel: the label looks like a phone number; names must not hold contact identifiers", "\(lines[3])")
        #expect(lines[4] == "  events.csv:4: channel: expected a channel label, found an empty field", "\(lines[4])")
        #expect(lines[5] == "  and 1 row of events.csv that names a posting refused above (not listed: it fails only because of it)")
        #expect(!Self.leaks(result.stderr) && !result.stderr.contains("7700"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// Both times of a postings row are shown as the row writes them, so each can be found in the file.
    @Test func anEndBeforeGoingLiveShowsBothTimesAsWritten() throws {
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T05:00:00+02:00,2024-01-01T02:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        #expect(result.stderr.contains("postings.csv:2: ended_at: 2024-01-01T02:00:00Z is before posted_at 2024-01-01T05:00:00+02:00"), "\(result.stderr)")
    }

    /// Rows of the postings file that cannot be read (a quote left open swallows the rest of the
    /// file; a row of invalid UTF-8) may define any posting: events rows naming a posting not
    /// found are counted as their consequences, not listed as unknown postings with a suggestion.
    @Test(arguments: ["decoy,\"ad-2,2024-01-01T00:00:00Z\ndecoy,ad-3,2024-01-01T00:00:00Z\n", "decoy,ad-2,2024-01-01T00:00:00Z\u{1}\ndecoy,ad-3,2024-01-01T00:00:00Z\u{1}\n"])
    func eventsOfUnreadablePostingsRowsAreConsequences(rows: String) throws {
        var data = Data(("arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n" + rows).utf8)
        for index in data.indices where data[index] == 0x01 { data[index] = 0xFF }   // not UTF-8
        try data.write(to: cli.folder.appendingPathComponent("postings.csv"))
        try cli.write("events.csv", "posting,at,channel\nad-1,2024-01-01T01:00:00Z,call\nad-2,2024-01-01T01:00:00Z,call\nad-3,2024-01-01T01:00:00Z,call\nad-3,2024-01-01T02:00:00Z,call\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: nothing imported: ") == true && lines.dropFirst().allSatisfy { !$0.contains("events.csv:") }, "\(result.stderr)")
        #expect(lines.last == "  and 3 rows of events.csv that name a posting refused above (not listed: they fail only because of it)", "\(result.stderr)")
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// A postings row refused without a posting name to tell (a row saved with semicolons among
    /// comma rows, an empty `posting` field) may have defined any posting: events rows naming a
    /// posting not found are counted as its consequences, not listed as unknown postings with a
    /// suggestion of another ad.
    @Test(arguments: ["decoy;ad-2;2024-01-01T00:00:00Z\n", "decoy,,2024-01-01T00:00:00Z\n"])
    func eventsOfPostingsRowsWithoutANameAreConsequences(row: String) throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n" + row)
        try cli.write("events.csv", "posting,at,channel\nad-1,2024-01-01T01:00:00Z,call\nad-2,2024-01-01T01:00:00Z,call\nad-2,2024-01-01T02:00:00Z,call\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "error: nothing imported: 1 problem in the input" && lines.dropFirst().allSatisfy { !$0.contains("events.csv:") }, "\(result.stderr)")
        #expect(lines.last == "  and 2 rows of events.csv that name a posting refused above (not listed: they fail only because of it)", "\(result.stderr)")
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// A time past what decoy stores, typed to the microsecond with an offset, is refused with
    /// the whole reason: the message names no digits the command line's own scrubbing would
    /// withhold (its `999999` is also in the typed time) and so garble.
    @Test func aRecordAtPastTheStoredYearsSaysWhyInFull() throws {
        try writeMixedDataSet()
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        for at in ["9999-12-31T23:59:59.999999-01:00", "0000-12-31T23:59:59.999999+01:00"] {
            let result = try decoy("record", "1", "--posting", "ad-1", "--channel", "call", "--at", at)
            #expect(result.status == 64 && result.stderr.hasPrefix("error: --at: outside the times decoy stores"), "\(result.stderr)")
            #expect(!result.stderr.contains("not repeated here"), "\(result.stderr)")
        }
    }

    /// Instants before year 1 or after 9999 in UTC cannot be stored (nor written back with a
    /// 4-digit year): refused at their line, not taken for a damaged run, and no file is left.
    @Test func instantsOutsideTheYearsDecoyStoresAreRefusedAtTheirLine() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,0001-01-01T00:30:00+01:00\ndecoy,ad-2,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\nad-2,9999-12-31T23:30:00-01:00,call\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: nothing imported: 2 problems in the input"), "\(result.stderr)")
        #expect(result.stderr.contains("postings.csv:2: posted_at: outside the times decoy stores"), "\(result.stderr)")
        #expect(result.stderr.contains("events.csv:2: at: outside the times decoy stores"), "\(result.stderr)")
        #expect(!result.stderr.contains("damaged"))
        #expect(!cli.exists("decoy.sqlite"))
    }

    @Test func headersAndOffsetsAreReadAsSpreadsheetsAndRWriteThem() throws {
        // A basic offset (`+0100`, as R's format(x, "%z") writes it) is the same instant as `+01:00`.
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T01:00:00+0100\n")
        try cli.write("events.csv", "posting,at,channel\nad-1,2024-01-01T01:30:00+0100,call\n")
        let imported = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json")
        #expect(imported.status == 0, "\(imported.stderr)")
        let exported = try decoy("export", "1", "--table", "events")
        #expect(exported.stdout.contains("2024-01-01T00:30:00.000000Z"), "\(exported.stdout)")

        try cli.write("semicolons.csv", "arm;posting;posted_at\ndecoy;ad-1;2024-01-01T00:00:00Z\n")
        let semicolons = try decoy("import", "field.yaml", "--postings", "semicolons.csv", "--events", "events.csv", "--db", "other.sqlite")
        #expect(semicolons.status == 1 && semicolons.stderr.contains("semicolons.csv:1: the file looks semicolon-separated"), "\(semicolons.stderr)")
        try cli.write("renamed.csv", "posting,time,channel\nad-1,2024-01-01T00:30:00Z,call\n")
        let renamed = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "renamed.csv", "--db", "other.sqlite")
        #expect(renamed.status == 1 && renamed.stderr.contains("renamed.csv:1: column 2 of the header: expected `at`, found `time`"), "\(renamed.stderr)")
        // A first line that is a data row is never repeated.
        try cli.write("headless.csv", "ad-1,+44 7700 900123,call\n")
        let headless = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "headless.csv", "--db", "other.sqlite")
        #expect(headless.status == 1 && !headless.stderr.contains("7700") && headless.stderr.contains("column 1 of the header: expected `posting`, found a field of 4 characters"),
                "\(headless.stderr)")
        #expect(!cli.exists("other.sqlite"))
    }

    /// A header with the expected columns and one more (a notes column), or with one missing, says
    /// which column, not that the header may be missing or the files swapped.
    @Test func aHeaderWithAColumnTooManyOrTooFewNamesIt() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        for (header, message) in [
            ("posting,at,channel,contact,note", "events.csv:1: column 5 of the header: expected no column after `contact`, found `note`"),
            ("posting,at,channel,contact,+44 7700 900123", "events.csv:1: column 5 of the header: expected no column after `contact`, found a field of 15 characters"),
            ("posting,at", "events.csv:1: the header has no column `channel` after `at`; the header is `posting,at,channel` or `posting,at,channel,contact`"),
        ] {
            try cli.write("events.csv", header + "\n")
            let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
            #expect(result.status == 1 && result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("7700"))
        }
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// A UTF-16 file (Excel's "Unicode Text", Windows PowerShell's `>`) is named as such, once,
    /// with what to do, and its events rows are not taken for a header to correct.
    @Test(arguments: [String.Encoding.utf16LittleEndian, .utf16BigEndian])
    func aUTF16FileIsNamedAsSuch(encoding: String.Encoding) throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        let bom: [UInt8] = encoding == .utf16LittleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        let text = try #require("posting,at,channel\nad-1,2024-01-01T01:00:00Z,call\n".data(using: encoding))
        try (Data(bom) + text).write(to: cli.folder.appendingPathComponent("events.csv"))
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines == ["error: nothing imported: 1 problem in the input",
                          "  events.csv:1: the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as CSV in UTF-8"], "\(result.stderr)")
        #expect(!cli.exists("decoy.sqlite"))
    }

    /// Rows of empty fields (a spreadsheet's formatted but empty rows, saved as `,,,`) hold no data
    /// and are skipped like blank lines; the line numbers of the other rows are kept.
    @Test func rowsOfEmptyFieldsAreSkippedLikeBlankLines() throws {
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\n,,,\ndecoy,ad-1,2024-01-01T00:00:00Z,\n,,,\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T01:00:00Z,call,\n,,,\r\n\"\",,,\nad-1,bad,call,\n")
        let bad = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error: nothing imported: 1 problem in the input") && bad.stderr.contains("events.csv:5: at:"), "\(bad.stderr)")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T01:00:00Z,call,\n,,,\n  , \t,  ,\n   \n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        #expect(json["postings"] as? Int == 1 && json["contacts"] as? Int == 1)
    }

    /// A semicolon-separated file is told as such with a separator after the last column or a
    /// column more, as spreadsheets save them.
    @Test(arguments: ["posting;at;channel;contact;", "posting;at;channel;contact;note", "posting ; at ; channel"])
    func aSemicolonSeparatedHeaderIsToldWhateverItsLastColumns(header: String) throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", header + "\nad-1;2024-01-01T01:00:00Z;call;;\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1 && result.stderr.contains("events.csv:1: the file looks semicolon-separated"), "\(result.stderr)")
    }

    @Test func aTabSeparatedFileIsToldAsSuch() throws {
        try cli.write("postings.csv", "arm\tposting\tposted_at\ndecoy\tad-1\t2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1 && result.stderr.contains("postings.csv:1: the file looks tab-separated"), "\(result.stderr)")
    }

    @Test func rawIdentifiersNeverReachAnyDatabaseByteAndPseudonymsAreStable() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T00:10:00Z,call,+44 7700 900123\nad-2,2024-01-01T00:20:00Z,sms,Jane.Doe@Example.com\n")
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv").status == 0)
        // The same people written differently, in a second import and in a record.
        try cli.write("events2.csv", "posting,at,channel,contact\nad-2,2024-01-01T00:30:00Z,call,0044 7700-900-123\n")
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events2.csv").status == 0)
        #expect(try decoy("record", "1", "--posting", "ad-1", "--channel", "sms", "--contact", "  jane.doe@example.COM ", "--at", "2024-01-01T01:00:00Z").status == 0)
        let pseudonyms = TestCLI.column("contactor", of: try decoy("export", "1", "--table", "events").stdout)
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
        let other = TestCLI.column("contactor", of: try decoy("export", "1", "--table", "events").stdout)
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
        let events = try decoy("export", "1", "--table", "events").stdout
        #expect(TestCLI.column("channel", of: events) == ["call"] && TestCLI.column("contactor", of: events) == [""])
    }

    @Test func recordAndEndAreValidatedLikeImport() throws {
        try writeMixedDataSet()
        _ = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        let unknown = try decoy("record", "1", "--posting", "ad-7", "--channel", "call", "--at", "2024-01-01T01:00:00Z")
        #expect(unknown.status == 1 && unknown.stderr.contains("error: --posting: unknown posting") && !unknown.stderr.contains("ad-7"), "\(unknown.stderr)")
        let late = try decoy("record", "1", "--posting", "ad-2", "--channel", "call", "--at", "2024-01-01T05:00:00Z")
        #expect(late.status == 1 && late.stderr.contains("error: --at: 2024-01-01T05:00:00Z is after the end of the posting's observation window"), "\(late.stderr)")
        let channel = try decoy("record", "1", "--posting", "ad-1", "--channel", "fax", "--at", "2024-01-01T01:00:00Z")
        #expect(channel.status == 1 && channel.stderr.contains("error: --channel: not a channel of arm `decoy`") && !channel.stderr.contains("fax"), "\(channel.stderr)")
        let badTime = try decoy("record", "1", "--posting", "ad-1", "--channel", "call", "--at", "soon")
        #expect(badTime.status == 64 && badTime.stderr.contains("--at: expected an ISO-8601 time with its UTC offset"))
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

    // MARK: - Repeated rows, races, atomic digests

    func importJSON(_ events: String = "events.csv", postings: String = "postings.csv") throws -> [String: Any] {
        let result = try decoy("import", "field.yaml", "--postings", postings, "--events", events, "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try cli.json(result.stdout) as? [String: Any])
    }

    /// Field logs have minute resolution: the same row three times is three contacts.
    @Test func repeatedRowsAreStoredAsOftenAsTheFileHasThem() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        let triple = String(repeating: "ad-1,2024-01-01T00:10:00Z,call,\n", count: 3)
        let twice = String(repeating: "ad-1,2024-01-01T00:20:00Z,sms,+44 7700 900123\n", count: 2)
        try cli.write("events.csv", "posting,at,channel,contact\n" + triple + twice)
        let first = try importJSON()
        #expect(first["new_contacts"] as? Int == 5 && first["already_stored"] as? Int == 0 && first["contacts"] as? Int == 5)
        let again = try importJSON()
        #expect(again["new_contacts"] as? Int == 0 && again["already_stored"] as? Int == 5 && again["contacts"] as? Int == 5)
        try cli.write("events.csv", "posting,at,channel,contact\n" + triple + "ad-1,2024-01-01T00:10:00Z,call,\n" + twice)
        let more = try importJSON()
        #expect(more["new_contacts"] as? Int == 1 && more["already_stored"] as? Int == 5 && more["contacts"] as? Int == 6)
        // `record` always appends its one contact, even the same caller twice in a minute.
        for _ in 0..<2 {
            let recorded = try decoy("record", "1", "--posting", "ad-1", "--channel", "sms", "--contact", "+44 7700 900123", "--at", "2024-01-01T00:20:00Z", "--format", "json")
            #expect(recorded.status == 0, "\(recorded.stderr)")
        }
        let after = try importJSON()
        #expect(after["new_contacts"] as? Int == 0 && after["contacts"] as? Int == 8)
    }

    func start(_ arguments: [String]) throws -> Process {
        try cli.start(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": Self.key]).process
    }

    /// `record` after the end and `end` before the contact, at once: exactly one of them wins and
    /// no contact is ever left after its posting's window.
    @Test func concurrentRecordAndEndNeverLeaveAContactAfterTheWindow() throws {
        let trials = 12
        try cli.write("race.yaml", """
            version: 1
            name: race
            seed: 1
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            arms:
              - name: decoy
                postings: \(trials)
            """)
        try cli.write("postings.csv", "arm,posting,posted_at\n" + (0..<trials).map { "decoy,ad-\($0),2024-01-01T00:00:00Z\n" }.joined())
        try cli.write("events.csv", "posting,at,channel\n")
        #expect(try decoy("import", "race.yaml", "--postings", "postings.csv", "--events", "events.csv").status == 0)
        for trial in 0..<trials {
            let pair = [
                try start(["record", "1", "--posting", "ad-\(trial)", "--channel", "call", "--at", "2024-01-01T05:00:00Z"]),
                try start(["end", "1", "--posting", "ad-\(trial)", "--at", "2024-01-01T04:00:00Z"]),
            ]
            for process in pair { process.waitUntilExit() }
            let wins = pair.filter { $0.terminationStatus == 0 }.count
            #expect(wins == 1, "trial \(trial): \(pair.map(\.terminationStatus))")
        }
        let postings = try decoy("export", "1", "--table", "postings").stdout.split(separator: "\n").dropFirst()
        let events = try decoy("export", "1", "--table", "events").stdout.split(separator: "\n").dropFirst()
        var window: [String: Double] = [:]
        for row in postings { let f = row.split(separator: ",", omittingEmptySubsequences: false); window[String(f[3])] = Double(f[5]) }
        for row in events {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            let hours = (Double(f[5]) ?? 0) / 3600
            #expect(hours <= window[String(f[3])] ?? -1, "contact of \(f[3]) at \(hours) h after its window")
        }
    }

    /// Identical imports at once claim one observed run and store each contact once.
    @Test func concurrentImportsClaimOneRun() throws {
        try writeMixedDataSet()
        let processes = try (0..<4).map { _ in try start(["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv"]) }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let runs = try #require(try cli.json(try decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.count == 1)
        #expect(runs.first?["contacts"] as? Int == 13)
    }

    /// The digest is written with the data: a failure between them stores neither.
    @Test func aFailedDigestWriteStoresNothingOfTheImport() throws {
        try writeMixedDataSet()
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv").status == 0)
        let connection = try Connection(path: cli.folder.appendingPathComponent("decoy.sqlite").path, create: false)
        try connection.execute("CREATE TRIGGER refuse_digest BEFORE UPDATE OF digest ON runs BEGIN SELECT RAISE(ABORT, 'disk gone'); END")
        try cli.write("events.csv", "posting,at,channel,contact\nad-3,\(Self.at(hours: 5)),sms,\n")
        let failed = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(failed.status != 0)
        let runs = try #require(try cli.json(try decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.count == 1 && runs.first?["contacts"] as? Int == 13, "the import's contact was stored without its digest")
        #expect((runs.first?["digest"] as? String)?.count == 64)
    }

    /// An end at or after the horizon observes the whole horizon and is not a removal, through
    /// `end` as through `import`.
    @Test func anEndAfterTheHorizonIsNotARemovalOnEitherPath() throws {
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T00:00:00Z,2024-01-01T12:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z,\ndecoy,ad-3,2024-01-01T00:00:00Z,2024-01-01T10:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        _ = try importJSON()
        #expect(try decoy("end", "1", "--posting", "ad-2", "--at", "2024-01-01T12:00:00Z").status == 0)
        let rows = try decoy("export", "1", "--table", "postings").stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 3)
        for row in rows { #expect(row[5] == "10" && row[6] == "0", "\(row)") }
    }

    /// A later import never reopens a window that `end` (or an earlier import) closed: an
    /// `ended_at` past the stored end is refused with its line, an earlier one shortens it.
    @Test func aReimportNeverReopensAnEndedWindow() throws {
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T00:00:00Z,\ndecoy,ad-2,2024-01-01T00:00:00Z,\n")
        try cli.write("events.csv", "posting,at,channel\n")
        _ = try importJSON()
        #expect(try decoy("end", "1", "--posting", "ad-1", "--at", "2024-01-01T04:00:00Z").status == 0)
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T00:00:00Z,2024-01-01T12:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z,\n")
        let refused = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(refused.status == 1 && refused.stderr.contains("postings.csv:2: ended_at") && refused.stderr.contains("never reopened"), "\(refused.stderr)")
        try cli.write("postings.csv", "arm,posting,posted_at,ended_at\ndecoy,ad-1,2024-01-01T00:00:00Z,2024-01-01T03:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z,\n")
        #expect(try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv").status == 0)
        let rows = try decoy("export", "1", "--table", "postings").stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first?[5] == "3" && rows.first?[6] == "1", "\(rows)")
    }

    @Test func endOnASimulatedRunSaysItIsSimulated() throws {
        #expect(try decoy("run", cli.quickstartPath, "--quiet").status == 0)
        let refused = try decoy("end", "1", "--posting", "0")
        #expect(refused.status == 1 && refused.stderr.contains("is simulated") && refused.stderr.contains("`end` applies to observed runs"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("record"), "\(refused.stderr)")
    }

    @Test func theCapacityErrorPointsAtTheFirstPostingOverCapacity() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\n" + (1...4).map { "control,c-\($0),2024-01-01T00:00:00Z\n" }.joined())
        try cli.write("events.csv", "posting,at,channel\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        #expect(result.status == 1 && result.stderr.contains("postings.csv:4: arm `control` has 4 postings, more than the 2 of the config"), "\(result.stderr)")
    }

    // MARK: - Hostile labels

    /// A NUL or other control character in a name is refused with its line; nothing is stored
    /// under a truncated name.
    @Test func controlCharactersInNamesAreRefused() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ncontrol,c-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        _ = try importJSON()
        try cli.write("bad.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ndecoy,\"ad\u{0}x\",2024-01-01T00:00:00Z\n")
        for _ in 0..<2 {
            let result = try decoy("import", "field.yaml", "--postings", "bad.csv", "--events", "events.csv")
            #expect(result.status == 1 && result.stderr.contains("bad.csv:3: posting:") && result.stderr.contains("control character"), "\(result.stderr)")
        }
        try cli.write("channel.csv", "posting,at,channel\nc-1,2024-01-01T01:00:00Z,\"ca\u{0}ll\"\n")
        let channel = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "channel.csv")
        #expect(channel.status == 1 && channel.stderr.contains("channel.csv:2: channel:"), "\(channel.stderr)")
        let recorded = try decoy("record", "1", "--posting", "c-1", "--channel", "ca\u{7}ll", "--at", "2024-01-01T01:00:00Z")
        #expect(recorded.status == 1 && recorded.stderr.contains("--channel") && recorded.stderr.contains("control character"), "\(recorded.stderr)")
        let posting = try decoy("end", "1", "--posting", "ad\u{1B}-1")
        #expect(posting.status == 1 && posting.stderr.contains("--posting") && posting.stderr.contains("control character"), "\(posting.stderr)")
        #expect(!posting.stderr.contains("\u{1B}") && !recorded.stderr.contains("\u{7}"))
        let runs = try #require(try cli.json(try decoy("runs", "--format", "json").stdout) as? [[String: Any]])
        #expect(runs.first?["postings"] as? Int == 2 && runs.first?["contacts"] as? Int == 0)
    }

    /// A run holding two postings of one name (as an older version could store) is reported, not a crash.
    @Test func duplicateStoredNamesGiveAClearErrorNotACrash() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ndecoy,ad-2,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        _ = try importJSON()
        let connection = try Connection(path: cli.folder.appendingPathComponent("decoy.sqlite").path, create: false)
        try connection.execute("UPDATE postings SET label = 'ad-1' WHERE label = 'ad-2'")
        let imported = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv")
        let recorded = try decoy("record", "1", "--posting", "ad-1", "--channel", "call", "--at", "2024-01-01T01:00:00Z")
        for result in [imported, recorded] {
            #expect(result.status == 1 && result.stderr.hasPrefix("error:") && result.stderr.contains("run 1") && result.stderr.contains("twice"), "\(result.stderr)")
        }
    }

    // MARK: - Privacy: no message quotes what could be an identifier

    static let phone = "+33 6 12 34 56 78"
    static func leaks(_ text: String) -> Bool {
        text.contains("12 34 56") || text.contains("612345678") || text.contains("6 12") || text.contains("jane")
    }

    @Test func swappedFilesAreRefusedWithoutQuotingThem() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel,contact\nad-1,2024-01-01T00:10:00Z,call,\(Self.phone)\n")
        try cli.write("header.csv", "ad-1,2024-01-01T00:10:00Z,call,\(Self.phone)\n")
        for (postings, events) in [("events.csv", "postings.csv"), ("header.csv", "events.csv"), ("postings.csv", "header.csv")] {
            let result = try decoy("import", "field.yaml", "--postings", postings, "--events", events)
            #expect(result.status == 1 && result.stderr.hasPrefix("error:"))
            #expect(!Self.leaks(result.stderr), "\(result.stderr)")
        }
    }

    @Test func argumentsThatCouldBeIdentifiersAreNeverEchoed() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ndecoy,ad-1,2024-01-01T00:00:00Z\ncontrol,c-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\n")
        _ = try importJSON()
        let cases: [[String]] = [
            ["record", "1", "--posting", "ad-1", "--channel", "call", Self.phone],
            ["record", "1", "--posting", "ad-1", "--channel", "call", "--contact"],
            ["record", "1", "--posting", Self.phone, "--channel", "call", "--at", "2024-01-01T01:00:00Z"],
            ["record", "1", "--posting", "ad-1", "--channel", Self.phone, "--at", "2024-01-01T01:00:00Z"],
            ["record", "1", "--posting", "c-1", "--channel", Self.phone, "--at", "2024-01-01T01:00:00Z"],
            ["record", "1", "--posting", "c-1", "--channel", "jane@example.com", "--at", "2024-01-01T01:00:00Z"],
            ["record", Self.phone, "--posting", "ad-1", "--channel", "call"],
            ["record", "1", "--posting", "ad-1", "--channel", "call", "--at", Self.phone],
            ["end", "1", "--posting", Self.phone],
            ["end", Self.phone, "--posting", "ad-1"],
            ["end", "1", "--posting", "ad-1", "--at", Self.phone],
            ["show", Self.phone],
            ["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--run", Self.phone],
            ["record", "1", "--posting", "ad-1", "--chanel", Self.phone],
            ["record", "1", "--posting", "ad-1", "--channel", "call", "--format", Self.phone],
        ]
        for arguments in cases {
            let result = try decoy(arguments: arguments)
            #expect(result.status != 0 && result.stderr.hasPrefix("error:"), "\(arguments): \(result.stderr)")
            #expect(!Self.leaks(result.stderr) && !Self.leaks(result.stdout), "\(arguments): \(result.stderr)")
        }
        let unexpected = try decoy(arguments: cases[0])
        #expect(unexpected.stderr.lowercased().contains("unexpected argument"), "\(unexpected.stderr)")
    }

    func decoy(arguments: [String]) throws -> TestCLI.Result {
        try cli.decoy(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": Self.key])
    }

    /// A phone number typed in the channel column of an arm with free channel labels is refused
    /// and never reaches any database byte.
    @Test func aPhoneNumberInTheChannelColumnIsRefusedAndNeverStored() throws {
        try cli.write("postings.csv", "arm,posting,posted_at\ncontrol,c-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel\nc-1,2024-01-01T00:05:00Z,call\n")
        _ = try importJSON()
        try cli.write("bad.csv", "posting,at,channel\nc-1,2024-01-01T00:10:00Z,call\nc-1,2024-01-01T00:20:00Z,\(Self.phone)\n")
        let result = try decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "bad.csv")
        #expect(result.status == 1 && result.stderr.contains("bad.csv:3: channel:") && !Self.leaks(result.stderr), "\(result.stderr)")
        let recorded = try decoy("record", "1", "--posting", "c-1", "--channel", "06.12.34.56.78", "--at", "2024-01-01T00:30:00Z")
        #expect(recorded.status == 1 && !recorded.stderr.contains("34.56"), "\(recorded.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("decoy.sqlite") }
        for file in files {
            let bytes = try Data(contentsOf: cli.folder.appendingPathComponent(file))
            for needle in ["12 34 56", "34.56", "612345678"] { #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) in \(file)") }
        }
    }
}
