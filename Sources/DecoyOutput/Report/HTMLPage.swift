import DecoyModel
import Foundation
import Mustache

/// A self-contained HTML page: sections rendered from presentations and charts, no external
/// reference of any kind, the same bytes for the same values.
public struct HTMLPage {
    var title: String
    var subtitle: String?
    var banners: [String] = []
    var description: [String] = []
    var sections: [(id: String, heading: String, html: String)] = []
    var footer: String?

    static let templates: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            try library.register(HTMLTemplates.page, named: "page")
            try library.register(HTMLTemplates.section, named: "section")
            try library.register(HTMLTemplates.figure, named: "figure")
        } catch {
            preconditionFailure("the report templates do not parse: \(error)")
        }
        return library
    }()

    static func render(_ context: [String: Any], with template: String) -> String {
        guard let text = templates.render(context, withTemplate: template) else { preconditionFailure("no template \(template)") }
        return text
    }

    /// The page.
    public var html: String {
        var context: [String: Any] = [
            "title": title, "banners": banners, "description": description, "hasContents": sections.count > 2,
            "sections": sections.map { ["id": $0.id, "heading": $0.heading, "html": $0.html] as [String: Any] }, "css": HTMLTemplates.css,
        ]
        if let subtitle { context["subtitle"] = subtitle }
        if let footer { context["footer"] = footer }
        return Self.neutralisingBidiControls(Self.render(context, with: "page"))
    }

    /// `html` with every bidirectional control character (U+061C, U+200E, U+200F, U+202A–U+202E,
    /// U+2066–U+2069) replaced by U+FFFD: text stored before such characters were refused (a
    /// description, a name) must not reorder what the page shows. The page's own markup has none.
    static func neutralisingBidiControls(_ html: String) -> String {
        guard html.unicodeScalars.contains(where: \.properties.isBidiControl) else { return html }
        var scalars = String.UnicodeScalarView()
        for scalar in html.unicodeScalars {
            scalars.append(scalar.properties.isBidiControl ? "\u{FFFD}" : scalar)
        }
        return String(scalars)
    }

    /// One section: optional paragraphs, the presentation's fields and tables as people read
    /// them (the table text format's columns), figures, text blocks (open ones first, then
    /// collapsed ones) and notes.
    static func section(id: String, heading: String, paragraphs: [String] = [], presentation: Presentation? = nil,
                        figures: [String] = [], openBlocks: [(summary: String, text: String)] = [],
                        blocks: [(summary: String, text: String)] = [], notes: [String] = []) -> String {
        var fields: [[String: Any]] = []
        var tables: [[String: Any]] = []
        var allNotes: [String] = []
        if let presentation {
            fields = presentation.fields.filter(\.shownInTable).map { ["label": $0.label ?? $0.key, "value": Renderer.display($0.value)] }
            for table in presentation.tables where table.shownInTable {
                let (columns, rows) = Renderer.forPeople(table)
                let align = columns.map { $0.rightAligned ? "num" : "" }
                var entry: [String: Any] = [
                    "hasRows": !rows.isEmpty,
                    "headers": zip(columns, align).map { ["text": $0.title, "align": $1] },
                    "rows": rows.map { row in ["cells": zip(row, align).map { ["text": $0, "align": $1] }] },
                ]
                // Absent keys, never nil values: a nil in a context renders as text.
                if let title = table.title { entry["title"] = title }
                if table.rows.isEmpty { entry["empty"] = table.emptyNote ?? "none" }
                tables.append(entry)
            }
            allNotes = presentation.notes
        }
        return render([
            "id": id, "heading": heading, "paragraphs": paragraphs, "hasFields": !fields.isEmpty, "fields": fields, "tables": tables,
            "figures": figures,
            "blocks": openBlocks.map { ["summary": $0.summary, "text": $0.text, "open": true] as [String: Any] }
                + blocks.map { ["summary": $0.summary, "text": $0.text, "open": false] as [String: Any] },
            "notes": allNotes + notes,
        ], with: "section")
    }

    /// A chart with its numbers beneath it: a table and a CSV download (a `data:` URI) with the
    /// columns of `presentation`'s CSV (as the command named writes it).
    static func figure(id: String, chart: SVGChart, caption: String, data: Presentation, file: String, command: String) -> String {
        figure(id: id, svg: chart.svg(), caption: caption, data: data, file: file, command: command)
    }

    /// A figure of any inline SVG, its data table and CSV beneath it.
    static func figure(id: String, svg: String, caption: String, data: Presentation, file: String, command: String) -> String {
        let csv = Renderer.csv(data)
        let table = data.tables.first(where: \.csv)
        let kept = table.map { t in t.columns.indices.filter { t.columns[$0].inData } } ?? []
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~,:")
        let encoded = csv.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        return render([
            "id": id, "svg": svg, "caption": caption, "count": table?.rows.count ?? 0, "file": file, "command": command,
            "uri": "data:text/csv;charset=utf-8," + encoded,
            "headers": kept.map { table!.columns[$0].key },
            "rows": (table?.rows ?? []).map { row in ["cells": kept.map { Renderer.dataText(row[$0]) }] },
        ], with: "figure")
    }
}

extension Renderer {
    /// A value as CSV writes it, without CSV quoting (a cell of an HTML data table).
    static func dataText(_ value: Value) -> String {
        switch value {
        case let .text(text): return text
        case let .json(nested): return nested.compact
        case let .shown(_, inner): return dataText(inner)
        default: return csvField(value)
        }
    }
}
