public import DecoyModel
import Foundation

extension Database {
    /// Stores a new run in state `running`, with its arms and channels, and returns its id.
    public func beginRun(_ header: RunHeader, startedAt: String) throws(StoreError) -> Int64 {
        try wrap {
            try connection.inTransaction { try insertRun(header, startedAt: startedAt, status: .running) }
        }
    }

    /// Inserts a run row with its arms and channels; the caller holds the transaction.
    func insertRun(_ header: RunHeader, startedAt: String, status: RunStatus) throws -> Int64 {
        // The value of each column of a new run; `nil` leaves the column to its default (the id,
        // the totals and what is known only at the end).
        func value(_ column: RunColumn) -> SQLValue? {
            switch column {
            // An observed run's contact identifiers are recorded by the write that first stores one.
            case .id, .finishedAt, .wallSeconds, .postings, .contacts, .digest, .message, .contactIdentifiers: nil
            case .name: .text(header.name)
            case .source: .text(header.source.rawValue)
            case .status: .text(status.rawValue)
            case .configPath: .optionalText(header.configPath)
            case .configText: .text(header.configText)
            case .resolvedConfig: .text(header.resolvedConfig)
            case .configSHA256: .text(header.configSHA256)
            case .seed: .text(String(header.seed))
            case .replicates: .int(header.replicates)
            case .startMicros: .integer(header.startMicros)
            case .horizonMicros: .integer(header.horizonMicros)
            case .gridMicros: .integer(header.gridMicros)
            case .overrides: .text(Self.jsonArray(header.overrides))
            case .toolVersion: .text(header.provenance.toolVersion)
            case .swiftVersion: .text(header.provenance.swiftVersion)
            case .os: .text(header.provenance.os)
            case .host: .text(header.provenance.host)
            case .pid: .int(header.provenance.pid)
            case .startedAt: .text(startedAt)
            case .sweep: .optionalText(header.sweep?.sweep)
            case .sweepPoint: .optionalText(header.sweep?.point)
            case .processStart: .text(header.provenance.processStart)
            case .shardIndex: .optionalInt(header.shard?.index)
            case .shardCount: .optionalInt(header.shard?.count)
            case .shardFirst: .optionalInt(header.shard?.first)
            case .shardEnd: .optionalInt(header.shard?.end)
            case .mergedShards: .optionalInt(header.mergedShards)
            }
        }
        let columns = RunColumn.allCases.compactMap { column in value(column).map { (column, $0) } }
        let insert = try connection.statement("""
            INSERT INTO runs (\(columns.map(\.0.name).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
            """)
        try insert.bind(columns.map(\.1))
        try insert.run()
        let run = connection.lastInsertRowID
        let armInsert = try connection.statement(
            "INSERT INTO arms (run_id, \(ArmColumn.list)) VALUES (?, \(Array(repeating: "?", count: ArmColumn.allCases.count).joined(separator: ", ")))")
        for arm in header.arms {
            try armInsert.bind(
                .integer(run), .int(arm.id), .text(arm.name), .int(arm.postings), .text(arm.population),
                .optionalInt(arm.populationSize), .text(Self.jsonObject(arm.attributes))
            ).run()
        }
        let channelInsert = try connection.statement("INSERT INTO channels (run_id, \(ChannelColumn.list)) VALUES (?, ?, ?)")
        for (id, name) in header.channels.enumerated() {
            try channelInsert.bind(.integer(run), .int(id), .text(name)).run()
        }
        return run
    }

