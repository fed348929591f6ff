public import DecoyModel
/// Why the store refused or failed an operation.
public enum StoreError: SettingFailure, Sendable {
    public var exitStatus: ExitStatus {
        switch self {
        case let .failed(_, _, status): return status
        case let .failedNaming(_, caller): return caller.failure.exitStatus
        case let .rollback(failure, _): return failure.exitStatus
        default: return .failure
        }
    }
    /// No database file at the path, for a command that only reads.
    case missing(path: String)
    /// The file is not a decoy database.
    case notDecoy(path: String)
    /// The file is empty, for a command that only reads (which never makes it a database).
    case empty(path: String)
    /// The path is a folder.
    case folder(path: String)
    /// The file has an older schema and cannot be migrated where it is (read-only file or location).
    case needsMigration(path: String, found: Int, current: Int)
    /// The database was written by a newer decoy.
    case newerSchema(path: String, found: Int, supported: Int)
    /// No run with that id.
    case unknownRun(path: String, run: String)
    /// A stored run's row holds a value this version cannot read.
    case unreadableRun(path: String, run: Int64, column: String, value: String)
    /// A stored value disagrees with its type, its range or the rows it describes: a posting of no
    /// arm, a count that is not the number of rows, a NULL or a JSON text that does not decode.
    /// `row` names the row within `table` (its key), `problem` what is wrong with it.
    case damaged(path: String, run: Int64, table: String, row: String, problem: String)
    /// Rows handed to a write do not have the shape it stores; nothing was written.
    case invalidBatch(path: String, reason: String)
    /// An SQLite call failed.
    case sqlite(SQLiteError, path: String)
    /// A transaction failed and its rollback failed as well.
    case rollback(RollbackFailure, path: String)
    /// Work done while reading or writing the store (a caller's step) failed; `reason` is its
    /// message and `status` its exit status.
    case failed(path: String, reason: String, status: ExitStatus)
    /// The same for a caller's failure that names settings, kept whole so that the front end
    /// names them its own way.
    case failedNaming(path: String, CallerFailure)

    /// A caller's failure that names settings (its types are the caller's, all `Sendable` values).
    public struct CallerFailure: @unchecked Sendable {
        public let failure: any SettingFailure
    }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .missing(path):
            return "no database at \(path): a simulated run or an import of observed data creates one; or give \(name(.database)) to name the file that holds the run"
        case let .notDecoy(path):
            return "\(path) is not a decoy database (it holds other tables or another application's data); choose another \(name(.database))"
        case let .empty(path):
            return "\(path) is an empty file, not a decoy database; it was left as it is (a simulated run or an import of observed data makes it one)"
        case let .folder(path):
            return "\(path) is a folder, not a database file; name a file, such as decoy.sqlite inside it"
        case let .needsMigration(path, found, current):
            return "\(path) has schema version \(found), which this decoy reads after migrating it to version \(current), and the file or its folder is read-only; copy the file to a writable folder and open the copy, which is migrated on opening"
        case let .damaged(path, run, table, row, problem):
            return "\(path): run \(run) is damaged: \(table) row \(row): \(problem) (was the file edited?)"
        case let .rollback(failure, path):
            return "\(path): \(failure)"
        case let .failed(path, reason, _):
            return "\(path): \(reason)"
        case let .failedNaming(path, caller):
            return "\(path): \(caller.failure.message(naming: name))"
        case let .newerSchema(path, found, supported):
            return "\(path) has schema version \(found), newer than this decoy supports (\(supported)); use a newer decoy"
        case let .unknownRun(path, run):
            // Only a run id or `last` is repeated: anything else typed there could be an identifier.
            guard run == "last" || (run.count <= 6 && run.allSatisfy { $0.isASCII && $0.isNumber }) else { return "a run is named by its id (a number) or `last` (`decoy runs` lists the runs of \(path))" }
            return "no run \(run) in \(path) (`decoy runs` lists them)"
        case let .unreadableRun(path, run, column, value):
            return "\(path): run \(run) cannot be read: its \(column) is `\(value)`, which this version of decoy does not know (is the file from a newer decoy, or was it edited?)"
        case let .invalidBatch(path, reason):
            return "\(path): nothing was written: \(reason)"
        case let .sqlite(error, path):
            return "\(path): \(error)"
        }
    }
}
