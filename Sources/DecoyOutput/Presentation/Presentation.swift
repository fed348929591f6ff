public import DecoyModel

/// A result as people and programs read it: named facts, tables of rows and notes, one value per
/// cell. Every result type describes itself once as a presentation (see `Results/`), and
/// ``Renderer`` turns any presentation into each output format, so a new format is one renderer
/// and no command changes.
public struct Presentation: Sendable {
    /// How the result reads as JSON.
    public enum Shape: Sendable {
        /// One object: the fields in order, then each table with a `key` as an array of objects.
        case object
        /// The first table's rows as an array of objects (a list of runs); with an ``origin``, an
        /// object of that array under the table's key and `origin` (curve points, fits).
        case rows
    }

    public var shape: Shape
    /// A heading for people (table text and reports), not part of CSV or JSON.
    public var title: String?
    public var fields: [Field]
    public var tables: [Table]
    /// Lines for people after the tables (table text and reports only).
    public var notes: [String]
    /// The database and runs the result was read from: table text's first line and JSON's
    /// `origin` (which turns a ``Shape/rows`` array into an object); never CSV.
    public var origin: Origin?

    public init(shape: Shape = .object, title: String? = nil, fields: [Field] = [], tables: [Table] = [], notes: [String] = [], origin: Origin? = nil) {
        self.shape = shape
        self.title = title
        self.fields = fields
        self.tables = tables
        self.notes = notes
        self.origin = origin
    }

    /// The same presentation read from `origin`.
    public func from(_ origin: Origin) -> Presentation {
        var result = self
        result.origin = origin
        return result
    }
}

/// One named fact of a result.
public struct Field: Sendable {
    /// The JSON key and CSV column.
    public var key: String
    /// What people read; the key when `nil`.
    public var label: String?
    public var value: Value
    /// Whether table text shows it (long texts such as a config may be left to JSON).
    public var shownInTable: Bool

    public init(_ key: String, _ value: Value, label: String? = nil, shownInTable: Bool = true) {
        self.key = key
        self.value = value
        self.label = label
        self.shownInTable = shownInTable
    }
}

/// A table of rows with typed columns.
public struct Table: Sendable {
    /// The key of the table in a JSON object; `nil` keeps it out of JSON.
    public var key: String?
    /// A heading for people.
    public var title: String?
    public var columns: [Column]
    public var rows: [[Value]]
    /// Whether this table is the result's CSV (the first such table is).
    public var csv: Bool
    /// Whether table text shows it.
    public var shownInTable: Bool
    /// What table text says instead of an empty table.
    public var emptyNote: String?

    public init(
        key: String? = nil, title: String? = nil, columns: [Column], rows: [[Value]], csv: Bool = true,
        shownInTable: Bool = true, emptyNote: String? = nil
    ) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row has one value per column")
        self.key = key
        self.title = title
        self.columns = columns
        self.rows = rows
        self.csv = csv
        self.shownInTable = shownInTable
        self.emptyNote = emptyNote
    }
}

/// A column: its key (CSV header, JSON key) and what people read.
public struct Column: Sendable {
    public var key: String
    public var title: String
    /// Right-aligned in table text (numbers).
    public var rightAligned: Bool
    /// Whether table text shows it.
    public var shownInTable: Bool
    /// Whether CSV and JSON carry it (`false` for a column that only combines others for people).
    public var inData: Bool

    public init(_ key: String, title: String? = nil, rightAligned: Bool = false, shownInTable: Bool = true, inData: Bool = true) {
        self.key = key
        self.title = title ?? key
        self.rightAligned = rightAligned
        self.shownInTable = shownInTable
        self.inData = inData
    }

    /// A column that only table text shows.
    public static func forPeople(_ title: String, rightAligned: Bool = false) -> Column {
        Column(title, rightAligned: rightAligned, inData: false)
    }

    /// A column that only CSV and JSON carry.
    public static func data(_ key: String) -> Column { Column(key, shownInTable: false) }
}

/// One cell or field value.
public enum Value: Sendable {
    case text(String)
    case integer(Int64)
    /// A number (`nil` or not finite: missing), written exactly in CSV and JSON and as `style`
    /// says in table text.
    case number(Double?, NumberStyle = .exact)
    case bool(Bool)
    case missing
    /// A nested JSON value (a fit's parameters), written compactly in CSV and table text.
    case json(JSONValue)
    /// Text for people that CSV and JSON give as another value (a shortened digest, "a – b").
    indirect case shown(String, as: Value)

    public static func int(_ value: Int) -> Value { .integer(Int64(value)) }
    public static func optionalText(_ value: String?) -> Value { value.map(Value.text) ?? .missing }
    public static func optionalInt(_ value: Int?) -> Value { value.map { .integer(Int64($0)) } ?? .missing }
    public static func optionalInt64(_ value: Int64?) -> Value { value.map(Value.integer) ?? .missing }
}

/// How a number is written for people; CSV and JSON always write the shortest exact form.
public enum NumberStyle: Sendable {
    /// The shortest decimal that reads back exactly.
    case exact
    /// `%.<n>f`.
    case fixed(Int)
    /// `%.<n>g`.
    case significant(Int)
    /// Curve values: one decimal from 100 up, three below.
    case curve
}
