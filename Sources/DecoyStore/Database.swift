import CSQLite
import DecoyModel
import Foundation

/// A decoy database file: runs, their arms, postings and contacts.
///
/// Opening checks the file is a decoy database of a schema this version knows and migrates an
/// older one forward. All writes happen in `BEGIN IMMEDIATE` transactions.
public final class Database {
    let connection: Connection
    /// The path the database was opened at.
    public let path: String

    /// Opens the database at `path`; `create` makes a new one when none exists.
    /// - Throws: ``StoreError`` when the file is missing (and `create` is false), is not a
    ///   decoy database, or has a newer schema.
    public init(path: String, create: Bool) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw StoreError.folder(path: path) }
        } else if !create {
            throw StoreError.missing(path: path)
        }
        connection = try Self.wrap(path: path) { try Self.open(path: path, create: create) }
    }

    /// Opens and prepares the connection; a read-only file or location falls back to reading only
    /// (first `mode=ro`, then, where not even the WAL index can be made, `immutable=1`).
    static func open(path: String, create: Bool) throws -> Connection {
        do {
            let connection = try Connection(path: path, create: create)
            try prepare(connection, path: path, create: create)
            return connection
        } catch let error as SQLiteError where !create && [SQLITE_READONLY, SQLITE_CANTOPEN].contains(error.primaryCode) {
            for query in ["mode=ro", "immutable=1"] {
                guard let connection = try? Connection(path: uri(path, query), create: false, readOnly: true) else { continue }
                do {
                    try check(connection, path: path)
                    return connection
                } catch let problem as StoreError {
                    throw problem
                } catch {
                    continue
                }
            }
            throw error
        }
    }

    static func uri(_ path: String, _ query: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(escaped)?\(query)"
    }

    /// Checks a database opened read-only: a decoy database of exactly this schema.
    static func check(_ connection: Connection, path: String) throws {
        let application = try connection.scalarInt("PRAGMA application_id") ?? 0
        let version = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        guard application == Schema.applicationID else { throw StoreError.notDecoy(path: path) }
        guard version <= Schema.current else { throw StoreError.newerSchema(path: path, found: version, supported: Schema.current) }
        guard version == Schema.current else { throw StoreError.needsMigration(path: path, found: version, current: Schema.current) }
    }

    /// Checks the file is a decoy database of a schema this version reads and migrates it to the
    /// current one; an empty file becomes a database only with `create`.
    static func prepare(_ connection: Connection, path: String, create: Bool) throws {
        // Read in one transaction: another process creating the file commits its schema, id and
        // version together, and reads made one by one could see its tables without its id.
        let (application, version, tables) = try connection.transaction("BEGIN") {
            (try connection.scalarInt("PRAGMA application_id") ?? 0, Int(try connection.scalarInt("PRAGMA user_version") ?? 0),
             try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0)
        }
        if application != Schema.applicationID {
            guard application == 0, version == 0, tables == 0 else { throw StoreError.notDecoy(path: path) }
            guard create else { throw StoreError.empty(path: path) }
        }
        guard version <= Schema.current else {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.current)
        }
        try connection.execute("PRAGMA foreign_keys = ON")
        if version < Schema.current || application == 0 {
            try setWAL(connection)
            try connection.inTransaction {
                // Re-read under the write lock: another process may have migrated meanwhile.
                let locked = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
                for step in locked..<Schema.current {
                    try connection.execute(Schema.migrations[step])
                }
                // PRAGMA takes no bound parameters; both values are the schema's own integer constants.
                try connection.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = \(Schema.current)")
            }
        }
        try connection.execute("PRAGMA synchronous = NORMAL")
    }

    /// Switches a new file to WAL. SQLite does not call the busy handler for this change, so
    /// while another process holds the file (creating it at the same moment) it is retried for
    /// as long as the busy timeout.
    static func setWAL(_ connection: Connection) throws {
        let deadline = Date().addingTimeInterval(Double(Connection.busyTimeoutMilliseconds) / 1000)
        while true {
            do {
                try connection.execute("PRAGMA journal_mode = WAL")
                return
            } catch {
                guard error.primaryCode == SQLITE_BUSY, Date() < deadline else { throw error }
                usleep(10_000)
            }
        }
    }

    /// The schema version of the open database.
    public var schemaVersion: Int {
        get throws(StoreError) { Int(try wrap { try connection.scalarInt("PRAGMA user_version") } ?? 0) }
    }

    func wrap<R>(_ body: () throws -> R) throws(StoreError) -> R { try Self.wrap(path: path, body) }

    /// Runs `body`, its failures as ``StoreError``: SQLite's with the path, a caller's with its
    /// message and exit status.
    static func wrap<R>(path: String, _ body: () throws -> R) throws(StoreError) -> R {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error, path: path)
        } catch let error as RollbackFailure {
            throw StoreError.rollback(error, path: path)
        } catch let error as any SettingFailure {
            throw StoreError.failedNaming(path: path, StoreError.CallerFailure(failure: error))
        } catch let error as any DecoyFailure {
            throw StoreError.failed(path: path, reason: error.description, status: error.exitStatus)
        } catch {
            throw StoreError.failed(path: path, reason: "\(error)", status: .failure)
        }
    }
}

@available(*, unavailable)
extension Database: Sendable {}
