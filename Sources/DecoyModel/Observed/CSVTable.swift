public import Foundation

/// An RFC 4180 CSV file read into rows of fields, each row with the line it starts on.
///
/// Accepts a UTF-8 byte-order mark (a UTF-16 one is refused), CRLF, LF or CR line ends, quoted
/// fields with doubled quotes and line breaks inside quotes; blank lines and rows of empty fields
/// (or of spaces and tabs) are skipped. Problems (invalid UTF-8, an unterminated quote, text after
/// a closing quote) are reported with their line and never echo the offending field.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        public var line: Int
        public var fields: [String]
    }

    public var header: [String]
    public var rows: [Row]
    /// Problems found while reading, as (line, message).
    public var problems: [(line: Int, message: String)]

    /// The longest line accepted, in bytes, not counting its line break.
    public static let maximumLineBytes = 1 << 20

    public init(data: Data) {
        var bytes = [UInt8](data)
        // UTF-16 (Excel's "Unicode Text", Windows PowerShell's `>`) is refused as a whole: read as
        // bytes, its every line would look malformed.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            header = []
            rows = []
            problems = [(line: 1, message: "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as CSV in UTF-8")]
            return
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [Row] = []
        var problems: [(Int, String)] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var inQuotes = false, afterQuote = false, badRecord = false
        var lineBytes = 0
        var i = 0
        func finishField() {
            if let text = String(validatingUTF8Bytes: field) {
                fields.append(text)
            } else {
                if !badRecord { problems.append((recordLine, "the text is not valid UTF-8")) }
                badRecord = true
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func finishRecord() {
            finishField()
            // A blank line, or a row of empty fields (a spreadsheet's empty rows saved as `,,,`, or
            // `  ,  ,` once its fields are trimmed as every field is read), holds no data.
            if !badRecord, !fields.allSatisfy({ $0.trimmingCharacters(in: ObservedData.padding).isEmpty }) { records.append(Row(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
            badRecord = false
        }
        while i < bytes.count {
            let b = bytes[i]
            // A line's length excludes its line break.
            if b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") { lineBytes += 1 }
            if lineBytes > Self.maximumLineBytes, !badRecord {
                problems.append((recordLine, "the line is longer than \(Self.maximumLineBytes) bytes"))
                badRecord = true
            }
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 2
                        continue
                    }
                    inQuotes = false
                    afterQuote = true
                } else {
                    if b == UInt8(ascii: "\n") || (b == UInt8(ascii: "\r") && (i + 1 >= bytes.count || bytes[i + 1] != UInt8(ascii: "\n"))) {
                        line += 1
                        lineBytes = 0
                    }
                    field.append(b)
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: ","):
                finishField()
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                if b == UInt8(ascii: "\r"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                finishRecord()
                line += 1
                lineBytes = 0
                recordLine = line
            case UInt8(ascii: "\"") where field.isEmpty && !afterQuote:
                inQuotes = true
            default:
                if afterQuote, !badRecord {
                    problems.append((recordLine, "text after a closing quote; quote the whole field and double any quote inside it"))
                    badRecord = true
                }
                field.append(b)
            }
            i += 1
        }
        if inQuotes {
            problems.append((recordLine, "a quoted field is not closed before the end of the file"))
            badRecord = true
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote { finishRecord() }
        header = records.first?.fields.map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        rows = Array(records.dropFirst())
        self.problems = problems.map { (line: $0.0, message: $0.1) }
    }
}

extension String {
    /// The string of UTF-8 bytes, or `nil` when they are not valid UTF-8.
    init?(validatingUTF8Bytes bytes: [UInt8]) {
        var iterator = bytes.makeIterator()
        var scalars = String.UnicodeScalarView()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): scalars.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(scalars)
    }
}
