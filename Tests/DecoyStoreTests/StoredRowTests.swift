import DecoyModel
import Foundation
import Testing
@testable import DecoyStore

/// Values read back are checked where they are read: a damaged row is an error naming the run,
/// the table and the row, never a default.
@Suite struct StoredRowTests {
    static func storedRun() throws -> (Database, Int64) {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        let run = try db.beginRun(DatabaseTests.header(), startedAt: "now")
        let postings = (0..<2).map {
            PostingRecord(id: Int64($0), replicate: 1, arm: 0, index: $0, postedAtMicros: 0, windowMicros: 100, removed: false,
                          attributes: [("city", "x")])
        }
        let contacts = (0..<4).map { ContactRecord(posting: Int64($0 / 2), seq: $0 % 2, micros: Int64($0), channel: 1, contactor: nil) }
        try db.append(run: run, postings: postings, contacts: contacts)
        return (db, run)
    }

    static func isDamaged(_ error: any Error, run: Int64, table: String, row: String, saying: String) -> Bool {
        guard case let StoreError.damaged(_, failing, failingTable, failingRow, problem) = error else { return false }
        return failing == run && failingTable == table && failingRow == row && problem.contains(saying)
    }

    @Test(arguments: [("'{\"city\": 1}'", "holds a value that is not a text"), ("'[1'", "is not a JSON object"), ("x'00'", "is not a text")])
    func attributesThatDoNotDecodeNameTheRun(value: String, saying: String) throws {
        let (db, run) = try Self.storedRun()
        try db.connection.execute("UPDATE postings SET attributes = \(value) WHERE run_id = \(run) AND posting_id = 1")
        #expect { try db.postings(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: saying) }
    }

    @Test func aPostingOfNoArmNamesTheRow() throws {
        let (db, run) = try Self.storedRun()
        try db.connection.execute("UPDATE postings SET arm_id = 7 WHERE run_id = \(run) AND posting_id = 0")
        #expect { try db.postings(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 0", saying: "arm_id is 7") }
        #expect { try db.armTotals(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 0", saying: "arm_id is 7") }
    }

    @Test func aRaisedContactCountIsNotReadAsContacts() throws {
        let (db, run) = try Self.storedRun()
        try db.connection.execute("UPDATE postings SET contact_count = 1002 WHERE run_id = \(run) AND posting_id = 1")
        #expect { try db.checkCounts(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: "contact_count is 1002, and 2 of them are stored") }
        #expect { try db.forEachContact(run: run) { _ in } } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: "contact id 5 is not stored") }
        #expect(throws: StoreError.self) { try db.armTotals(run: run) }
    }

    @Test(arguments: ["contact_count = 9223372036854775807", "first_contact = 9223372036854775807", "first_contact = 0", "contact_count = -1"])
    func aContactRangeBeyondTheIdsNamesThePosting(edit: String) throws {
        let (db, run) = try Self.storedRun()
        try db.connection.execute("UPDATE postings SET \(edit) WHERE run_id = \(run) AND posting_id = 1")
        #expect { try db.checkCounts(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: "contact") }
        #expect { try db.forEachContact(run: run) { _ in } } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: "contact") }
        #expect { try db.firstContactTimes(run: run) } throws: { Self.isDamaged($0, run: run, table: "postings", row: "posting_id 1", saying: "contact") }
    }

    /// The columns `runRecord` reads are every column of `runs`, so none is read at the wrong place.
    @Test func theRunColumnsAreTheTablesColumns() throws {
        let (db, _) = try Self.storedRun()
        let statement = try db.connection.statement("SELECT name FROM pragma_table_info('runs') ORDER BY cid")
        var names: [String] = []
        try statement.forEachRow { names.append(try statement.text(0)) }
        #expect(names.sorted() == RunColumn.allCases.map(\.name).sorted())
    }
}
