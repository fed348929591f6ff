import CSQLite
import Foundation
import Testing
@testable import DecoyStore

/// Transactions: what failed is reported, and a rollback that fails too is reported beside it.
@Suite struct ConnectionTests {
    struct Refusal: Error, CustomStringConvertible {
        var description: String { "the caller refused" }
    }

    @Test func aFailedRollbackIsReportedBesideTheFirstError() throws {
        let connection = try Connection(path: try DatabaseTests.temporaryPath(), create: true)
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect {
            try connection.inTransaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                // From here every statement is interrupted, the ROLLBACK too.
                sqlite3_progress_handler(connection.handle, 1, { _ in 1 }, nil)
                throw Refusal()
            }
        } throws: { error in
            guard let failure = error as? RollbackFailure else { return false }
            return failure.first == "the caller refused" && failure.rollback.primaryCode == SQLITE_INTERRUPT
                && "\(failure)".hasPrefix("the caller refused (and rolling the transaction back failed too: SQLite error")
        }
        sqlite3_progress_handler(connection.handle, 0, nil, nil)
    }

    @Test func aRolledBackTransactionThrowsItsOwnError() throws {
        let connection = try Connection(path: try DatabaseTests.temporaryPath(), create: true)
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: Refusal.self) {
            try connection.inTransaction {
                try connection.execute("INSERT INTO t VALUES (1)")
                throw Refusal()
            }
        }
        #expect(try connection.scalarInt("SELECT count(*) FROM t") == 0)
    }
}
