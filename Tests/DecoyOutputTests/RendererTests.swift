import DecoyModel
@testable import DecoyOutput
import Foundation
import Testing

/// One presentation, three formats: what each renderer promises.
@Suite struct RendererTests {
    static let sample = Presentation(
        title: "a title",
        fields: [Field("name", .text("x, \"quoted\"")), Field("count", .int(3)), Field("ratio", .number(nil)), Field("secret", .text("long"), shownInTable: false)],
        tables: [
            Table(key: "rows", columns: [Column("label"), Column("value", rightAligned: true), .data("exact"), .forPeople("for people")],
                  rows: [[.text("a"), .number(1.23456789, .fixed(2)), .number(0.1), .text("shown")],
                         [.text("b,c"), .number(1234.5, .fixed(2)), .missing, .text("-")]]),
        ],
        notes: ["a note"])

    @Test func csvWritesTheFirstTableExactlyWithItsDataColumnsOnly() {
        let csv = Renderer.render(Self.sample, as: .csv)
        #expect(csv == "label,value,exact\na,1.23456789,0.1\n\"b,c\",1234.5,\n")
    }

    @Test func csvWithoutATableIsTheFieldsAsOneRow() {
        let presentation = Presentation(fields: [Field("a", .text("1,2")), Field("b", .missing), Field("c", .bool(true))])
        #expect(Renderer.render(presentation, as: .csv) == "a,b,c\n\"1,2\",,true\n")
    }

    @Test func jsonKeepsOrderNullsMissingAndCarriesTablesByKey() throws {
        let text = Renderer.render(Self.sample, as: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["name"] as? String == "x, \"quoted\"" && object["count"] as? Int == 3 && object["ratio"] is NSNull)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == 2 && rows[0]["value"] as? Double == 1.23456789 && rows[1]["exact"] is NSNull)
        #expect(rows[0]["for people"] == nil, "a column for people is not data")
        #expect(text.range(of: "\"name\"")!.lowerBound < text.range(of: "\"rows\"")!.lowerBound)
    }

    @Test func tableTextAlignsShowsStylesAndHidesDataOnlyParts() {
        let text = Renderer.render(Self.sample, as: .table)
        #expect(text == """
            a title

            name   x, "quoted"
            count  3
            ratio  -

            label    value  for people
            -----  -------  ----------
            a         1.23  shown
            b,c    1234.50  -

            a note

            """)
    }

    @Test func shownValuesReadDifferentlyForPeopleThanForPrograms() {
        let presentation = Presentation(shape: .rows, tables: [Table(key: "t", columns: [Column("digest")], rows: [[.shown("abc", as: .text("abcdef"))]])])
        #expect(Renderer.render(presentation, as: .csv) == "digest\nabcdef\n")
        #expect(Renderer.render(presentation, as: .json) == "[\n  {\n    \"digest\": \"abcdef\"\n  }\n]\n")
        #expect(Renderer.render(presentation, as: .table).contains("abc\n") && !Renderer.render(presentation, as: .table).contains("abcdef"))
    }

    static let origin = Origin(database: "study.sqlite", runs: [
        Origin.Run(id: 2, name: "field", source: .observed), Origin.Run(id: 1, name: "quickstart", source: .simulated),
        Origin.Run(id: 2, name: "field", source: .observed),
    ])

    /// The database and runs lead table text and end a JSON object; CSV stays the table alone.
    @Test func theOriginLeadsTableTextAndEndsJSONButNeverEntersCSV() throws {
        let presentation = Self.sample.from(Self.origin)
        let text = Renderer.render(presentation, as: .table)
        #expect(text == "run 2 `field`, observed, and run 1 `quickstart`, simulated, in study.sqlite\n\n" + Renderer.render(Self.sample, as: .table))
        #expect(Renderer.render(presentation, as: .csv) == Renderer.render(Self.sample, as: .csv))
        let fieldsOnly = Presentation(fields: [Field("a", .int(1))], origin: Self.origin)
        #expect(Renderer.render(fieldsOnly, as: .csv) == "a\n1\n")
        let json = Renderer.render(presentation, as: .json)
        #expect(json.hasPrefix(String(Renderer.render(Self.sample, as: .json).dropLast(3))), "the other keys keep their place")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let origin = try #require(object["origin"] as? [String: Any])
        #expect(origin["database"] as? String == "study.sqlite")
        let runs = try #require(origin["runs"] as? [[String: Any]])
        #expect(runs.map { $0["run_id"] as? Int } == [2, 1] && runs.map { $0["source"] as? String } == ["observed", "simulated"])
        #expect(runs.map { $0["name"] as? String } == ["field", "quickstart"])
        // Rows without an origin stay an array; with one, they move under their table's key beside it.
        let rows = Presentation(shape: .rows, tables: [Table(key: "t", columns: [Column("x")], rows: [[.int(1)]])])
        #expect(try JSONSerialization.jsonObject(with: Data(Renderer.render(rows, as: .json).utf8)) as? [[String: Int]] == [["x": 1]])
        let keyed = try #require(try JSONSerialization.jsonObject(with: Data(Renderer.render(rows.from(Self.origin), as: .json).utf8)) as? [String: Any])
        #expect(Set(keyed.keys) == ["t", "origin"] && keyed["t"] as? [[String: Int]] == [["x": 1]])
        #expect(Renderer.render(rows.from(Self.origin), as: .csv) == Renderer.render(rows, as: .csv))
        #expect(Renderer.render(rows.from(Self.origin), as: .table).hasPrefix("run 2 `field`, observed, and run 1"))
    }

    /// A database path that could hold a contact identifier is described, not shown.
    @Test func aDatabaseNameThatCouldHoldAnIdentifierIsNotShown() {
        let origin = Origin(database: "calls/+447700900123.sqlite", runs: [Origin.Run(id: 1, name: "f", source: .observed)])
        let presentation = Presentation(fields: [Field("a", .int(1))], origin: origin)
        for format in OutputFormat.allCases { #expect(!Renderer.render(presentation, as: format).contains("7700"), "\(format)") }
        #expect(origin.line == "run 1 `f`, observed, in a file name of 26 characters")
    }

    @Test func anEmptyTableCanSayWhyInTableText() {
        let presentation = Presentation(shape: .rows, tables: [Table(key: "runs", columns: [Column("run_id")], rows: [], emptyNote: "no runs in x")])
        #expect(Renderer.render(presentation, as: .table) == "no runs in x\n")
        #expect(Renderer.render(presentation, as: .csv) == "run_id\n")
        #expect(Renderer.render(presentation, as: .json) == "[]\n")
    }
}

/// No bidirectional control character reaches a page, wherever the text came from.
@Suite struct PageTextTests {
    @Test func bidiControlsAreReplacedOnThePage() {
        var page = HTMLPage(title: "run \u{202E}lmth.exe")
        page.description = ["an ad \u{2066}isolated\u{2069} and \u{200F}marked"]
        let html = page.html
        let hasBidiControl = html.unicodeScalars.contains { $0.properties.isBidiControl }
        #expect(!hasBidiControl)
        #expect(html.contains("run \u{FFFD}lmth.exe"))
    }
}
