extension Database {
    /// Records the grid of sweep `sweep` (its axes, as the sweep encodes them) unless it is
    /// recorded already, so that a merge of the sweep's shard files knows every point it must find.
    public func recordSweep(_ sweep: String, grid: String) throws(StoreError) {
        try wrap {
            try transaction {
                try connection.statement("INSERT INTO sweeps (sweep, grid) VALUES (?, ?) ON CONFLICT (sweep) DO NOTHING")
                    .bind(.text(sweep), .text(grid)).run()
            }
        }
    }

    /// The recorded grid of sweep `sweep`, or `nil` (a sweep run by a version before schema 8).
    public func sweepGrid(_ sweep: String) throws(StoreError) -> String? {
        try wrap {
            let statement = try connection.statement("SELECT grid FROM sweeps WHERE sweep = ?")
            try statement.bind(.text(sweep))
            return try statement.firstRow { try statement.text(0) }
        }
    }
}
