extension Database {
    /// Per-arm totals of a run: postings (all replicates), contacts and postings removed early,
    /// after ``checkCounts(run:)``: every count agrees with the rows it counts.
    public func armTotals(run: Int64) throws(StoreError) -> [(arm: Int, postings: Int, contacts: Int, removed: Int)] {
        try checkCounts(run: run)
        let arms = try arms(run: run)
        return try wrap {
            var totals = arms.map { (arm: $0.id, postings: 0, contacts: 0, removed: 0) }
            let statement = try connection.statement("SELECT \(PostingColumn.list) FROM postings WHERE run_id = ?")
            try statement.bind(.integer(run))
            try statement.forEachRow {
                let row = StoredRow(statement, path: path, run: run, key: PostingColumn.id)
                let arm = try row.integer(.arm)
                guard totals.indices.contains(Int(clamping: arm)) else {
                    throw row.damaged("arm_id is \(arm), and the run has \(arms.count) arm\(arms.count == 1 ? "" : "s") (0…\(arms.count - 1))")
                }
                totals[Int(arm)].postings += 1
                totals[Int(arm)].contacts += try row.int(.contactCount)
                totals[Int(arm)].removed += try row.int(.removed, in: 0...1)
            }
            return totals.filter { $0.postings > 0 }
        }
    }

    /// Checks, in one read of the file, that a run's stored counts agree with its rows: each
    /// posting's contacts are stored (as many rows as its count says) and claimed by no other
    /// posting of any run, and the run's postings and contacts are the number of its posting rows
    /// and the sum of their contact counts.
    /// - Throws: ``StoreError/damaged(path:run:table:row:problem:)`` naming the row that disagrees.
    public func checkCounts(run: Int64) throws(StoreError) {
        try wrap {
            try connection.reading {
                let ranges = try contactRanges(run: run, postings: .min ... .max)
                try checkNoOtherClaims(run: run, postings: .min ... .max, ranges: ranges)
                // Ranges that follow one another are counted together; only a span that falls
                // short is counted posting by posting, to name the posting.
                let count = try connection.statement("SELECT count(*) FROM contacts WHERE contact_id >= ? AND contact_id < ?")
                func stored(_ first: Int64, _ end: Int64) throws -> Int64 {
                    try count.bind(.integer(first), .integer(end))
                    return try count.firstRow { count.int64(0) } ?? 0
                }
                let sorted = ranges.sorted { $0.first < $1.first }
                var start = 0
                while start < sorted.count {
                    var end = start + 1
                    while end < sorted.count, sorted[end].first == sorted[end - 1].end { end += 1 }
                    if try stored(sorted[start].first, sorted[end - 1].end) != sorted[end - 1].end - sorted[start].first {
                        for range in sorted[start..<end] {
                            let found = try stored(range.first, range.end)
                            guard found == range.end - range.first else {
                                throw StoreError.damaged(path: path, run: run, table: PostingColumn.table, row: "\(PostingColumn.id.name) \(range.posting)",
                                                         problem: "contact_count is \(range.end - range.first), and \(found) of them are stored (\(range.end - range.first - found) not stored)")
                            }
                        }
                    }
                    start = end
                }
                let statement = try connection.statement("""
                    SELECT r.postings, r.contacts, (SELECT count(*) FROM postings WHERE run_id = r.run_id),
                           (SELECT coalesce(sum(contact_count), 0) FROM postings WHERE run_id = r.run_id)
                    FROM runs AS r WHERE r.run_id = ?
                    """)
                try statement.bind(.integer(run))
                try statement.firstRow {
                    func damaged(_ problem: String) -> StoreError {
                        .damaged(path: path, run: run, table: RunColumn.table, row: "\(RunColumn.id.name) \(run)", problem: problem)
                    }
                    func shown(_ column: Int32) -> String { statement.type(column) == .integer ? String(statement.int64(column)) : "not an integer" }
                    guard statement.type(0) == .integer, statement.int64(0) == statement.int64(2) else {
                        throw damaged("postings is \(shown(0)), and \(statement.int64(2)) postings are stored")
                    }
                    guard statement.type(1) == .integer, statement.int64(1) == statement.int64(3) else {
                        throw damaged("contacts is \(shown(1)), and the run's postings count \(statement.int64(3)) contacts")
                    }
                }
            }
        }
    }
}
