import CSQLite
public import DecoyModel
/// A failed SQLite call: the extended result code, SQLite's message, and the SQL or path involved.
public struct SQLiteError: DecoyFailure, Sendable {
    public var exitStatus: ExitStatus { .failure }
    /// The extended result code (`sqlite3_extended_errcode`).
    public let code: Int32
    /// `sqlite3_errmsg` (or `sqlite3_errstr`) read when the call failed.
    public let message: String
    /// The statement or the database path the call was about.
    public let context: String

    /// The primary result code, e.g. `SQLITE_FULL` for a full disk.
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        let cause: String
        switch primaryCode {
        case SQLITE_FULL: cause = " (disk full)"
        case SQLITE_BUSY: cause = " (database is locked by another process)"
        case SQLITE_READONLY: cause = " (read-only database or location)"
        case SQLITE_IOERR: cause = " (I/O error)"
        case SQLITE_CORRUPT, SQLITE_NOTADB: cause = " (the file is corrupt or not a database)"
        case SQLITE_CANTOPEN: cause = " (cannot open the file: its folder is missing or not writable, or the file system is read-only)"
        default: cause = ""
        }
        return "SQLite error \(code)\(cause): \(message) [\(context)]"
    }
}
