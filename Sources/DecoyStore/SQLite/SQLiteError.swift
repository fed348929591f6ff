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

    /// The primary result code, e.g. `SQLITE_FULL` (13) for a full disk.
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        let cause: String
        switch primaryCode {
        case 13: cause = " (disk full)"
        case 5: cause = " (database is locked by another process)"
        case 8: cause = " (read-only database or location)"
        case 10: cause = " (I/O error)"
        case 11, 26: cause = " (the file is corrupt or not a database)"
        case 14: cause = " (cannot open the file: its folder is missing or not writable, or the file system is read-only)"
        default: cause = ""
        }
        return "SQLite error \(code)\(cause): \(message) [\(context)]"
    }
}
