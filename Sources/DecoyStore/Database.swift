import CSQLite
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
        if !create, !FileManager.default.fileExists(atPath: path) { throw StoreError.missing(path: path) }
        do {
            connection = try Connection(path: path, create: create)
            try Self.prepare(connection, path: path)
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error, path: path)
        } catch {
            throw StoreError.sqlite(SQLiteError(code: -1, message: "\(error)", context: path), path: path)
        }
    }

    static func prepare(_ connection: Connection, path: String) throws {
        let application = try connection.scalarInt("PRAGMA application_id") ?? 0
        let version = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        let tables = try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0
        if application != Schema.applicationID {
            guard application == 0, version == 0, tables == 0 else { throw StoreError.notDecoy(path: path) }
        }
        guard version <= Schema.current else {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.current)
        }
        try connection.execute("PRAGMA foreign_keys = ON")
        if version < Schema.current || application == 0 {
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.inTransaction {
                // Re-read under the write lock: another process may have migrated meanwhile.
                let locked = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
                for step in locked..<Schema.current {
                    try connection.execute(Schema.migrations[step])
                }
                try connection.execute("PRAGMA application_id = \(Schema.applicationID); PRAGMA user_version = \(Schema.current)")
            }
        }
        try connection.execute("PRAGMA synchronous = NORMAL")
    }

    /// The schema version of the open database.
    public var schemaVersion: Int {
        get throws(StoreError) { Int(try wrap { try connection.scalarInt("PRAGMA user_version") } ?? 0) }
    }

    func wrap<R>(_ body: () throws -> R) throws(StoreError) -> R {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error, path: path)
        } catch {
            throw StoreError.sqlite(SQLiteError(code: -1, message: "\(error)", context: path), path: path)
        }
    }
}

@available(*, unavailable)
extension Database: Sendable {}
