import CSQLite

/// A prepared statement owned by one ``Connection``; finalized in `deinit`.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    unowned let connection: Connection

    /// Compiles `sql`; `persistent` tells SQLite the statement is kept for reuse (a cached one).
    init(connection: Connection, sql: String, persistent: Bool = true) throws(SQLiteError) {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(connection.handle, sql, -1, flags, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw connection.error(rc, sql) }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Whether the statement is between its first step and its end (`sqlite3_stmt_busy`): a
    /// caller is reading its rows, and resetting it would end that caller's read.
    var isBusy: Bool { sqlite3_stmt_busy(handle) != 0 }

    /// The number of `?` parameters the statement takes.
    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and clears its bindings.
    ///
    /// A step that fails resets the statement before it throws (``step()``), so `sqlite3_reset`
    /// here only fails for a reason not yet reported, which is thrown.
    func reset() throws(SQLiteError) {
        try rewind()
        let rc = sqlite3_clear_bindings(handle)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// `sqlite3_reset`, its failure thrown.
    private func rewind() throws(SQLiteError) {
        let rc = sqlite3_reset(handle)
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Binds values to the parameters 1…n in order.
    @discardableResult
    func bind(_ values: SQLValue...) throws(SQLiteError) -> Statement {
        try bind(values)
        return self
    }

    /// Binds values to the parameters 1…n in order.
    /// - Throws: ``SQLiteError`` with `SQLITE_RANGE` when the statement does not take exactly
    ///   `values.count` parameters, or the error of a bind that fails.
    func bind(_ values: [SQLValue]) throws(SQLiteError) {
        try rewind()
        try expectParameters(values.count)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case let .integer(v): rc = sqlite3_bind_int64(handle, index, v)
            case let .real(v): rc = sqlite3_bind_double(handle, index, v)
            case let .text(v): rc = sqlite3_bind_text(handle, index, v, -1, SQLITE_TRANSIENT)
            case .null: rc = sqlite3_bind_null(handle, index)
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
        }
    }

    /// Checks that the statement takes exactly `count` parameters.
    func expectParameters(_ count: Int) throws(SQLiteError) {
        let expected = parameterCount
        guard expected == count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "\(count) values bound to a statement of \(expected) parameters", context: sql)
        }
    }

    /// Binds an integer, or NULL for `nil`, to parameter `index` (1-based) without resetting;
    /// bulk inserts fill many rows' parameters this way before one step, after checking the
    /// statement's parameter count once (``expectParameters(_:)``).
    @inline(__always)
    func bindInteger(_ index: Int32, _ value: Int64?) throws(SQLiteError) {
        let rc = if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        guard rc == SQLITE_OK else { throw connection.error(rc, sql) }
    }

    /// Advances to the next row; `false` when done.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            try rewind()
            return false
        default:
            let error = connection.error(rc, sql)
            // Repeats the step's error, which is the one thrown.
            _ = sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws(SQLiteError) {
        while try step() {}
    }

    /// Calls `body` with each row in turn; the statement is reset however the loop ends, so that
    /// a row `body` refuses does not leave it holding its read.
    func forEachRow(_ body: () throws -> Void) throws {
        do {
            while try step() { try body() }
        } catch {
            _ = sqlite3_reset(handle)  // ends the read; the error that stopped it is the one thrown
            throw error
        }
    }

    /// Calls `body` with the first row, if any, and ends the read there.
    @discardableResult
    func firstRow<R>(_ body: () throws -> R) throws -> R? {
        guard try step() else { return nil }
        let result: R
        do {
            result = try body()
        } catch {
            _ = sqlite3_reset(handle)  // ends the read; the error that stopped it is the one thrown
            throw error
        }
        try finish()
        return result
    }

    /// Ends a read early, releasing its snapshot.
    func finish() throws(SQLiteError) { try rewind() }

    /// The storage class of a column of the current row.
    func type(_ column: Int32) -> ColumnType { ColumnType(sqlite3_column_type(handle, column)) }

    /// The name of a column of the result, as the query names it.
    func name(_ column: Int32) -> String { sqlite3_column_name(handle, column).map { String(cString: $0) } ?? "column \(column + 1)" }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// A column of the current row as text.
    /// - Throws: ``SQLiteError`` with `SQLITE_MISMATCH` when the value is NULL, or `SQLITE_NOMEM`
    ///   when SQLite could not make its text; never an empty text in their place.
    func text(_ column: Int32) throws(SQLiteError) -> String {
        guard !isNull(column) else {
            throw SQLiteError(code: SQLITE_MISMATCH, message: "`\(name(column))` is NULL where a text is due", context: sql)
        }
        guard let pointer = sqlite3_column_text(handle, column) else {
            throw SQLiteError(code: SQLITE_NOMEM, message: "out of memory reading `\(name(column))` as text", context: sql)
        }
        let length = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// A column of the current row as text, `nil` for NULL.
    func optionalText(_ column: Int32) throws(SQLiteError) -> String? { isNull(column) ? nil : try text(column) }
}

/// The storage class of a value SQLite returns (`sqlite3_column_type`).
enum ColumnType: Sendable, Equatable {
    case integer, real, text, blob, null

    init(_ code: Int32) {
        switch code {
        case SQLITE_INTEGER: self = .integer
        case SQLITE_FLOAT: self = .real
        case SQLITE_TEXT: self = .text
        case SQLITE_BLOB: self = .blob
        default: self = .null
        }
    }
}

/// A value bound to a statement parameter.
enum SQLValue {
    case integer(Int64)
    case real(Double)
    case text(String)
    case null

    static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
    static func optionalText(_ value: String?) -> SQLValue { value.map(SQLValue.text) ?? .null }
    static func optionalInt(_ value: Int?) -> SQLValue { value.map(SQLValue.int) ?? .null }
}

/// SQLite's "copy the bytes now" destructor sentinel, which the C macro cannot express in Swift.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

@available(*, unavailable)
extension Statement: Sendable {}
