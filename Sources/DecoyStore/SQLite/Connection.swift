import CSQLite
import Foundation

/// One open SQLite database handle. Not thread-safe; each thread opens its own.
///
/// Opened in WAL mode with `synchronous=NORMAL`, foreign keys on and a busy timeout, so that
/// readers work while a writer commits and concurrent writers wait instead of failing.
final class Connection {
    let handle: OpaquePointer
    let path: String
    private var cache: [String: Statement] = [:]

    /// Milliseconds a statement waits for another connection's lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 30_000

    /// Opens (or, with `create`, creates) the database at `path`; `readOnly` opens it for reading only.
    init(path: String, create: Bool, readOnly: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, context: path)
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, Self.busyTimeoutMilliseconds)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, context: sql)
        }
    }

    /// A prepared statement, compiled once per connection and reused. While the cached one is
    /// being stepped by a caller (``Statement/isBusy``), another is compiled for this use
    /// instead, so that no caller's read is reset under it.
    func statement(_ sql: String) throws(SQLiteError) -> Statement {
        if let cached = cache[sql] {
            guard !cached.isBusy else { return try Statement(connection: self, sql: sql, persistent: false) }
            try cached.reset()
            return cached
        }
        let statement = try Statement(connection: self, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it throws.
    /// - Throws: what `body` or `COMMIT` threw; where the rollback fails as well, a
    ///   ``RollbackFailure`` carrying that first error and the rollback's beside it.
    func inTransaction<R>(_ body: () throws -> R) throws -> R {
        try transaction("BEGIN IMMEDIATE", body)
    }

    /// Runs `body` inside `begin … COMMIT`, rolling back if it throws (see ``inTransaction(_:)``).
    func transaction<R>(_ begin: String, _ body: () throws -> R) throws -> R {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try rollBack(after: error)
            throw error
        }
    }

    /// Runs `body` in one read transaction (one snapshot of the file), or in the caller's
    /// transaction where one is open.
    func reading<R>(_ body: () throws -> R) throws -> R {
        guard sqlite3_get_autocommit(handle) != 0 else { return try body() }
        return try transaction("BEGIN", body)
    }

    /// Rolls back the open transaction after `error`; a rollback that fails throws both errors.
    /// Without an open transaction (SQLite rolled it back itself) there is nothing to do.
    func rollBack(after error: any Error) throws(RollbackFailure) {
        guard sqlite3_get_autocommit(handle) == 0 else { return }
        do {
            try execute("ROLLBACK")
        } catch let rollback {
            throw RollbackFailure(first: error, rollback: rollback)
        }
    }

    /// The rowid of the last row this connection inserted.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The first column of the first row of a query with `values` bound, as an integer.
    func scalarInt(_ sql: String, _ values: SQLValue...) throws(SQLiteError) -> Int64? {
        let statement = try statement(sql)
        try statement.bind(values)
        guard try statement.step() else { return nil }
        let value = statement.isNull(0) ? nil : statement.int64(0)
        try statement.finish()
        return value
    }

    func error(_ rc: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), context: context)
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
