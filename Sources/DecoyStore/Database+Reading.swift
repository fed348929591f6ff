import DecoyModel
import Foundation

extension Database {
    static let runColumns = """
        run_id, name, source, status, config_path, config_text, resolved_config, config_sha256, seed, replicates,
        start_us, horizon_us, grid_us, overrides, tool_version, swift_version, os, host, pid, started_at,
        finished_at, wall_seconds, postings, contacts, digest, message, sweep, sweep_point, process_start,
        shard_index, shard_count, shard_first, shard_end, merged_shards
        """

    /// Every run, oldest first.
    public func runs() throws(StoreError) -> [RunRecord] {
        try wrap {
            let statement = try connection.statement("SELECT \(Self.runColumns) FROM runs ORDER BY run_id")
            var records: [RunRecord] = []
            while try statement.step() { records.append(try runRecord(statement)) }
            return records
        }
    }

    /// The run named by `reference`: its id, or `last` for the newest run.
    public func run(_ reference: String) throws(StoreError) -> RunRecord {
        try wrap {
            let statement: Statement
            if reference == "last" {
                statement = try connection.statement("SELECT \(Self.runColumns) FROM runs ORDER BY run_id DESC LIMIT 1")
            } else if let id = Int64(reference) {
                statement = try connection.statement("SELECT \(Self.runColumns) FROM runs WHERE run_id = ?")
                try statement.bind(.integer(id))
            } else {
                throw StoreError.unknownRun(path: path, run: reference)
            }
            guard try statement.step() else { throw StoreError.unknownRun(path: path, run: reference) }
            defer { statement.finish() }
            return try runRecord(statement)
        }
    }

    /// The pseudonyms of an observed run's contactors, by contactor id.
    public func pseudonyms(run: Int64) throws(StoreError) -> [Int64: String] {
        try wrap {
            let statement = try connection.statement("SELECT contactor_id, pseudonym FROM contactors WHERE run_id = ?")
            try statement.bind(.integer(run))
            var result: [Int64: String] = [:]
            while try statement.step() { result[statement.int64(0)] = statement.text(1) }
            return result
        }
    }

    /// The newest observed run of an experiment, by name and config digest.
    public func observedRun(name: String, configSHA256: String) throws(StoreError) -> RunRecord? {
        try wrap {
            let statement = try connection.statement("""
                SELECT \(Self.runColumns) FROM runs WHERE source = 'observed' AND name = ? AND config_sha256 = ? ORDER BY run_id DESC LIMIT 1
                """)
            try statement.bind(.text(name), .text(configSHA256))
            guard try statement.step() else { return nil }
            defer { statement.finish() }
            return try runRecord(statement)
        }
    }

    /// The arms of a run, in config order.
    public func arms(run: Int64) throws(StoreError) -> [ArmRecord] {
        try wrap {
            let statement = try connection.statement(
                "SELECT arm_id, name, postings, population, population_size, attributes FROM arms WHERE run_id = ? ORDER BY arm_id")
            try statement.bind(.integer(run))
            var arms: [ArmRecord] = []
            while try statement.step() {
                arms.append(ArmRecord(
                    id: statement.int(0), name: statement.text(1), postings: statement.int(2), population: statement.text(3),
                    populationSize: statement.isNull(4) ? nil : statement.int(4), attributes: Self.pairs(fromJSON: statement.text(5))))
            }
            return arms
        }
    }

    /// The channel labels of a run, indexed by channel id.
    public func channels(run: Int64) throws(StoreError) -> [String] {
        try wrap {
            let statement = try connection.statement("SELECT name FROM channels WHERE run_id = ? ORDER BY channel_id")
            try statement.bind(.integer(run))
            var names: [String] = []
            while try statement.step() { names.append(statement.text(0)) }
            return names
        }
    }

    /// The postings of a run in canonical order (their ids).
    public func postings(run: Int64) throws(StoreError) -> [PostingRecord] {
        try wrap {
            let statement = try connection.statement("""
                SELECT posting_id, replicate, arm_id, idx, posted_at_us, window_us, removed, label, attributes
                FROM postings WHERE run_id = ? ORDER BY posting_id
                """)
            try statement.bind(.integer(run))
            var postings: [PostingRecord] = []
            while try statement.step() {
                postings.append(PostingRecord(
                    id: statement.int64(0), replicate: statement.int(1), arm: statement.int(2), index: statement.int(3),
                    postedAtMicros: statement.int64(4), windowMicros: statement.int64(5), removed: statement.int(6) != 0,
                    label: statement.optionalText(7), attributes: statement.isNull(8) ? [] : Self.pairs(fromJSON: statement.text(8))))
            }
            return postings
        }
    }

    /// The id ranges of the contacts of a run's postings with ids in `postings`, in posting order
    /// (postings without contacts left out).
    func contactRanges(run: Int64, postings: ClosedRange<Int64>) throws -> [(posting: Int64, first: Int64, end: Int64)] {
        let statement = try connection.statement("""
            SELECT posting_id, first_contact, first_contact + contact_count FROM postings
            WHERE run_id = ? AND posting_id BETWEEN ? AND ? AND contact_count > 0 ORDER BY posting_id
            """)
        try statement.bind(.integer(run), .integer(postings.lowerBound), .integer(postings.upperBound))
        var ranges: [(posting: Int64, first: Int64, end: Int64)] = []
        while try statement.step() { ranges.append((statement.int64(0), statement.int64(1), statement.int64(2))) }
        return ranges
    }

