public import DecoyModel

/// Which observed run a write goes to.
public enum ObservedTarget: Sendable, Equatable {
    /// The run with this id.
    case run(Int64)
    /// The newest observed run of an experiment (name and config sha256), created by the write when there is none.
    case experiment(name: String, configSHA256: String)
}

/// A stored contact as an import matches it: posting, instant, channel and contactor.
public struct ObservedContactKey: Hashable, Sendable {
    public var posting: Int64
    /// Microseconds since the posting went live.
    public var micros: Int64
    public var channel: String
    public var pseudonym: String?

    public init(posting: Int64, micros: Int64, channel: String, pseudonym: String?) {
        self.posting = posting
        self.micros = micros
        self.channel = channel
        self.pseudonym = pseudonym
    }
}

/// An observed run as stored, read inside the transaction that writes to it, so that every check
/// made against it still holds when the write commits.
public struct ObservedState {
    /// The run; `nil` when the experiment has no observed run yet (the write creates one).
    public var run: RunRecord?
    /// Its postings, in id order.
    public var postings: [PostingRecord]
    /// Its contacts as a multiset: how many times each key is stored.
    public var contacts: [ObservedContactKey: Int]

    public init(run: RunRecord?, postings: [PostingRecord], contacts: [ObservedContactKey: Int]) {
        self.run = run
        self.postings = postings
        self.contacts = contacts
    }
}

/// New observed postings and contacts to merge into a run in one transaction.
public struct ObservedBatch: Sendable {
    /// Postings to add (new labels) with their arm, index within the arm and window.
    public var newPostings: [PostingRecord]
    /// Postings whose window changes, by id: new window and removal flag.
    public var endedPostings: [(id: Int64, windowMicros: Int64, removed: Bool)]
    /// Contacts to append, by posting id: (microseconds since going live, channel label, pseudonym).
    public var contacts: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]]
    /// Contacts of the input that were found stored already, and so are not in `contacts`.
    public var alreadyStored: Int
    /// How the input's contact identifiers became contactors, recorded on the run; `nil` leaves
    /// the run's record as it is (the input had none).
    public var contactIdentifiers: ContactIdentifiers?

    public init(
        newPostings: [PostingRecord], endedPostings: [(id: Int64, windowMicros: Int64, removed: Bool)],
        contacts: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]], alreadyStored: Int,
        contactIdentifiers: ContactIdentifiers? = nil
    ) {
        self.newPostings = newPostings
        self.endedPostings = endedPostings
        self.contacts = contacts
        self.alreadyStored = alreadyStored
        self.contactIdentifiers = contactIdentifiers
    }
}

/// What a merge stored.
public struct ObservedMergeResult: Sendable, Equatable {
    public var runID: Int64
    public var newPostings: Int
    public var newContacts: Int
    /// Contacts in the input that were stored already (same posting, instant, channel, contactor).
    public var alreadyStored: Int
    public var postings: Int
    public var contacts: Int
}

