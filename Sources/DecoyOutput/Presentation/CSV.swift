import DecoyModel
import Foundation

/// RFC 4180 field and number formatting for CSV output.
public enum CSV {
    /// A field, quoted when it holds a comma, quote, CR or LF.
    ///
    /// Text a spreadsheet would run as a formula (beginning with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return, and not a number) gets a leading `'`, which spreadsheets read as "text":
    /// labels like that are refused on entry, so only a database written otherwise holds them.
    public static func field(_ text: String) -> String {
        let text = TypedValue.formulaProblem(text) == nil ? text : "'" + text
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A row of fields joined by commas.
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    /// A number as the shortest text that reads back exactly; empty for `nil` or non-finite.
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return value == 0 ? "0" : Units.shortest(value)
    }
}

