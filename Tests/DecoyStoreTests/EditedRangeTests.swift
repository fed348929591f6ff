import DecoyModel
import Foundation
import Testing
@testable import DecoyStore

/// Postings whose contact id ranges were edited by hand: a run's deletion and an observed write
/// take only what no other posting claims, and never trap on the edited values.
@Suite struct EditedRangeTests {
    /// Two runs of two postings with three contacts each; returns the database and the run ids.
    static func twoRuns() throws -> (Database, Int64, Int64) {
        let db = try Database(path: try DatabaseTests.temporaryPath(), create: true)
        var runs: [Int64] = []
        for _ in 0..<2 {
            let run = try db.beginRun(DatabaseTests.header(), startedAt: "now")
            let postings = (0..<2).map {
                PostingRecord(id: Int64($0), replicate: 1, arm: 0, index: $0, postedAtMicros: 0, windowMicros: 100, removed: false)
            }
            let contacts = (0..<6).map { ContactRecord(posting: Int64($0 / 3), seq: $0 % 3, micros: Int64($0), channel: 0, contactor: nil) }
            try db.append(run: run, postings: postings, contacts: contacts)
            runs.append(run)
        }
        return (db, runs[0], runs[1])
    }

    static func contacts(of run: Int64, in db: Database) throws -> [ContactRecord] {
        var read: [ContactRecord] = []
        try db.forEachContact(run: run) { read.append($0) }
        return read
    }

    /// A posting range edited to reach into another run's contacts, or past the largest id:
    /// deleting the edited run takes none of the other run's contacts and does not trap.
    @Test(arguments: [
        "first_contact = 7, contact_count = 3",      // onto the other run's first posting
        "first_contact = 4, contact_count = 6",      // its own second posting and the other run's
        "contact_count = 9223372036854775807",       // to the end of the id space
        "first_contact = 9223372036854775000, contact_count = 9223372036854775000",  // an end past Int64.max
    ])
    func deletingAnEditedRunKeepsTheOtherRunsContacts(edit: String) throws {
        let (db, first, second) = try Self.twoRuns()
        let kept = try Self.contacts(of: second, in: db)
        try db.connection.execute("UPDATE postings SET \(edit) WHERE run_id = \(first) AND posting_id = 1")
        try db.deleteRun(first)
        #expect(try Self.contacts(of: second, in: db) == kept)
    }

    /// An observed write replaces a posting's contacts; an edited posting that claims another
    /// run's contacts leaves them in place.
    @Test func rewritingAnEditedPostingsContactsKeepsTheOtherRunsContacts() throws {
        let (db, first, second) = try Self.twoRuns()
        let kept = try Self.contacts(of: second, in: db)
        try db.connection.execute("UPDATE postings SET first_contact = 7, contact_count = 3 WHERE run_id = \(first) AND posting_id = 0")
        try db.connection.inTransaction {
            try db.deleteContacts(of: first, postings: 0...0)
            // As a write does next: the posting's range is rewritten.
            try db.connection.execute("UPDATE postings SET contact_count = 0 WHERE run_id = \(first) AND posting_id = 0")
        }
        #expect(try Self.contacts(of: second, in: db) == kept)
    }

    /// A contact id edited to the largest integer leaves no id for the next contact: the write
    /// is refused with nothing stored, where adding one would overflow.
    @Test func aContactIDEditedToTheLargestIntegerRefusesTheNextWrite() throws {
        let (db, first, _) = try Self.twoRuns()
        try db.connection.execute("UPDATE contacts SET contact_id = \(Int64.max) WHERE contact_id = 12")
        let posting = PostingRecord(id: 2, replicate: 1, arm: 0, index: 2, postedAtMicros: 0, windowMicros: 100, removed: false)
        let contact = ContactRecord(posting: 2, seq: 0, micros: 1, channel: 0, contactor: nil)
        #expect(throws: StoreError.self) { try db.append(run: first, postings: [posting], contacts: [contact]) }
        #expect(try db.postings(run: first).count == 2)
    }

    @Test func rangesSubtractAndJoin() {
        #expect(Database.coalesced([1..<3, 3..<5, 4..<9, 12..<12, 20..<21]) == [1..<9, 20..<21])
        #expect(Database.subtracting([0..<2, 4..<6, 8..<30], from: [1..<10, 12..<14, 40..<41]) == [2..<4, 6..<8, 40..<41])
        #expect(Database.subtracting([], from: [1..<10]) == [1..<10])
    }
}