extension Database {
    /// Writes observed data in one `BEGIN IMMEDIATE` transaction: reads the target run's state
    /// under the write lock, lets `plan` check the input against it and return the batch (or
    /// throw, which rolls everything back), appends the batch, and stores the run's digest as
    /// computed by `digest` from what the transaction holds, before it commits.
    ///
    /// With ``ObservedTarget/experiment(name:configSHA256:)`` the experiment's newest observed run
    /// is looked up and, when there is none, created from `header` inside the same transaction, so
    /// that concurrent imports of one experiment claim one run. The batch's
    /// ``ObservedBatch/contactIdentifiers`` is recorded on the run in the same transaction, so the
    /// next write's `plan` reads it. Each touched posting's contacts are
    /// rewritten in time order so that `seq` stays the order of contact.
    /// `cancellation` is checked before each posting's contacts are written; once cancelled, the
    /// transaction is rolled back and ``Cancelled`` thrown.
    /// - Throws: what `plan` or `digest` throw, unchanged; ``StoreError`` for the store's failures.
    public func writeObserved(
        to target: ObservedTarget, header: RunHeader, at time: String, cancellation: Cancellation = .never,
        plan: (ObservedState) throws -> ObservedBatch, digest: (Int64) throws -> String
    ) throws -> ObservedMergeResult {
        do {
            return try connection.inTransaction {
                var run: RunRecord?
                switch target {
                case let .run(id): run = try self.run(String(id))
                case let .experiment(name, sha256): run = try observedRun(name: name, configSHA256: sha256)
                }
                let state = try run.map(observedState) ?? ObservedState(run: nil, postings: [], contacts: [:])
                let batch = try plan(state)
                let runID = try run?.id ?? insertRun(header, startedAt: time, status: .complete)
                let result = try append(batch, run: runID, at: time, cancellation: cancellation)
                try connection.statement("UPDATE runs SET digest = ? WHERE run_id = ?").bind(.text(try digest(runID)), .integer(runID)).run()
                return result
            }
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error, path: path)
        }
    }

    /// The observed state of a run; the caller holds the transaction.
    func observedState(_ run: RunRecord) throws -> ObservedState {
        let channels = try channels(run: run.id), pseudonyms = try pseudonyms(run: run.id)
        var contacts: [ObservedContactKey: Int] = [:]
        try forEachContact(run: run.id) { contact in
            let channel = contact.channel < channels.count && contact.channel >= 0 ? channels[contact.channel] : ""
            let key = ObservedContactKey(posting: contact.posting, micros: contact.micros, channel: channel, pseudonym: contact.contactor.flatMap { pseudonyms[$0] })
            contacts[key, default: 0] += 1
        }
        return ObservedState(run: run, postings: try postings(run: run.id), contacts: contacts)
    }

    /// Appends a batch to a run; the caller holds the transaction.
    func append(_ batch: ObservedBatch, run runID: Int64, at time: String, cancellation: Cancellation = .never) throws -> ObservedMergeResult {
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
            INSERT INTO postings (run_id, posting_id, replicate, arm_id, idx, posted_at_us, window_us, removed, label, attributes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for p in batch.newPostings {
            try postingInsert.bind(
                .integer(runID), .integer(p.id), .int(p.replicate), .int(p.arm), .int(p.index), .integer(p.postedAtMicros),
                .integer(p.windowMicros), .int(p.removed ? 1 : 0), .optionalText(p.label),
                .optionalText(p.attributes.isEmpty ? nil : Self.jsonObject(p.attributes))).run()
        }
        for (id, window, removed) in batch.endedPostings {
            try connection.statement("UPDATE postings SET window_us = ?, removed = ? WHERE run_id = ? AND posting_id = ?")
                .bind(.integer(window), .int(removed ? 1 : 0), .integer(runID), .integer(id)).run()
        }
        if let identifiers = batch.contactIdentifiers {
            try connection.statement("UPDATE runs SET contact_identifiers = ? WHERE run_id = ?")
                .bind(.text(identifiers.stored), .integer(runID)).run()
        }
        var added = 0
        for (posting, incoming) in batch.contacts.sorted(by: { $0.key < $1.key }) where !incoming.isEmpty {
            Failpoint.reach("import-posting")
            try cancellation.check()
            var merged: [ContactRecord] = []
            try forEachContact(run: runID, postings: posting...posting) { merged.append($0) }
            for contact in incoming {
                merged.append(ContactRecord(posting: posting, seq: 0, micros: contact.micros, channel: try channelID(contact.channel),
                                            contactor: try contact.pseudonym.map(contactorID)))
                added += 1
            }
            merged.sort { ($0.micros, $0.channel, $0.contactor ?? -1) < ($1.micros, $1.channel, $1.contactor ?? -1) }
            // The posting's contacts move to the table's end, renumbered in time order.
            try deleteContacts(of: runID, postings: posting...posting)
            let first = try nextContactID(reserving: merged.count)
            try insertContacts(merged, from: first)
            try connection.statement("UPDATE postings SET first_contact = ?, contact_count = ? WHERE run_id = ? AND posting_id = ?")
                .bind(.integer(first), .int(merged.count), .integer(runID), .integer(posting)).run()
        }
        let postings = Int(try connection.scalarInt("SELECT count(*) FROM postings WHERE run_id = ?", .integer(runID)) ?? 0)
        let contacts = Int(try connection.scalarInt("SELECT sum(contact_count) FROM postings WHERE run_id = ?", .integer(runID)) ?? 0)
        try connection.statement("UPDATE runs SET postings = ?, contacts = ?, finished_at = ? WHERE run_id = ?")
            .bind(.int(postings), .int(contacts), .text(time), .integer(runID)).run()
        return ObservedMergeResult(runID: runID, newPostings: batch.newPostings.count, newContacts: added,
                                   alreadyStored: batch.alreadyStored, postings: postings, contacts: contacts)
    }
}

