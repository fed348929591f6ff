import Foundation

/// The current row of a query about one run, each value checked for the type and range its use
/// needs as it is read: a value that fails is ``StoreError/damaged(path:run:table:row:problem:)``
/// naming the run, the table and the row's key, never a default, a trap or a wrong answer.
/// Messages name columns and give numbers; no stored text is repeated.
struct StoredRow<Column: TableColumns> {
    let statement: Statement
    let path: String
    let run: Int64
    /// The column holding the row's key.
    let keyColumn: Column

    /// The row the statement is on, its key in `keyColumn`.
    init(_ statement: Statement, path: String, run: Int64, key keyColumn: Column) {
        self.statement = statement
        self.path = path
        self.run = run
        self.keyColumn = keyColumn
    }

    /// The row's key as messages name it, such as `posting_id 3`.
    var key: String {
        statement.type(keyColumn.position) == .integer
            ? "\(keyColumn.name) \(statement.int64(keyColumn.position))" : "whose \(keyColumn.name) is not an integer"
    }

    func damaged(_ problem: String) -> StoreError {
        .damaged(path: path, run: run, table: Column.table, row: key, problem: problem)
    }

    /// An integer column.
    func integer(_ column: Column) throws(StoreError) -> Int64 {
        switch statement.type(column.position) {
        case .integer: return statement.int64(column.position)
        case .null: throw damaged("\(column.name) is NULL where an integer is due")
        default: throw damaged("\(column.name) is not an integer")
        }
    }

    /// An integer column whose value must lie in `range`.
    func integer(_ column: Column, in range: ClosedRange<Int64>) throws(StoreError) -> Int64 {
        let value = try integer(column)
        guard range.contains(value) else { throw damaged("\(column.name) is \(value), outside \(Self.describe(range))") }
        return value
    }

    /// An integer column whose value must lie in `range`, as an `Int`.
    func int(_ column: Column, in range: ClosedRange<Int> = 0...Int.max) throws(StoreError) -> Int {
        Int(try integer(column, in: Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    /// An integer column that may be NULL.
    func optionalInt(_ column: Column, in range: ClosedRange<Int> = 0...Int.max) throws(StoreError) -> Int? {
        statement.isNull(column.position) ? nil : try int(column, in: range)
    }

    /// A text column.
    func text(_ column: Column) throws(StoreError) -> String {
        switch statement.type(column.position) {
        case .text:
            do {
                return try statement.text(column.position)
            } catch {
                throw StoreError.sqlite(error, path: path)
            }
        case .null: throw damaged("\(column.name) is NULL where a text is due")
        default: throw damaged("\(column.name) is not a text")
        }
    }

    /// A text column that may be NULL.
    func optionalText(_ column: Column) throws(StoreError) -> String? {
        statement.isNull(column.position) ? nil : try text(column)
    }

    /// A real column (an integer value is read as a real) that may be NULL; finite and in `range`.
    func optionalReal(_ column: Column, in range: ClosedRange<Double>) throws(StoreError) -> Double? {
        switch statement.type(column.position) {
        case .null: return nil
        case .real, .integer:
            let value = statement.double(column.position)
            guard value.isFinite, range.contains(value) else { throw damaged("\(column.name) is \(value), outside \(range.lowerBound)…\(range.upperBound)") }
            return value
        default: throw damaged("\(column.name) is not a number")
        }
    }

    /// A column holding a JSON object of texts (attributes), as pairs sorted by name; NULL is
    /// no attributes where `nullable`.
    func attributes(_ column: Column, nullable: Bool) throws(StoreError) -> [(String, String)] {
        if nullable, statement.isNull(column.position) { return [] }
        let text = try text(column)
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw damaged("\(column.name) is not a JSON object (\(text.utf8.count) bytes)")
        }
        var pairs: [(String, String)] = []
        for (name, value) in object {
            guard let value = value as? String else { throw damaged("\(column.name) holds a value that is not a text (of a name of \(name.count) characters)") }
            pairs.append((name, value))
        }
        return pairs.sorted { $0.0 < $1.0 }
    }

    static func describe(_ range: ClosedRange<Int64>) -> String {
        if range.upperBound == .max { return "\(range.lowerBound) and above" }
        return "\(range.lowerBound)…\(range.upperBound)"
    }
}