    /// Steps through the contacts of a run's postings with ids in `postings`, by posting and then
    /// `seq`, calling `body` with the posting, the contact's seq and the statement positioned on
    /// its row, whose column 0 is the contact id and columns 1… are `columns`.
    ///
    /// Postings whose id ranges follow one another (every posting of a simulated run, written in
    /// order) are read as one range of the table, so a row costs one step of a rowid scan.
    func forEachContactRow(
        run: Int64, postings: ClosedRange<Int64>, columns: String, _ body: (_ posting: Int64, _ seq: Int, Statement) throws -> Void
    ) throws {
        let ranges = try contactRanges(run: run, postings: postings)
        let statement = try connection.statement("SELECT contact_id, \(columns) FROM contacts WHERE contact_id >= ? AND contact_id < ?")
        var start = 0
        while start < ranges.count {
            var end = start + 1
            while end < ranges.count, ranges[end].first == ranges[end - 1].end { end += 1 }
            try statement.bind(.integer(ranges[start].first), .integer(ranges[end - 1].end))
            var current = start
            while try statement.step() {
                let id = statement.int64(0)
                while id >= ranges[current].end { current += 1 }
                try body(ranges[current].posting, Int(id - ranges[current].first), statement)
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
            try forEachContactRow(run: run, postings: postings, columns: "t_us, channel_id, contactor") { posting, seq, row in
                try body(ContactRecord(
                    posting: posting, seq: seq, micros: row.int64(1), channel: row.int(2), contactor: row.isNull(3) ? nil : row.int64(3)))
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
            try forEachContactRow(run: run, postings: .min ... .max, columns: contactors ? "t_us, contactor" : "t_us") { posting, _, row in
                if posting != current {
                    if !micros.isEmpty { try body(current, micros, who) }
                    current = posting
                    micros.removeAll(keepingCapacity: true)
                    who.removeAll(keepingCapacity: true)
                }
                micros.append(row.int64(1))
                if contactors { who.append(row.isNull(2) ? nil : row.int64(2)) }
            }
            if !micros.isEmpty { try body(current, micros, who) }
        }
    }

    /// The time of each contacted posting's first contact, in microseconds, keyed by posting id:
    /// one lookup of the contacts table per posting (a posting's first contact is its earliest).
    public func firstContactTimes(run: Int64) throws(StoreError) -> [Int64: Int64] {
        try wrap {
            let statement = try connection.statement("""
                SELECT p.posting_id, c.t_us FROM postings AS p
                CROSS JOIN contacts AS c ON c.contact_id = p.first_contact
                WHERE p.run_id = ? AND p.contact_count > 0
                """)
            try statement.bind(.integer(run))
            var firsts: [Int64: Int64] = [:]
            while try statement.step() { firsts[statement.int64(0)] = statement.int64(1) }
            return firsts
        }
    }

    /// The run of the current row; a source, status or seed this version cannot read is an error
    /// naming the run, never read as a default.
    func runRecord(_ s: Statement) throws(StoreError) -> RunRecord {
        let id = s.int64(0)
        func unreadable(_ column: String, _ value: String) -> StoreError {
            .unreadableRun(path: path, run: id, column: column, value: String(value.prefix(40)))
        }
        guard let source = RunSource(rawValue: s.text(2)) else { throw unreadable("source", s.text(2)) }
        guard let status = RunStatus(rawValue: s.text(3)) else { throw unreadable("status", s.text(3)) }
        guard let seed = UInt64(s.text(8)) else { throw unreadable("seed", s.text(8)) }
        return RunRecord(
            id: id, name: s.text(1), source: source, status: status, configPath: s.optionalText(4), configText: s.text(5),
            resolvedConfig: s.text(6), configSHA256: s.text(7), seed: seed, replicates: s.int(9),
            startMicros: s.int64(10), horizonMicros: s.int64(11), gridMicros: s.int64(12), overrides: s.text(13),
            provenance: Provenance(toolVersion: s.text(14), swiftVersion: s.text(15), os: s.text(16), host: s.text(17), pid: s.int(18),
                                   processStart: s.optionalText(28) ?? ""),
            startedAt: s.text(19), finishedAt: s.optionalText(20), wallSeconds: s.optionalDouble(21), postings: s.int(22),
            contacts: s.int(23), digest: s.optionalText(24), message: s.optionalText(25),
            sweep: s.optionalText(26).map { SweepTag(sweep: $0, point: s.text(27)) },
            shard: s.isNull(29) ? nil : ShardTag(index: s.int(29), count: s.int(30), first: s.int(31), end: s.int(32)),
            mergedShards: s.isNull(33) ? nil : s.int(33))
    }

    /// Key–value pairs of a flat JSON object of strings, in key order.
    static func pairs(fromJSON text: String) -> [(String, String)] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [] }
        return object.compactMap { key, value in (value as? String).map { (key, $0) } }.sorted { $0.0 < $1.0 }
    }
}