    /// Appends postings and their contacts in one transaction, adding them to the run's totals.
    ///
    /// `contacts` holds the postings' contacts grouped by posting in the order of `postings`, each
    /// posting's in `seq` order from 0; anything else is refused with nothing written.
    public func append(run: Int64, postings: [PostingRecord], contacts: [ContactRecord]) throws(StoreError) {
        try wrap {
            try connection.inTransaction {
                let ranges = try idRanges(of: postings, contacts: contacts, from: try nextContactID(reserving: contacts.count))
                let postingInsert = try connection.statement("""
                    INSERT INTO postings (run_id, posting_id, replicate, arm_id, idx, posted_at_us, window_us, removed, first_contact, contact_count)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (p, range) in zip(postings, ranges) {
                    try postingInsert.bind(
                        .integer(run), .integer(p.id), .int(p.replicate), .int(p.arm), .int(p.index),
                        .integer(p.postedAtMicros), .integer(p.windowMicros), .int(p.removed ? 1 : 0),
                        .integer(range.lowerBound), .integer(range.upperBound - range.lowerBound)
                    ).run()
                }
                try insertContacts(contacts, from: ranges.first?.lowerBound ?? 0)
                // Running totals, so an interrupted run shows how far it got.
                try connection.statement("UPDATE runs SET postings = postings + ?, contacts = contacts + ? WHERE run_id = ?")
                    .bind(.int(postings.count), .int(contacts.count), .integer(run)).run()
            }
        }
    }

    /// The id the next stored contact gets: one past the largest stored, so that contacts are
    /// appended at the end of the table. The caller holds the write transaction.
    /// - Throws: ``StoreError/invalidBatch(path:reason:)`` when `count` more ids would pass
    ///   `Int64.max` (only a file whose ids were edited comes near it).
    func nextContactID(reserving count: Int) throws -> Int64 {
        let largest = try connection.scalarInt("SELECT max(contact_id) FROM contacts") ?? 0
        guard largest <= Int64.max - 1 - Int64(count) else {
            throw StoreError.invalidBatch(path: path, reason: "\(count) more contact ids would pass \(Int64.max): the largest stored is \(largest) (was the contacts table edited?)")
        }
        return largest + 1
    }

    /// The id range each posting's contacts take when `contacts` are numbered from `first` in order.
    /// - Throws: ``StoreError/invalidBatch(path:reason:)`` when the contacts are not grouped by
    ///   posting in the postings' order, each posting's numbered 0, 1, 2, … by `seq`.
    func idRanges(of postings: [PostingRecord], contacts: [ContactRecord], from first: Int64) throws -> [Range<Int64>] {
        var ranges: [Range<Int64>] = []
        ranges.reserveCapacity(postings.count)
        var next = contacts.startIndex
        for p in postings {
            let start = next
            while next < contacts.endIndex, contacts[next].posting == p.id {
                guard contacts[next].seq == next - start else {
                    throw StoreError.invalidBatch(path: path, reason: "posting \(p.id) has contact seq \(contacts[next].seq) where \(next - start) was due")
                }
                next += 1
            }
            ranges.append((first + Int64(start))..<(first + Int64(next)))
        }
        guard next == contacts.endIndex else {
            throw StoreError.invalidBatch(path: path, reason: "a contact of posting \(contacts[next].posting) is not grouped with the postings given, in their order")
        }
        return ranges
    }

    /// Contacts per multi-row `INSERT` of ``insertContacts(_:from:)``.
    static let contactsPerStatement = 64

    /// Inserts contacts numbered `first`, `first` + 1, … in order, with multi-row statements: one
    /// statement execution stores ``contactsPerStatement`` rows. `first` is one past the table's
    /// largest id (``nextContactID()``), so SQLite gives each row the next id itself and appends it
    /// without searching the tree for the id; the last id is checked. The caller holds the
    /// transaction and has recorded the ids in the postings' ranges.
    func insertContacts(_ contacts: [ContactRecord], from first: Int64) throws {
        guard !contacts.isEmpty else { return }
        let columns = "INSERT INTO contacts (t_us, channel_id, contactor) VALUES "
        let width = Self.contactsPerStatement
        let many = try connection.statement(columns + Array(repeating: "(?, ?, ?)", count: width).joined(separator: ", "))
        let one = try connection.statement(columns + "(?, ?, ?)")
        try many.expectParameters(3 * width)
        try one.expectParameters(3)
        try contacts.withUnsafeBufferPointer { rows in
            func bind(_ statement: Statement, _ index: Int, at row: Int) throws {
                let base = Int32(row * 3)
                let c = rows[index]
                try statement.bindInteger(base + 1, c.micros)
                try statement.bindInteger(base + 2, Int64(c.channel))
                try statement.bindInteger(base + 3, c.contactor)
            }
            var start = 0
            while rows.count - start >= width {
                for row in 0..<width { try bind(many, start + row, at: row) }
                try many.run()
                start += width
            }
            for index in start..<rows.count {
                try bind(one, index, at: 0)
                try one.run()
            }
        }
        // Ids only grow, so the last being first + count − 1 means every one was as recorded.
        let last = first + Int64(contacts.count) - 1
        guard connection.lastInsertRowID == last else {
            throw StoreError.invalidBatch(path: path, reason: "contacts took ids up to \(connection.lastInsertRowID), not \(first)…\(last)")
        }
    }

    /// Marks a run finished, with its totals and digest.
    public func finishRun(_ run: Int64, postings: Int, contacts: Int, digest: String?, finishedAt: String, wallSeconds: Double) throws(StoreError) {
        // With a resumed run the wall time adds up over its sessions.
        try wrap {
            try connection.inTransaction {
                try connection.statement("""
                    UPDATE runs SET status = ?, postings = ?, contacts = ?, digest = ?, finished_at = ?,
                        wall_seconds = coalesce(wall_seconds, 0) + ?, message = NULL
                    WHERE run_id = ?
                    """).bind(.text(RunStatus.complete.rawValue), .int(postings), .int(contacts), .optionalText(digest), .text(finishedAt),
                              .real(wallSeconds), .integer(run)).run()
            }
        }
    }

    /// Takes over a run for this process — status `running`, the new writer's identity — after
    /// `check` has accepted the run as it stands inside the same `BEGIN IMMEDIATE` transaction, so
    /// that of two processes claiming one run only the first succeeds (the second sees the first's
    /// claim). Errors thrown by `check` roll back and reach the caller unchanged.
    /// - Returns: the run as it was before the claim.
    public func claimRun(_ run: Int64, provenance: Provenance, check: (RunRecord) throws -> Void) throws -> RunRecord {
        try transaction {
            let current = try self.run(String(run))
            try check(current)
            try connection.statement("UPDATE runs SET status = ?, host = ?, pid = ?, process_start = ?, message = NULL WHERE run_id = ?")
                .bind(.text(RunStatus.running.rawValue), .text(provenance.host), .int(provenance.pid), .text(provenance.processStart), .integer(run)).run()
            return current
        }
    }

    /// Starts a run of a sweep's grid point unless `decide`, given the point's earlier runs as they
    /// stand inside the same `BEGIN IMMEDIATE` transaction, returns one of them to keep (finished,
    /// or being written): then nothing is written. Otherwise the earlier runs (interrupted ones) are
    /// deleted and the new run is stored, so two processes never both start the same point.
    /// - Precondition: `header.sweep` is set.
    public func beginSweepPoint(_ header: RunHeader, startedAt: String, decide: ([RunRecord]) throws -> RunRecord?) throws -> SweepPointClaim {
        precondition(header.sweep != nil, "a sweep point's run carries its sweep tag")
        return try transaction {
            let statement = try connection.statement("SELECT \(RunColumn.list) FROM runs WHERE sweep = ? AND sweep_point = ? ORDER BY run_id")
            try statement.bind(.text(header.sweep!.sweep), .text(header.sweep!.point))
            var earlier: [RunRecord] = []
            try statement.forEachRow { earlier.append(try runRecord(statement)) }
            if let kept = try decide(earlier) { return .existing(kept) }
            for stale in earlier { try deleteRows(of: stale.id) }
            return .started(try insertRun(header, startedAt: startedAt, status: .running))
        }
    }

    /// What ``beginMerge(_:startedAt:provenance:decide:)`` found or did.
    public enum MergeClaim: Sendable {
        /// A finished merge of the same shards: nothing was written.
        case finished(RunRecord)
        /// An interrupted merge of the same shards, claimed to be completed by this process.
        case resumed(RunRecord)
        /// A new merged run.
        case started(Int64)
    }

    /// Finds or starts the run merged from N shards of one whole (same config sha256, seed and N),
    /// in one `BEGIN IMMEDIATE` transaction: of two merges at once, one starts the run and the
    /// other finds it. `decide` sees the earlier merged runs of that whole and throws to refuse
    /// (one still being written); a finished one is kept, an interrupted one claimed.
    /// - Precondition: `header.mergedShards` is set.
    public func beginMerge(_ header: RunHeader, startedAt: String, provenance: Provenance, decide: ([RunRecord]) throws -> Void) throws -> MergeClaim {
        precondition(header.mergedShards != nil, "a merged run records its shard count")
        return try transaction {
            let statement = try connection.statement(
                "SELECT \(RunColumn.list) FROM runs WHERE merged_shards = ? AND config_sha256 = ? AND seed = ? ORDER BY run_id")
            try statement.bind(.int(header.mergedShards!), .text(header.configSHA256), .text(String(header.seed)))
            var earlier: [RunRecord] = []
            try statement.forEachRow { earlier.append(try runRecord(statement)) }
            try decide(earlier)
            if let done = earlier.first(where: { $0.status == .complete }) { return .finished(done) }
            if let stopped = earlier.last {
                try connection.statement("UPDATE runs SET status = ?, host = ?, pid = ?, process_start = ?, message = NULL WHERE run_id = ?")
                    .bind(.text(RunStatus.running.rawValue), .text(provenance.host), .int(provenance.pid), .text(provenance.processStart),
                          .integer(stopped.id)).run()
                return .resumed(stopped)
            }
            return .started(try insertRun(header, startedAt: startedAt, status: .running))
        }
    }

    /// Marks a run that stopped before finishing, with the reason.
    public func abandonRun(_ run: Int64, status: RunStatus, message: String, finishedAt: String) throws(StoreError) {
        try wrap {
            try connection.inTransaction {
                try connection.statement("UPDATE runs SET status = ?, message = ?, finished_at = ? WHERE run_id = ?")
                    .bind(.text(status.rawValue), .text(message), .text(finishedAt), .integer(run)).run()
            }
        }
    }

    /// Removes a run and all its rows in one transaction, after `check` has accepted the run as it
    /// stands inside that transaction (errors thrown by `check` roll back and reach the caller).
    public func deleteRun(_ run: Int64, check: (RunRecord) throws -> Void = { _ in }) throws {
        try transaction {
            try check(try self.run(String(run)))
            try deleteRows(of: run)
        }
    }

    /// Deletes every row of a run; the caller holds the transaction.
    func deleteRows(of run: Int64) throws {
        try deleteContacts(of: run)
        for table in ["contactors", "postings", "channels", "arms", "runs"] {
            try connection.statement("DELETE FROM \(table) WHERE run_id = ?").bind(.integer(run)).run()
        }
    }

    /// Deletes the contacts of a run's postings, `postings` (ids) only if given, adjacent id ranges
    /// in one statement; the caller holds the transaction and updates the postings' ranges.
    ///
    /// A contact that a posting outside those also claims (ranges that overlap, which only an
    /// edited file holds) is kept: deleting one run never takes another's contacts. Range ends
    /// are summed by SQLite, which saturates where edited values would overflow.
    func deleteContacts(of run: Int64, postings: ClosedRange<Int64>? = nil) throws {
        let lower = postings?.lowerBound ?? .min, upper = postings?.upperBound ?? .max
        let statement = try connection.statement("""
            SELECT first_contact, first_contact + contact_count FROM postings
            WHERE run_id = ? AND posting_id BETWEEN ? AND ? AND contact_count > 0 ORDER BY first_contact
            """)
        try statement.bind(.integer(run), .integer(lower), .integer(upper))
        var spans: [Range<Int64>] = []
        try statement.forEachRow { spans.append(statement.int64(0)..<max(statement.int64(0), statement.int64(1))) }
        spans = Self.coalesced(spans)
        guard let hull = spans.first.map({ $0.lowerBound..<spans[spans.count - 1].upperBound }) else { return }
        // Ranges of the other postings that reach into the ids about to be deleted.
        let others = try connection.statement("""
            SELECT first_contact, first_contact + contact_count FROM postings
            WHERE contact_count > 0 AND first_contact < ? AND first_contact + contact_count > ?
              AND NOT (run_id = ? AND posting_id BETWEEN ? AND ?)
            """)
        try others.bind(.integer(hull.upperBound), .integer(hull.lowerBound), .integer(run), .integer(lower), .integer(upper))
        var kept: [Range<Int64>] = []
        try others.forEachRow { kept.append(others.int64(0)..<max(others.int64(0), others.int64(1))) }
        let delete = try connection.statement("DELETE FROM contacts WHERE contact_id >= ? AND contact_id < ?")
        for range in Self.subtracting(Self.coalesced(kept.sorted { $0.lowerBound < $1.lowerBound }), from: spans) {
            try delete.bind(.integer(range.lowerBound), .integer(range.upperBound)).run()
        }
    }

    /// Ranges sorted by lower bound, with those that overlap or touch joined into one.
    static func coalesced(_ sorted: [Range<Int64>]) -> [Range<Int64>] {
        var joined: [Range<Int64>] = []
        for range in sorted where !range.isEmpty {
            if let last = joined.last, last.upperBound >= range.lowerBound {
                joined[joined.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                joined.append(range)
            }
        }
        return joined
    }

    /// The parts of `spans` outside every range of `holes`; both sorted, disjoint and not touching.
    static func subtracting(_ holes: [Range<Int64>], from spans: [Range<Int64>]) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        var h = 0
        for span in spans {
            var start = span.lowerBound
            while h < holes.count, holes[h].upperBound <= start { h += 1 }
            var k = h
            while k < holes.count, holes[k].lowerBound < span.upperBound {
                if holes[k].lowerBound > start { result.append(start..<holes[k].lowerBound) }
                start = max(start, holes[k].upperBound)
                k += 1
            }
            if start < span.upperBound { result.append(start..<span.upperBound) }
        }
        return result
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction; SQLite failures become ``StoreError``,
    /// other errors (a caller's refusal) pass through unchanged.
    func transaction<R>(_ body: () throws -> R) throws -> R {
        do {
            return try connection.inTransaction(body)
        } catch let error as SQLiteError {
            throw StoreError.sqlite(error, path: path)
        }
    }

    static func jsonArray(_ items: [String]) -> String { JSONValue.array(items.map(JSONValue.string)).compact }

    static func jsonObject(_ pairs: [(String, String)]) -> String { JSONValue.object(pairs.map { ($0.0, .string($0.1)) }).compact }
}
