import DecoyModel
import Foundation

extension Database {
    /// Every run, oldest first.
    public func runs() throws(StoreError) -> [RunRecord] {
        try wrap {
            let statement = try connection.statement("SELECT \(RunColumn.list) FROM runs ORDER BY run_id")
            var records: [RunRecord] = []
            try statement.forEachRow { records.append(try runRecord(statement)) }
            return records
        }
    }

    /// The run named by `reference`: its id, or `last` for the newest run.
    public func run(_ reference: String) throws(StoreError) -> RunRecord {
        try wrap {
            let statement: Statement
            if reference == "last" {
                statement = try connection.statement("SELECT \(RunColumn.list) FROM runs ORDER BY run_id DESC LIMIT 1")
            } else if let id = Int64(reference) {
                statement = try connection.statement("SELECT \(RunColumn.list) FROM runs WHERE run_id = ?")
                try statement.bind(.integer(id))
            } else {
                throw StoreError.unknownRun(path: path, run: reference)
            }
            guard let record = try statement.firstRow({ try runRecord(statement) }) else { throw StoreError.unknownRun(path: path, run: reference) }
            return record
        }
    }

    /// The pseudonyms of an observed run's contactors, by contactor id.
    public func pseudonyms(run: Int64) throws(StoreError) -> [Int64: String] {
        try wrap {
            let statement = try connection.statement("SELECT \(ContactorColumn.list) FROM contactors WHERE run_id = ?")
            try statement.bind(.integer(run))
            var result: [Int64: String] = [:]
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: ContactorColumn.id)
                result[try row.integer(.id, in: 0...Int64.max)] = try row.text(.pseudonym)
            }
            return result
        }
    }

    /// The newest observed run of an experiment, by name and config digest.
    public func observedRun(name: String, configSHA256: String) throws(StoreError) -> RunRecord? {
        try wrap {
            let statement = try connection.statement("""
                SELECT \(RunColumn.list) FROM runs WHERE source = ? AND name = ? AND config_sha256 = ? ORDER BY run_id DESC LIMIT 1
                """)
            try statement.bind(.text(RunSource.observed.rawValue), .text(name), .text(configSHA256))
            return try statement.firstRow { try runRecord(statement) }
        }
    }

    /// The arms of a run, in config order: arm ids are their positions 0, 1, 2, …, which every
    /// posting's arm indexes.
    public func arms(run: Int64) throws(StoreError) -> [ArmRecord] {
        try wrap {
            let statement = try connection.statement("SELECT \(ArmColumn.list) FROM arms WHERE run_id = ? ORDER BY arm_id")
            try statement.bind(.integer(run))
            var arms: [ArmRecord] = []
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: ArmColumn.id)
                let id = try row.int(.id, in: 0...Int.max)
                guard id == arms.count else { throw row.damaged("arm_id \(arms.count) is missing: arms are numbered 0, 1, 2, … in config order") }
                arms.append(ArmRecord(
                    id: id, name: try row.text(.name), postings: try row.int(.postings), population: try row.text(.population),
                    populationSize: try row.optionalInt(.populationSize, in: 1...1_000_000_000), attributes: try row.attributes(.attributes, nullable: false)))
            }
            return arms
        }
    }

    /// The channel labels of a run, indexed by channel id.
    public func channels(run: Int64) throws(StoreError) -> [String] {
        try wrap {
            let statement = try connection.statement("SELECT \(ChannelColumn.list) FROM channels WHERE run_id = ? ORDER BY channel_id")
            try statement.bind(.integer(run))
            var names: [String] = []
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: ChannelColumn.id)
                guard try row.int(.id) == names.count else { throw row.damaged("channel_id \(names.count) is missing: channels are numbered 0, 1, 2, …") }
                names.append(try row.text(.name))
            }
            return names
        }
    }

    /// The postings of a run in canonical order (their ids), each checked against the run: its
    /// arm one of the run's arms, its replicate one of the run's, its index within its arm's
    /// postings, its window not negative.
    public func postings(run: Int64) throws(StoreError) -> [PostingRecord] {
        let arms = try arms(run: run)
        return try wrap {
            let replicates = try connection.scalarInt("SELECT replicates FROM runs WHERE run_id = ?", .integer(run)) ?? 0
            let horizon = try horizonMicros(run: run)
            let statement = try connection.statement("SELECT \(PostingColumn.list) FROM postings WHERE run_id = ? ORDER BY posting_id")
            try statement.bind(.integer(run))
            var postings: [PostingRecord] = []
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: PostingColumn.id)
                let arm = try row.integer(.arm)
                guard arms.indices.contains(Int(clamping: arm)) else {
                    throw row.damaged("arm_id is \(arm), and the run has \(arms.count) arm\(arms.count == 1 ? "" : "s") (0…\(arms.count - 1))")
                }
                postings.append(PostingRecord(
                    id: try row.integer(.id), replicate: try row.int(.replicate, in: 1...max(1, Int(clamping: replicates))), arm: Int(arm),
                    index: try row.int(.index, in: 0...max(0, arms[Int(arm)].postings - 1)),
                    postedAtMicros: try row.integer(.postedAtMicros, in: Self.instants), windowMicros: try row.integer(.windowMicros, in: 0...horizon), removed: try row.int(.removed, in: 0...1) == 1,
                    label: try row.optionalText(.label), attributes: try row.attributes(.attributes, nullable: true)))
            }
            return postings
        }
    }

    /// Instants a stored time may take, microseconds since the Unix epoch: the years 0001 to 9999
    /// of ISO 8601, so that an instant plus a time within the horizon never overflows.
    static let instants = Timestamp.storable

    /// The run's horizon in microseconds, the longest window of a posting and the latest time of
    /// a contact (0 for a run not stored, which has no postings or contacts).
    func horizonMicros(run: Int64) throws -> Int64 {
        max(0, min(try connection.scalarInt("SELECT horizon_us FROM runs WHERE run_id = ?", .integer(run)) ?? 0, Self.instants.upperBound))
    }

    /// The id ranges of the contacts of a run's postings with ids in `postings`, in posting order
    /// (postings without contacts left out), each checked: it starts at id 1 or later, does not
    /// pass the largest id, and overlaps no other range read.
    func contactRanges(run: Int64, postings: ClosedRange<Int64>) throws -> [(posting: Int64, first: Int64, end: Int64)] {
        let statement = try connection.statement("""
            SELECT \(PostingColumn.list) FROM postings
            WHERE run_id = ? AND posting_id BETWEEN ? AND ? AND contact_count != 0 ORDER BY posting_id
            """)
        try statement.bind(.integer(run), .integer(postings.lowerBound), .integer(postings.upperBound))
        var ranges: [(posting: Int64, first: Int64, end: Int64)] = []
        try statement.forEachRow {
            let row = StoredRow(statement, path: path, run: run, key: PostingColumn.id)
            let count = try row.integer(.contactCount, in: 0...Int64.max)
            let first = try row.integer(.firstContact, in: 1...Int64.max)
            guard first <= Int64.max - count else { throw row.damaged("first_contact \(first) and contact_count \(count) end past the largest contact id") }
            ranges.append((try row.integer(.id), first, first + count))
        }
        // Two postings never share a contact.
        let byFirst = ranges.sorted { $0.first < $1.first }
        for (previous, next) in zip(byFirst, byFirst.dropFirst()) where next.first < previous.end {
            throw StoreError.damaged(
                path: path, run: run, table: PostingColumn.table, row: "posting_id \(next.posting)",
                problem: "its contacts (ids \(next.first)…\(next.end - 1)) overlap those of posting_id \(previous.posting) (ids \(previous.first)…\(previous.end - 1)): a contact_count or first_contact disagrees with the contacts")
        }
        return ranges
    }

    /// Checks that no posting of another run, or of this run outside `postings`, claims
    /// contacts within `ranges` (those of a run's postings with ids in `postings`).
    func checkNoOtherClaims(run: Int64, postings: ClosedRange<Int64>, ranges: [(posting: Int64, first: Int64, end: Int64)]) throws {
        let spans = Self.coalesced(ranges.map { $0.first..<$0.end }.sorted { $0.lowerBound < $1.lowerBound })
        guard let low = spans.first?.lowerBound, let high = spans.last?.upperBound else { return }
        let statement = try connection.statement("""
            SELECT run_id, posting_id, first_contact, contact_count FROM postings
            WHERE contact_count > 0 AND first_contact < ? AND first_contact > ? - contact_count
              AND NOT (run_id = ? AND posting_id BETWEEN ? AND ?)
            """)
        try statement.bind(.integer(high), .integer(low), .integer(run), .integer(postings.lowerBound), .integer(postings.upperBound))
        try statement.forEachRow {
            let first = statement.int64(2), end = first &+ statement.int64(3)
            if spans.contains(where: { $0.lowerBound < end && first < $0.upperBound }) {
                throw StoreError.damaged(
                    path: path, run: run, table: PostingColumn.table, row: "posting_id \(statement.int64(1)) of run \(statement.int64(0))",
                    problem: "it claims contacts (ids \(first)…\(end - 1)) that a posting of run \(run) claims too: a contact_count or first_contact disagrees with the contacts")
            }
        }
    }

    /// Steps through the contacts of a run's postings with ids in `postings`, by posting and then
    /// `seq`, calling `body` with the posting, the contact's seq and the row, whose columns are
    /// `columns` (the contact id always among them).
    ///
    /// Postings whose id ranges follow one another (every posting of a simulated run, written in
    /// order) are read as one range of the table, so a row costs one step of a rowid scan. Each
    /// posting's contact count is checked against the rows read for it; when the whole run is
    /// read, no other posting may claim its contacts.
    func forEachContactRow(
        run: Int64, postings: ClosedRange<Int64>, columns: [ContactColumn], _ body: (_ posting: Int64, _ seq: Int, StoredRow<ContactColumn>) throws -> Void
    ) throws {
        let ranges = try contactRanges(run: run, postings: postings)
        if postings == .min ... .max { try checkNoOtherClaims(run: run, postings: postings, ranges: ranges) }
        let channels = try connection.scalarInt("SELECT count(*) FROM channels WHERE run_id = ?", .integer(run)) ?? 0
        let horizon = try horizonMicros(run: run)
        // Positions follow ContactColumn: the columns not asked for are read as NULL.
        let selected = ContactColumn.allCases.map { $0 == .id || columns.contains($0) ? $0.name : "NULL" }.joined(separator: ", ")
        let statement = try connection.statement("SELECT \(selected) FROM contacts WHERE contact_id >= ? AND contact_id < ?")
        func missing(_ range: (posting: Int64, first: Int64, end: Int64), read: Int64) -> StoreError {
            .damaged(path: path, run: run, table: PostingColumn.table, row: "posting_id \(range.posting)",
                     problem: "contact_count is \(range.end - range.first) (contact ids \(range.first)…\(range.end - 1)), and contact id \(range.first + read) is not stored")
        }
        let checkMicros = columns.contains(.micros), checkChannel = columns.contains(.channel), checkContactor = columns.contains(.contactor)
        var start = 0
        while start < ranges.count {
            var end = start + 1
            while end < ranges.count, ranges[end].first == ranges[end - 1].end { end += 1 }
            try statement.bind(.integer(ranges[start].first), .integer(ranges[end - 1].end))
            var current = start
            var read: Int64 = 0
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: ContactColumn.id)
                let id = try row.integer(.id)
                while id >= ranges[current].end {
                    guard read == ranges[current].end - ranges[current].first else { throw missing(ranges[current], read: read) }
                    current += 1
                    read = 0
                }
                guard id - ranges[current].first == read else { throw missing(ranges[current], read: read) }
                read += 1
                if checkMicros { _ = try row.integer(.micros, in: 0...horizon) }
                if checkChannel { _ = try row.integer(.channel, in: 0...max(0, channels - 1)) }
                if checkContactor, !statement.isNull(ContactColumn.contactor.position) { _ = try row.integer(.contactor, in: 0...Int64.max) }
                try body(ranges[current].posting, Int(read - 1), row)
            }
            // The group's remaining postings: every one of their contacts must have been read.
            while current < end {
                guard read == ranges[current].end - ranges[current].first else { throw missing(ranges[current], read: read) }
                current += 1
                read = 0
            }
            start = end
        }
    }

    /// Calls `body` with each contact of a run, ordered by posting and then by `seq`
    /// (one range of the contacts table per posting, so memory stays constant).
    public func forEachContact(run: Int64, _ body: (ContactRecord) throws -> Void) throws(StoreError) {
        try forEachContact(run: run, postings: .min ... .max, body)
    }

    /// Calls `body` with each contact of the postings whose ids lie in `postings`, in order.
    public func forEachContact(run: Int64, postings: ClosedRange<Int64>, _ body: (ContactRecord) throws -> Void) throws(StoreError) {
        try wrap {
            try forEachContactRow(run: run, postings: postings, columns: [.micros, .channel, .contactor]) { posting, seq, row in
                try body(ContactRecord(
                    posting: posting, seq: seq, micros: try row.integer(.micros), channel: Int(try row.integer(.channel)),
                    contactor: row.statement.isNull(ContactColumn.contactor.position) ? nil : try row.integer(.contactor)))
            }
        }
    }

    /// Calls `body` once for each posting of the run that has contacts, in posting order, with its
    /// contact times in microseconds (ascending) and, with `contactors`, each contact's contactor
    /// (otherwise an empty array). The arrays are reused between calls: memory holds one posting's
    /// contacts, however large the run.
    public func forEachPostingContacts(
        run: Int64, contactors: Bool, _ body: (_ posting: Int64, _ micros: [Int64], _ contactors: [Int64?]) throws -> Void
    ) throws(StoreError) {
        try wrap {
            var current: Int64 = -1
            var micros: [Int64] = []
            var who: [Int64?] = []
            try forEachContactRow(run: run, postings: .min ... .max, columns: contactors ? [.micros, .contactor] : [.micros]) { posting, _, row in
                if posting != current {
                    if !micros.isEmpty { try body(current, micros, who) }
                    current = posting
                    micros.removeAll(keepingCapacity: true)
                    who.removeAll(keepingCapacity: true)
                }
                micros.append(try row.integer(.micros))
                if contactors { who.append(row.statement.isNull(ContactColumn.contactor.position) ? nil : try row.integer(.contactor)) }
            }
            if !micros.isEmpty { try body(current, micros, who) }
        }
    }

    /// The time of each contacted posting's first contact, in microseconds, keyed by posting id:
    /// one lookup of the contacts table per posting (a posting's first contact is its earliest).
    public func firstContactTimes(run: Int64) throws(StoreError) -> [Int64: Int64] {
        try wrap {
            let ranges = try contactRanges(run: run, postings: .min ... .max)
            let horizon = try horizonMicros(run: run)
            let statement = try connection.statement("SELECT \(ContactColumn.list) FROM contacts WHERE contact_id = ?")
            var firsts: [Int64: Int64] = [:]
            for range in ranges {
                try statement.bind(.integer(range.first))
                let micros = try statement.firstRow {
                    try StoredRow(statement, path: path, run: run, key: ContactColumn.id).integer(.micros, in: 0...horizon)
                }
                guard let micros else {
                    throw StoreError.damaged(path: path, run: run, table: PostingColumn.table, row: "posting_id \(range.posting)",
                                             problem: "its first contact (id \(range.first)) is not stored")
                }
                firsts[range.posting] = micros
            }
            return firsts
        }
    }

    /// The run of the current row, every column checked: a source, status or seed this version
    /// cannot read is an error naming the run, never read as a default, and so is a NULL where a
    /// value is due or a count out of its range.
    func runRecord(_ s: Statement) throws(StoreError) -> RunRecord {
        let row = StoredRow<RunColumn>(s, path: path, run: s.int64(RunColumn.id.position), key: .id)
        let id = try row.integer(.id)
        func unreadable(_ column: RunColumn) throws(StoreError) -> StoreError {
            .unreadableRun(path: path, run: id, column: column.name, value: String(try row.text(column).prefix(40)))
        }
        guard let source = RunSource(rawValue: try row.text(.source)) else { throw try unreadable(.source) }
        guard let status = RunStatus(rawValue: try row.text(.status)) else { throw try unreadable(.status) }
        guard let seed = UInt64(try row.text(.seed)) else { throw try unreadable(.seed) }
        let sweep = try row.optionalText(.sweep)
        let shardIndex = try row.optionalInt(.shardIndex, in: 1...Int.max)
        var contactIdentifiers: ContactIdentifiers?
        if let stored = try row.optionalText(.contactIdentifiers) {
            // Not repeated: the text could hold a key's fingerprint.
            guard let value = ContactIdentifiers(stored: stored) else {
                throw StoreError.damaged(path: path, run: id, table: RunColumn.table, row: "run_id \(id)",
                                         problem: "its \(RunColumn.contactIdentifiers.name) is not a value decoy writes")
            }
            contactIdentifiers = value
        }
        return RunRecord(
            id: id, name: try row.text(.name), source: source, status: status, configPath: try row.optionalText(.configPath),
            configText: try row.text(.configText), resolvedConfig: try row.text(.resolvedConfig), configSHA256: try row.text(.configSHA256),
            seed: seed, replicates: try row.int(.replicates, in: 1...Int.max),
            startMicros: try row.integer(.startMicros, in: Self.instants), horizonMicros: try row.integer(.horizonMicros, in: 1...Self.instants.upperBound),
            gridMicros: try row.integer(.gridMicros, in: 1...Int64.max), overrides: try row.text(.overrides),
            provenance: Provenance(toolVersion: try row.text(.toolVersion), swiftVersion: try row.text(.swiftVersion), os: try row.text(.os),
                                   host: try row.text(.host), pid: Int(try row.integer(.pid)), processStart: try row.optionalText(.processStart) ?? ""),
            startedAt: try row.text(.startedAt), finishedAt: try row.optionalText(.finishedAt),
            wallSeconds: try row.optionalReal(.wallSeconds, in: 0...Double.greatestFiniteMagnitude),
            postings: try row.int(.postings), contacts: try row.int(.contacts), digest: try row.optionalText(.digest),
            message: try row.optionalText(.message),
            sweep: try sweep.map { sweep throws(StoreError) in SweepTag(sweep: sweep, point: try row.text(.sweepPoint)) },
            shard: try shardIndex.map { index throws(StoreError) in
                let count = try row.int(.shardCount, in: index...Int.max)
                let first = try row.int(.shardFirst)
                return ShardTag(index: index, count: count, first: first, end: try row.int(.shardEnd, in: first...Int.max))
            },
            mergedShards: try row.optionalInt(.mergedShards, in: 1...Int.max), contactIdentifiers: contactIdentifiers)
    }
}
