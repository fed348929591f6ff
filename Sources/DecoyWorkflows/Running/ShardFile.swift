import DecoyStore

/// Opens and reads the files a merge is given, turning a store error into one that names the file
/// by its place in the list, never by the name typed (which may be an identifier).
enum ShardFile {
    static func read<R>(position: Int, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as StoreError {
            throw MergeError.unreadable(position: position, reason: reason(error))
        }
    }

    static func open(_ file: String, position: Int) throws -> Database {
        try read(position: position) { try Database(path: file, create: false) }
    }

    static func reason(_ error: StoreError) -> String {
        switch error {
        case .missing: "there is no such file"
        case .notDecoy: "it is not a decoy database"
        case let .newerSchema(_, found, supported): "its schema \(found) is newer than this version's \(supported)"
        case let .unknownRun(_, run): "it has no run \(run)"
        case let .unreadableRun(_, run, column, _): "its run \(run) has a \(column) this version cannot read"
        case let .invalidBatch(_, reason): reason
        case let .sqlite(error, _): "SQLite: \(error.message) (code \(error.code))"
        case .empty: "it is an empty file"
        case .folder: "it is a folder"
        case let .needsMigration(_, found, current): "its schema \(found) needs migrating to \(current), and it is read-only"
        case let .damaged(_, run, table, row, problem): "its run \(run) is damaged: \(table) row \(row): \(problem)"
        case let .rollback(failure, _): "\(failure)"
        case let .failed(_, reason, _): reason
        case let .failedNaming(_, caller): caller.failure.description
        }
    }
}
