import CSQLite
import Foundation
import Testing
@testable import DecoyStore

/// A statement checks what it is told: the number of values bound, NULL read as text, and a
/// cached statement another caller is still reading.
@Suite struct StatementTests {
    static func connection() throws -> Connection {
        let connection = try Connection(path: try DatabaseTests.temporaryPath(), create: true)
        try connection.execute("CREATE TABLE t (x INTEGER, y TEXT); INSERT INTO t VALUES (1, 'one'), (2, NULL), (3, 'three')")
        return connection
    }

    @Test(arguments: [[SQLValue.integer(1)], [.integer(1), .integer(2), .integer(3)]])
    func bindingAnotherNumberOfValuesThanParametersIsAnError(values: [SQLValue]) throws {
        let connection = try Self.connection()
        let statement = try connection.statement("SELECT x FROM t WHERE x = ? OR x = ?")
        #expect {
            try statement.bind(values)
        } throws: { error in
            guard let error = error as? SQLiteError else { return false }
            return error.primaryCode == SQLITE_RANGE && error.message == "\(values.count) values bound to a statement of 2 parameters"
        }
    }

    @Test func theBulkInsertChecksItsParameterCount() throws {
        let connection = try Self.connection()
        let statement = try connection.statement("INSERT INTO t (x, y) VALUES (?, ?)")
        #expect(throws: SQLiteError.self) { try statement.expectParameters(3) }
        try statement.expectParameters(2)
        #expect(throws: SQLiteError.self) { try statement.bindInteger(3, 7) }
    }

    @Test func nullIsNotReadAsAnEmptyText() throws {
        let connection = try Self.connection()
        let statement = try connection.statement("SELECT y FROM t ORDER BY x")
        var texts: [String?] = []
        var failures = 0
        try statement.forEachRow {
            texts.append(try statement.optionalText(0))
            do { _ = try statement.text(0) } catch { failures += 1 }
        }
        #expect(texts == ["one", nil, "three"])
        #expect(failures == 1)
    }

    /// The same SQL asked for while its cached statement is between rows: the caller reading it
    /// keeps its place.
    @Test func aCachedStatementBeingSteppedIsNotResetUnderItsCaller() throws {
        let connection = try Self.connection()
        let sql = "SELECT x FROM t ORDER BY x"
        let outer = try connection.statement(sql)
        #expect(try outer.step() && outer.int(0) == 1)
        let inner = try connection.statement(sql)
        var innerRows: [Int] = []
        while try inner.step() { innerRows.append(inner.int(0)) }
        #expect(innerRows == [1, 2, 3])
        var outerRows = [1]
        while try outer.step() { outerRows.append(outer.int(0)) }
        #expect(outerRows == [1, 2, 3])
    }

    /// A loop that a row's reader stops leaves the statement reset, so the next use starts over.
    @Test func aLoopStoppedByItsBodyLeavesTheStatementReset() throws {
        struct Stop: Error {}
        let connection = try Self.connection()
        let statement = try connection.statement("SELECT x FROM t ORDER BY x")
        #expect(throws: Stop.self) { try statement.forEachRow { throw Stop() } }
        #expect(!statement.isBusy)
        #expect(try connection.scalarInt("SELECT x FROM t ORDER BY x") == 1)
    }
}
