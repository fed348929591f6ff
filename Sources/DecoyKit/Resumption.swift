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
    public static func resume(_ run: RunRecord, in database: Database, jobs: Int, progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        guard run.source == .simulated else {
            throw ReproductionError(message: "run \(run.id) holds observed field data; only simulated runs are resumed")
        }
        switch RunLiveness.effectiveStatus(run) {
        case .complete:
            throw ReproductionError(message: "run \(run.id) is complete; nothing to resume")
        case .running:
            throw ReproductionError(message: "run \(run.id) is being written by process \(run.provenance.pid) on \(run.provenance.host)")
        case .interrupted, .failed:
            break
        }
        let loaded = try Reproduction.storedConfig(of: run)
        let stored = try database.postings(run: run.id)
        guard stored.enumerated().allSatisfy({ $0.offset == Int($0.element.id) }) else {
            throw ReproductionError(message: "run \(run.id) does not hold a prefix of its postings; it cannot be resumed (delete it and run again)")
        }
        let plan = ExperimentPlan(loaded.config)
        let (digest, contacts) = try StoredDigest.accumulate(run: run, database: database)
        try database.claimRun(run.id, provenance: .current)
        let runner = ExperimentRunner(loaded: loaded, configPath: run.configPath, jobs: jobs, sweep: run.sweep)
        return try runner.write(runID: run.id, plan: plan, into: database, from: stored.count, digest: digest, contactsSoFar: contacts, progress: progress)
    }
}
