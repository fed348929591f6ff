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
