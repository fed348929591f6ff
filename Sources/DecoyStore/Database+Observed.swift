/// New observed postings and contacts to merge into a run in one transaction.
public struct ObservedBatch: Sendable {
    /// Postings to add (new labels) with their arm, index within the arm and window.
    public var newPostings: [PostingRecord]
    /// Postings whose window changes (ended earlier), by id: new window and removal flag.
    public var endedPostings: [(id: Int64, windowMicros: Int64)]
    /// Contacts to add, by posting id: (microseconds since going live, channel label, pseudonym).
    public var contacts: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]]

    public init(newPostings: [PostingRecord], endedPostings: [(id: Int64, windowMicros: Int64)], contacts: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]]) {
        self.newPostings = newPostings
        self.endedPostings = endedPostings
        self.contacts = contacts
    }
}

/// What a merge stored.
public struct ObservedMergeResult: Sendable, Equatable {
    public var runID: Int64
    public var newPostings: Int
    public var newContacts: Int
    /// Contacts in the batch that were stored already (same posting, instant, channel, contactor).
    public var alreadyStored: Int
    public var postings: Int
    public var contacts: Int
}

extension Database {
    /// Merges observed data into run `run` — or into a new observed run made from `header` when
    /// `run` is `nil` — in one `BEGIN IMMEDIATE` transaction: all of it is stored or none.
    ///
    /// A contact equal to one already stored (same posting, microsecond, channel and contactor)
    /// is not stored again. Each touched posting's contacts are rewritten in time order so that
    /// `seq` stays the order of contact.
    public func mergeObserved(into run: Int64?, header: RunHeader, batch: ObservedBatch, at time: String) throws(StoreError) -> ObservedMergeResult {
        try wrap {
            try connection.inTransaction {
                let runID: Int64
                if let run {
                    runID = run
                } else {
                    runID = try insertRun(header, startedAt: time, status: "complete")
                }
                var channels = try channels(run: runID)
                func channelID(_ name: String) throws -> Int {
                    if let existing = channels.firstIndex(of: name) { return existing }
                    try connection.statement("INSERT INTO channels (run_id, channel_id, name) VALUES (?, ?, ?)")
                        .bind(.integer(runID), .int(channels.count), .text(name)).run()
                    channels.append(name)
                    return channels.count - 1
                }
                var contactorIDs: [String: Int64] = [:]
                for (id, pseudonym) in try pseudonyms(run: runID) { contactorIDs[pseudonym] = id }
                func contactorID(_ pseudonym: String) throws -> Int64 {
                    if let existing = contactorIDs[pseudonym] { return existing }
                    let id = Int64(contactorIDs.count)
                    try connection.statement("INSERT INTO contactors (run_id, contactor_id, pseudonym) VALUES (?, ?, ?)")
                        .bind(.integer(runID), .integer(id), .text(pseudonym)).run()
                    contactorIDs[pseudonym] = id
                    return id
                }
                let postingInsert = try connection.statement("""
                    INSERT INTO postings (run_id, posting_id, replicate, arm_id, idx, posted_at_us, window_us, removed, label)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for p in batch.newPostings {
                    try postingInsert.bind(
                        .integer(runID), .integer(p.id), .int(p.replicate), .int(p.arm), .int(p.index), .integer(p.postedAtMicros),
                        .integer(p.windowMicros), .int(p.removed ? 1 : 0), .optionalText(p.label)).run()
                }
                for (id, window) in batch.endedPostings {
                    try connection.statement("UPDATE postings SET window_us = ?, removed = 1 WHERE run_id = ? AND posting_id = ?")
                        .bind(.integer(window), .integer(runID), .integer(id)).run()
                }
                var added = 0, duplicates = 0
                for (posting, incoming) in batch.contacts.sorted(by: { $0.key < $1.key }) {
                    var existing: [ContactRecord] = []
                    try forEachContact(run: runID, postings: posting...posting) { existing.append($0) }
                    var keys = Set(existing.map { "\($0.micros)|\($0.channel)|\($0.contactor.map(String.init) ?? "-")" })
                    var merged = existing
                    for contact in incoming {
                        let channel = try channelID(contact.channel)
                        let contactor = try contact.pseudonym.map(contactorID)
                        let key = "\(contact.micros)|\(channel)|\(contactor.map(String.init) ?? "-")"
                        guard keys.insert(key).inserted else {
                            duplicates += 1
                            continue
                        }
                        merged.append(ContactRecord(posting: posting, seq: 0, micros: contact.micros, channel: channel, contactor: contactor))
                        added += 1
                    }
                    guard merged.count > existing.count else { continue }
                    merged.sort { ($0.micros, $0.channel, $0.contactor ?? -1) < ($1.micros, $1.channel, $1.contactor ?? -1) }
                    try connection.statement("DELETE FROM contacts WHERE run_id = ? AND posting_id = ?").bind(.integer(runID), .integer(posting)).run()
                    try insertContacts(run: runID, merged.enumerated().map { seq, contact in
                        ContactRecord(posting: posting, seq: seq, micros: contact.micros, channel: contact.channel, contactor: contact.contactor)
                    })
                }
                let postings = Int(try connection.scalarInt("SELECT count(*) FROM postings WHERE run_id = \(runID)") ?? 0)
                let contacts = Int(try connection.scalarInt("SELECT count(*) FROM contacts WHERE run_id = \(runID)") ?? 0)
                try connection.statement("UPDATE runs SET postings = ?, contacts = ?, finished_at = ? WHERE run_id = ?")
                    .bind(.int(postings), .int(contacts), .text(time), .integer(runID)).run()
                return ObservedMergeResult(runID: runID, newPostings: batch.newPostings.count, newContacts: added,
                                           alreadyStored: duplicates, postings: postings, contacts: contacts)
            }
        }
    }

    /// Stores a run's digest.
    public func setDigest(_ digest: String, run: Int64) throws(StoreError) {
        try wrap {
            try connection.inTransaction {
                try connection.statement("UPDATE runs SET digest = ? WHERE run_id = ?").bind(.text(digest), .integer(run)).run()
            }
        }
    }
}

extension Database {
    /// How many contacts of a posting lie after `micros`.
    public func contacts(run: Int64, posting: Int64, after micros: Int64) throws(StoreError) -> Int {
        try wrap {
            let statement = try connection.statement("SELECT count(*) FROM contacts WHERE run_id = ? AND posting_id = ? AND t_us > ?")
            try statement.bind(.integer(run), .integer(posting), .integer(micros))
            guard try statement.step() else { return 0 }
            defer { statement.finish() }
            return statement.int(0)
        }
    }
}
