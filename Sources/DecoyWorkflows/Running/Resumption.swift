public import DecoyModel
import DecoySimulation
public import DecoyStore

/// `decoy resume`: finishes an interrupted simulated run where it stopped.
///
/// Postings are written in chunks, each in one transaction and in canonical order, so an
/// interrupted run holds a prefix of its postings. Resuming digests that prefix as stored,
/// simulates the remaining postings from their own streams, and finishes the run: its digest
/// then equals an uninterrupted run's (which `decoy rerun` confirms).
public enum Resumption {
    /// Claims the run for this process (refused while another writer may hold it; see
    /// ``RunLiveness/checkTakeover(_:force:)``), then writes the postings it lacks.
    public static func resume(_ run: RunRecord, in database: Database, jobs: Int, force: Bool = false, cancellation: Cancellation = .never,
                              progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        guard run.source == .simulated else {
            throw RunStateError.observed(run: run.id, action: "resumed")
        }
        let loaded = try StoredConfig.load(run)
        // The status is judged and the run claimed in one transaction: of two `resume`s (or a
        // `resume` and a `delete`) only one gets the run.
        let claimed = try database.claimRun(run.id, provenance: .current) { current in
            guard current.status != .complete else {
                throw RunStateError.complete(run: current.id)
            }
            try RunLiveness.checkTakeover(current, force: force)
        }
        do {
            let stored = try database.postings(run: run.id)
            let plan = ExperimentPlan(loaded.config)
            // A shard holds its own slice of the canonical order; a whole run all of it.
            let range = run.shard.map { $0.first..<$0.end } ?? 0..<plan.postingCount
            guard stored.enumerated().allSatisfy({ range.lowerBound + $0.offset == Int($0.element.id) }), stored.count <= range.count else {
                throw RunStateError.notAPrefix(run: run.id)
            }
            let (digest, contacts) = try StoredDigest.accumulate(run: claimed, database: database)
            var runner = ExperimentRunner(loaded: loaded, configPath: run.configPath, jobs: jobs, sweep: run.sweep)
            runner.shard = run.shard
            runner.cancellation = cancellation
            return try runner.write(runID: run.id, plan: plan, range: range, into: database, from: range.lowerBound + stored.count,
                                    digest: digest, contactsSoFar: contacts, progress: progress)
        } catch {
            // Give the run back: it stays interrupted, to be resumed or deleted.
            if let current = try? database.run(String(run.id)), current.status == .running,
               current.provenance.pid == Provenance.current.pid, current.provenance.host == Provenance.current.host {
                try? database.abandonRun(run.id, status: .interrupted, message: "\(error)", finishedAt: nowText())
            }
            throw error
        }
    }
}
