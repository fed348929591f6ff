public import DecoyModel
public import DecoyStore

/// Where a result's numbers come from: the database file and the runs read from it. Table text
/// leads with it and JSON carries it as `origin`, so that a result says which file and run it
/// is about even when the command line that made it is gone (a `--db` left out analyses
/// `./decoy.sqlite`, whose runs may have the same ids and arm names). CSV stays a pure table.
public struct Origin: Sendable, Equatable {
    /// One run read: its id, its experiment's name and whether it was simulated or observed.
    public struct Run: Sendable, Equatable {
        public var id: Int64
        public var name: String
        public var source: RunSource

        public init(id: Int64, name: String, source: RunSource) {
            self.id = id
            self.name = name
            self.source = source
        }

        public init(_ record: RunRecord) { self.init(id: record.id, name: record.name, source: record.source) }
    }

    /// The database file as the command named it.
    public var database: String
    /// The runs read, each once, in the order the result names them.
    public var runs: [Run]

    public init(database: String, runs: [Run]) {
        self.database = database
        var distinct: [Run] = []
        for run in runs where !distinct.contains(where: { $0.id == run.id }) { distinct.append(run) }
        self.runs = distinct
    }

    /// The origin of a result read from `records` of the database at `database`.
    public init(database: String, records: [RunRecord]) { self.init(database: database, runs: records.map(Run.init)) }

    /// The file as shown: as named, unless a part of it could hold a contact identifier.
    var shownDatabase: String { TypedValue.fileName(database) }

    /// The file as table text's first line shows it: also withheld (by its length) when it holds a
    /// line break or an invisible control or format character (a right-to-left override), which
    /// would split the line or disguise the name.
    var shownDatabaseLine: String {
        let hidden: Set<Unicode.GeneralCategory> = [.control, .format, .lineSeparator, .paragraphSeparator]
        return database.unicodeScalars.contains { hidden.contains($0.properties.generalCategory) }
            ? "a file name of \(database.count) characters" : shownDatabase
    }

    /// Table text: ``run 1 `quickstart`, simulated, in decoy.sqlite``, or
    /// ``run 1 `field`, observed, and run 2 `quickstart`, simulated, in study.sqlite``.
    public var line: String {
        let described = runs.map { "run \($0.id) `\($0.name)`, \($0.source.rawValue)," }
        let list = described.count > 1 ? described.dropLast().joined(separator: " ") + " and " + described.last! : described.first ?? ""
        return "\(list) in \(shownDatabaseLine)"
    }

    /// JSON: `{"database": …, "runs": [{"run_id": …, "name": …, "source": …}]}`.
    public var json: JSONValue {
        .object([
            ("database", .string(shownDatabase)),
            ("runs", .array(runs.map { .object([("run_id", .integer($0.id)), ("name", .string($0.name)), ("source", .string($0.source.rawValue))]) })),
        ])
    }
}
