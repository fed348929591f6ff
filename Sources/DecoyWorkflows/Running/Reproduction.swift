public import DecoyModel
import DecoySimulation
public import DecoyStore
import Foundation

/// What `decoy rerun` found.
public struct ReproductionReport: Sendable {
    public var runID: Int64
    public var postings: Int
    public var contacts: Int
    /// The digest stored with the run.
    public var storedDigest: String?
    /// The digest of the events as stored now.
    public var digestOfStoredEvents: String
    /// The digest of the events simulated again.
    public var recomputedDigest: String
    /// The first event (or posting) where stored and recomputed differ, if any.
    public var firstDifference: EventDifference?

    /// Whether the stored events equal the recomputed ones and the stored digest matches both.
    public var reproduced: Bool {
        firstDifference == nil && digestOfStoredEvents == recomputedDigest && storedDigest == recomputedDigest
    }

    /// Why the run was not reproduced, or `nil`.
    public var problem: String? {
        if let firstDifference { return firstDifference.description }
        if storedDigest != recomputedDigest {
            return "every stored event matches, but the stored digest \(storedDigest ?? "(none)") differs from the events' digest \(recomputedDigest): the digest was altered"
        }
        return nil
    }
}

/// The first place where a stored run and its re-simulation disagree.
public struct EventDifference: Sendable, Equatable, CustomStringConvertible {
    public var replicate: Int
    public var arm: String
    public var posting: Int
    /// The contact's `seq`, or `nil` when the posting itself (its window) differs.
    public var seq: Int?
    public var stored: String
    public var recomputed: String

    public var description: String {
        let place = "replicate \(replicate), arm \(arm), posting \(posting)" + (seq.map { ", seq \($0)" } ?? "")
        return "first difference at \(place): stored \(stored), recomputed \(recomputed)"
    }
}


/// A stored run that cannot be compared with its re-simulation because its rows are damaged: it
/// is not reproduced (exit status 3, as for a difference), and the damage names the row.
public struct DamagedRun: DecoyFailure {
    public var run: Int64
    public var damage: StoreError
    public var exitStatus: ExitStatus { .mismatch }
    public var description: String { "run \(run) was not reproduced: \(damage)" }
}

/// Re-simulates a stored run from its resolved config and seed and compares event by event.
public enum Reproduction {
    /// Compares a stored run with its re-simulation; `cancellation` stops it at the next chunk of
    /// postings, throwing ``Cancelled``.
    /// - Throws: ``DamagedRun`` when the stored rows disagree with themselves (a count that is not
    ///   the number of rows it counts, a posting of no arm, …): such a run is never reproduced.
    public static func check(_ run: RunRecord, in database: Database, jobs: Int, cancellation: Cancellation = .never,
                             progress: ((Int, Int) -> Void)? = nil) throws -> ReproductionReport {
        do {
            return try compare(run, in: database, jobs: jobs, cancellation: cancellation, progress: progress)
        } catch let error as StoreError {
            guard case .damaged = error else { throw error }
            throw DamagedRun(run: run.id, damage: error)
        }
    }

    static func compare(_ run: RunRecord, in database: Database, jobs: Int, cancellation: Cancellation,
                        progress: ((Int, Int) -> Void)?) throws -> ReproductionReport {
        guard run.source == .simulated else {
            throw RunStateError.observed(run: run.id, action: "re-simulated")
        }
        guard run.status == .complete else {
            throw RunStateError.notComplete(run: run.id, status: run.status)
        }
        // Counts that disagree with the rows they count are damage, never a reproduction.
        try database.checkCounts(run: run.id)
        let loaded = try StoredConfig.load(run)
        let plan = ExperimentPlan(loaded.config)
        let runner = ExperimentRunner(loaded: loaded, configPath: nil, jobs: jobs)
        let layout = ChannelLayout(plan: plan)
        let form = StoredForm(plan: plan, layout: layout)
        let storedPostings = try database.postings(run: run.id)
        let stream = try StoredStream(run: run, database: database)

        var recomputedDigest = EventDigest()
        var storedDigest = EventDigest()
        var difference: EventDifference?
        var contacts = 0
        // A shard is re-simulated over its own slice of the canonical order.
        let range = run.shard.map { $0.first..<$0.end } ?? 0..<plan.postingCount
        let planned = range.count
        if storedPostings.count != planned {
            difference = EventDifference(replicate: 0, arm: "-", posting: 0, seq: nil,
                                         stored: "\(storedPostings.count) postings", recomputed: "\(planned) postings")
        }
        try runner.forEachChunk(of: range, simulator: PostingSimulator(plan: plan)) { start, simulated in
            Failpoint.reach("rerun-chunk")
            try cancellation.check()
            guard !simulated.isEmpty else { return }
            // Stored contacts of this chunk, by posting id.
            var storedContacts: [Int64: [ContactRecord]] = [:]
            if start < storedPostings.count {
                let last = storedPostings[min(storedPostings.count, start + simulated.count) - 1].id
                try database.forEachContact(run: run.id, postings: storedPostings[start].id...last) { storedContacts[$0.posting, default: []].append($0) }
            }
            for (offset, result) in simulated.enumerated() {
                form.digest(result, into: &recomputedDigest)
                contacts += result.contacts.count
                let index = start + offset
                guard index < storedPostings.count else { continue }
                let stored = storedPostings[index]
                let armName = stream.armName(stored.arm)
                let contactsOfPosting = storedContacts[stored.id] ?? []
                stream.addPosting(stored, to: &storedDigest)
                for contact in contactsOfPosting { stream.addContact(contact, of: stored, to: &storedDigest) }
                guard difference == nil else { continue }
                let expected = form.posting(result, id: stored.id)
                if stored != expected {
                    difference = EventDifference(
                        replicate: stored.replicate, arm: armName, posting: stored.index, seq: nil,
                        stored: describe(stored), recomputed: describe(expected))
                    continue
                }
                let recomputed = form.contacts(result, id: stored.id)
                for seq in 0..<max(recomputed.count, contactsOfPosting.count) {
                    let a = seq < contactsOfPosting.count ? contactsOfPosting[seq] : nil
                    let b = seq < recomputed.count ? recomputed[seq] : nil
                    if a != b {
                        func text(_ c: ContactRecord?) -> String {
                            guard let c else { return "no contact" }
                            let contactor = stream.contactorText(c, of: stored)
                            return "t=\(Units.secondsText(micros: c.micros))s channel=\(stream.channelName(c.channel)) contactor=\(contactor.isEmpty ? "-" : contactor)"
                        }
                        difference = EventDifference(replicate: stored.replicate, arm: armName, posting: stored.index, seq: seq,
                                                     stored: text(a), recomputed: text(b))
                        break
                    }
                }
            }
            progress?(start + simulated.count, contacts)
        }
        return ReproductionReport(
            runID: run.id, postings: planned, contacts: contacts, storedDigest: run.digest,
            digestOfStoredEvents: storedDigest.finalize(), recomputedDigest: recomputedDigest.finalize(), firstDifference: difference)
    }

    static func describe(_ posting: PostingRecord) -> String {
        "window \(Units.secondsText(micros: posting.windowMicros))s removed \(posting.removed ? 1 : 0) posted_at \(Timestamp(microseconds: posting.postedAtMicros).utcText)"
    }
}
