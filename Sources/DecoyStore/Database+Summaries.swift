extension Database {
    /// Per-arm totals of a run: postings (all replicates), contacts and postings removed early.
    public func armTotals(run: Int64) throws(StoreError) -> [(arm: Int, postings: Int, contacts: Int, removed: Int)] {
        try wrap {
            let statement = try connection.statement("""
                SELECT p.arm_id, count(*), sum(p.removed), sum(p.contact_count)
                FROM postings p WHERE p.run_id = ? GROUP BY p.arm_id ORDER BY p.arm_id
                """)
            try statement.bind(.integer(run))
            var totals: [(arm: Int, postings: Int, contacts: Int, removed: Int)] = []
            while try statement.step() {
                totals.append((statement.int(0), statement.int(1), statement.int(3), statement.int(2)))
            }
            return totals
        }
    }
}
