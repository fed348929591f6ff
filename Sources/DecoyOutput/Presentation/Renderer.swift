public import DecoyModel
import Foundation

/// The output formats of results.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

/// Turns a ``Presentation`` into an output format: the one place where results become text.
public enum Renderer {
    /// The presentation as text in `format`, ending with a line break.
    public static func render(_ presentation: Presentation, as format: OutputFormat) -> String {
        switch format {
        case .json: return json(presentation).pretty + "\n"
        case .csv: return csv(presentation)
        case .table: return table(presentation)
        }
    }

    // MARK: JSON

    public static func json(_ presentation: Presentation) -> JSONValue {
        switch presentation.shape {
        case .rows:
            guard let table = presentation.tables.first(where: { $0.key != nil }), let key = table.key else { return .array([]) }
            let rows = JSONValue.array(table.rows.map { objectRow($0, table.columns) })
            // Rows read from a database say which: the list under its key, beside `origin`.
            guard let origin = presentation.origin else { return rows }
            return .object([(key, rows), ("origin", origin.json)])
        case .object:
            var pairs = presentation.fields.map { ($0.key, json($0.value)) }
            for table in presentation.tables {
                guard let key = table.key else { continue }
                pairs.append((key, .array(table.rows.map { objectRow($0, table.columns) })))
            }
            if let origin = presentation.origin { pairs.append(("origin", origin.json)) }
            return .object(pairs)
        }
    }

    static func objectRow(_ row: [Value], _ columns: [Column]) -> JSONValue {
        .object(zip(columns, row).filter { $0.0.inData }.map { ($0.key, json($1)) })
    }

    static func json(_ value: Value) -> JSONValue {
        switch value {
        case let .text(text): return .string(text)
        case let .integer(number): return .integer(number)
        case let .number(number, _): return .finite(number)
        case let .bool(flag): return .bool(flag)
        case .missing: return .null
        case let .json(nested): return nested
        case let .shown(_, inner): return json(inner)
        }
    }

    // MARK: CSV

    /// The first CSV table with its header, or else the fields as a header and one row; nothing
    /// else (no origin, no notes), so that every line after the header is a row.
    public static func csv(_ presentation: Presentation) -> String {
        var lines: [String] = []
        if let table = presentation.tables.first(where: \.csv) {
            let kept = table.columns.indices.filter { table.columns[$0].inData }
            lines.append(CSV.row(kept.map { table.columns[$0].key }))
            for row in table.rows { lines.append(csvRow(kept.map { row[$0] })) }
        } else {
            lines.append(CSV.row(presentation.fields.map(\.key)))
            lines.append(csvRow(presentation.fields.map(\.value)))
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// One CSV line of values (without its line break).
    public static func csvRow(_ row: [Value]) -> String { row.map(csvField).joined(separator: ",") }

    static func csvField(_ value: Value) -> String {
        switch value {
        case let .text(text): return CSV.field(text)
        case let .integer(number): return String(number)
        case let .number(number, _): return CSV.number(number)
        case let .bool(flag): return flag ? "true" : "false"
        case .missing: return ""
        case let .json(nested): return CSV.field(nested.compact)
        case let .shown(_, inner): return csvField(inner)
        }
    }

    // MARK: Table text

    /// Table text for people: the origin, the title, the fields as aligned `label  value` lines,
    /// each table aligned under its title, then the notes.
    public static func table(_ presentation: Presentation) -> String {
        var blocks: [String] = []
        if let origin = presentation.origin { blocks.append(origin.line) }
        if let title = presentation.title { blocks.append(title) }
        let fields = presentation.fields.filter(\.shownInTable)
        if !fields.isEmpty {
            let width = fields.map { ($0.label ?? $0.key).count }.max() ?? 0
            blocks.append(fields.map { field in
                let label = field.label ?? field.key
                return label + String(repeating: " ", count: width - label.count + 2) + display(field.value)
            }.joined(separator: "\n"))
        }
        for table in presentation.tables where table.shownInTable {
            if table.rows.isEmpty, let note = table.emptyNote {
                blocks.append(note)
                continue
            }
            let (columns, rows) = forPeople(table)
            var text = TextTable.render(
                header: columns.map(\.title), rows: rows,
                rightAligned: Set(columns.enumerated().filter(\.element.rightAligned).map(\.offset)))
            if let title = table.title { text = title + "\n" + text }
            blocks.append(text)
        }
        if !presentation.notes.isEmpty { blocks.append(presentation.notes.joined(separator: "\n")) }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The columns a table shows people and its rows as they read them (table text and HTML).
    static func forPeople(_ table: Table) -> (columns: [Column], rows: [[String]]) {
        let shown = table.columns.indices.filter { table.columns[$0].shownInTable }
        return (shown.map { table.columns[$0] }, table.rows.map { row in shown.map { display(row[$0]) } })
    }

    /// A value as people read it.
    public static func display(_ value: Value) -> String {
        switch value {
        case let .text(text): return text
        case let .integer(number): return String(number)
        case let .number(number, style):
            guard let number, number.isFinite else { return "-" }
            switch style {
            case .exact: return CSV.number(number)
            case let .fixed(digits): return String(format: "%.\(digits)f", number)
            case let .significant(digits): return String(format: "%.\(digits)g", number)
            case .curve: return String(format: number >= 100 ? "%.1f" : "%.3f", number)
            }
        case let .bool(flag): return flag ? "yes" : "no"
        case .missing: return "-"
        case let .json(nested): return nested.compact
        case let .shown(text, _): return text
        }
    }
}
