public import DecoyModel
import DecoySimulation
public import DecoyStore
import Dispatch
import Foundation

/// The outcome of a stored simulated run.
public struct RunOutcome: Sendable, Equatable {
    public var runID: Int64
    public var postings: Int
    public var contacts: Int
    public var digest: String
}

/// Simulates a validated experiment and streams its postings and contacts into a database.
///
/// Postings are simulated in chunks, in parallel over `jobs` threads; each chunk is written in
/// one transaction in canonical order, so memory is bounded by the chunk and the stored events
/// and digest do not depend on `jobs`.
public struct ExperimentRunner: Sendable {
    public var loaded: LoadedConfig
    public var configPath: String?
    public var jobs: Int
    /// The sweep and grid point the run belongs to, if any.
    public var sweep: SweepTag?
    /// The slice of the canonical posting order to simulate (`nil`: every posting).
    public var shard: ShardTag?
    /// Postings simulated and written together, at most; bounds memory.
    public var chunkPostings = 4096
    /// Contacts a chunk is sized to hold on average, so memory stays bounded however busy the postings.
    public var chunkContacts = 200_000
    /// Stops the run at its next chunk (and its simulation at the next posting), the run left `interrupted`.
    public var cancellation = Cancellation.never

    public init(loaded: LoadedConfig, configPath: String?, jobs: Int = 1, sweep: SweepTag? = nil, shard: (index: Int, count: Int)? = nil) {
        self.loaded = loaded
        self.configPath = configPath
        self.jobs = max(1, jobs)
        self.sweep = sweep
        if let shard {
            let range = ExperimentPlan(loaded.config).shardRange(index: shard.index, of: shard.count)
            self.shard = ShardTag(index: shard.index, count: shard.count, first: range.lowerBound, end: range.upperBound)
        }
    }

    /// The canonical positions this runner writes.
    var range: Range<Int> { shard.map { $0.first..<$0.end } ?? 0..<ExperimentPlan(loaded.config).postingCount }

    /// Expected contacts of the whole run (every replicate), for the resource guard.
    public var expectedContacts: Double {
        let plan = ExperimentPlan(loaded.config)
        let perReplicate = plan.arms.reduce(0.0) { total, arm in
            total + Double(arm.spec.postings) * (plan.meanCount(ofArm: arm.index, horizon: plan.config.horizon) ?? 0)
        }
        return perReplicate * Double(loaded.config.replicates)
    }

    /// Runs the experiment into `database`, reporting progress as (postings done, contacts so far).
    ///
    /// A failure (a full disk, an I/O error) or a signal leaves the run `interrupted` with the
    /// reason; what was committed stays, and `resume` finishes it.
    public func run(into database: Database, progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        let runID = try database.beginRun(header, startedAt: nowText())
        return try write(runID: runID, into: database, progress: progress)
    }

    /// Simulates the whole experiment into run `runID`, already begun (by a sweep's claim of its point).
    func write(runID: Int64, into database: Database, progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        try write(runID: runID, plan: ExperimentPlan(loaded.config), range: range, into: database, from: range.lowerBound, digest: EventDigest(),
                  contactsSoFar: 0, progress: progress)
    }

    /// What is stored about the run when it starts: config, provenance, arms and channels.
    var header: RunHeader {
        let config = loaded.config
        let plan = ExperimentPlan(config)
        let layout = ChannelLayout(plan: plan)
        return RunHeader(
            name: config.name, source: .simulated, configPath: configPath, configText: loaded.text,
            resolvedConfig: loaded.resolvedText, configSHA256: loaded.sha256, seed: config.seed ?? 0,
            replicates: config.replicates, startMicros: config.start.microseconds,
            horizonMicros: Units.micros(hours: config.horizon), gridMicros: Units.micros(hours: config.grid),
            overrides: loaded.overrides.map(\.description), provenance: .current,
            arms: plan.arms.map {
                ArmRecord(id: $0.index, name: $0.spec.name, postings: $0.spec.postings, population: $0.population.name,
                          populationSize: $0.population.size, attributes: $0.spec.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            },
            channels: layout.names, sweep: sweep, shard: shard)
    }

    /// Simulates postings `from..<range.upperBound` of the plan into run `runID` (which holds the
    /// postings of `range`), continuing `digest`, and finishes the run.
    ///
    /// Three stages run at once: a producing thread simulates chunk after chunk (over `jobs`
    /// threads, which also turn them into rows and canonical lines), a second extends the digest
    /// with each chunk's lines in canonical order, and the calling thread is the run's single
    /// SQLite writer and commits each chunk as it arrives. One chunk waits to be hashed and at
    /// most ``chunksInFlight`` to be written, so memory stays bounded by the chunk size.
    func write(runID: Int64, plan: ExperimentPlan, range: Range<Int>, into database: Database, from first: Int, digest initial: EventDigest,
               contactsSoFar: Int, progress: ((Int, Int) -> Void)?) throws -> RunOutcome {
        let clock = ContinuousClock.now
        let total = range.count
        let handoff = startProducer(plan: plan, from: first, end: range.upperBound, digest: initial)
        defer { handoff.cancelAndWait() }
        do {
            var contactTotal = contactsSoFar
            while let chunk = try handoff.take() {
                Failpoint.reach("run-chunk")
                if let signal = cancellation.signal { throw RunInterrupted(runID: runID, signal: signal) }
                try database.append(run: runID, postings: chunk.postings, contacts: chunk.contacts)
                contactTotal += chunk.contacts.count
                progress?(chunk.end - range.lowerBound, contactTotal)
            }
            var digest = try handoff.result()
            let hex = digest.finalize()
            let elapsed = ContinuousClock.now - clock
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            try database.finishRun(runID, postings: total, contacts: contactTotal, digest: hex, finishedAt: nowText(), wallSeconds: seconds)
            return RunOutcome(runID: runID, postings: total, contacts: contactTotal, digest: hex)
        } catch {
            // The producer stops at a signal too; either way the run stops as interrupted by it.
            let reported: any Error = cancellation.signal.map { RunInterrupted(runID: runID, signal: $0) } ?? error
            try? database.abandonRun(runID, status: .interrupted, message: "\(reported)", finishedAt: nowText())
            throw reported
        }
    }

    /// Starts the producing stages: simulates postings `first…` of the plan chunk by chunk into
    /// stored form, extending `initial`, and hands the chunks over in canonical order.
    ///
    /// One thread simulates each chunk over `jobs` workers, which also build its rows and the
    /// bytes of its canonical lines; a second thread hashes those bytes in canonical order and
    /// assembles the chunk's rows, while the first simulates the next chunk. All of them run below
    /// the writer's priority (``WriterPriority``).
    func startProducer(plan: ExperimentPlan, from first: Int, end: Int? = nil, digest initial: EventDigest) -> Handoff<StoredChunk, EventDigest> {
        let simulated = Handoff<StoredChunkParts, Void>(capacity: 1)
        let stored = Handoff<StoredChunk, EventDigest>(capacity: Self.chunksInFlight)
        let form = StoredForm(plan: plan, layout: ChannelLayout(plan: plan))
        let simulating = Thread { [self] in
            WriterPriority.yieldToWriter()
            simulated.produce { put in
                let simulator = PostingSimulator(plan: plan)
                let meanContacts = plan.arms.map { plan.meanCount(ofArm: $0.index, horizon: plan.config.horizon) ?? 0 }
                try forEachChunkPlan(of: first..<(end ?? plan.postingCount), plan: plan) { offsetInRest, chunk in
                    try cancellation.check()
                    let expected = chunk.reduce(0.0) { $0 + meanContacts[$1.arm] }
                    try put(simulateStored(chunk, firstID: first + offsetInRest, expectedContacts: expected, with: simulator, form: form))
                }
            }
        }
        let hashing = Thread {
            WriterPriority.yieldToWriter()
            stored.produce { put in
                defer { simulated.cancelAndWait() }
                var digest = initial
                while let parts = try simulated.take() {
                    try put(parts.assemble(into: &digest))
                }
                try simulated.result()
                return digest
            }
        }
        simulating.start()
        hashing.start()
        return stored
    }

    /// Simulates a chunk of postings, the first with id `firstID`, on `jobs` threads, each
    /// turning its postings into rows and canonical lines (room made for `expectedContacts`).
    func simulateStored(_ chunk: [PostingPlan], firstID: Int, expectedContacts: Double, with simulator: PostingSimulator,
                        form: StoredForm) -> StoredChunkParts {
        let stripes = max(1, min(jobs, chunk.count))
        let contactsPerStripe = Int(min(Double(chunkContacts) * 4, expectedContacts / Double(stripes) * 1.05)) + 64
        @Sendable func stripe(_ stripe: Int) -> StoredChunkParts.Stripe {
            WriterPriority.yieldToWriter()
            var part = StoredChunkParts.Stripe(contacts: contactsPerStripe)
            var index = stripe
            while index < chunk.count {
                part.add(simulator.simulate(chunk[index]), id: Int64(firstID + index), form: form)
                index += stripes
            }
            return part
        }
        guard stripes > 1 else { return StoredChunkParts(end: firstID + chunk.count, postingCount: chunk.count, stripes: [stripe(0)]) }
        let results = ResultSlots<StoredChunkParts.Stripe>(count: stripes)
        DispatchQueue.concurrentPerform(iterations: stripes) { results.set($0, stripe($0)) }
        return StoredChunkParts(end: firstID + chunk.count, postingCount: chunk.count, stripes: results.values)
    }

    /// Simulates the whole experiment exactly as ``run(into:progress:)`` does, rows and digest
    /// included, but stores nothing: the simulation's share of a run, for benchmarks.
    public func simulateOnly() throws -> RunOutcome {
        let plan = ExperimentPlan(loaded.config)
        let handoff = startProducer(plan: plan, from: range.lowerBound, end: range.upperBound, digest: EventDigest())
        defer { handoff.cancelAndWait() }
        var contacts = 0
        while let chunk = try handoff.take() { contacts += chunk.contacts.count }
        var digest = try handoff.result()
        return RunOutcome(runID: 0, postings: range.count, contacts: contacts, digest: digest.finalize())
    }

    /// Chunks simulated ahead of the writer, at most.
    static let chunksInFlight = 2

    /// Simulates the postings at canonical positions `range` chunk by chunk, handing each chunk's
    /// results (with the offset of its first posting within `range`) to `body` in canonical order.
    /// Only one chunk of postings is materialised at a time.
    func forEachChunk(of range: Range<Int>, simulator: PostingSimulator, _ body: (Int, [SimulatedPosting]) throws -> Void) throws {
        try forEachChunkPlan(of: range, plan: simulator.plan) { offset, chunk in
            try body(offset, simulate(chunk, with: simulator))
        }
    }

    /// Cuts the postings at canonical positions `range` into chunks, handing each chunk's plans
    /// (with the offset of its first posting within `range`) to `body` in canonical order. The
    /// first chunk is a sixteenth of the full size and each next one twice the last, so that the
    /// writer starts early.
    func forEachChunkPlan(of range: Range<Int>, plan: ExperimentPlan, _ body: (Int, [PostingPlan]) throws -> Void) throws {
        // The busiest arm's expected contacts per posting sets how many postings fit in a chunk.
        let busiest = plan.arms.map { arm -> Double in
            guard let response = arm.spec.response else { return 0 }
            return PostingIntensity(response).meanCumulative(at: plan.config.horizon)
        }.max() ?? 0
        let size = max(1, min(chunkPostings, Int(Double(chunkContacts) / max(1, busiest))))
        var next = max(1, size / 16)
        var start = range.lowerBound
        while start < range.upperBound {
            let chunk = (start..<min(range.upperBound, start + next)).map(plan.posting(at:))
            try body(start - range.lowerBound, chunk)
            start += chunk.count
            next = min(size, 2 * next)
        }
    }

    /// Simulates a chunk of postings on `jobs` threads; results in the chunk's order.
    func simulate(_ chunk: [PostingPlan], with simulator: PostingSimulator) -> [SimulatedPosting] {
        simulator.simulate(chunk, jobs: jobs)
    }
}

/// One simulated chunk in stored form: its postings and contacts, and the index one past its last posting.
struct StoredChunk: Sendable {
    var end: Int
    var postings: [PostingRecord] = []
    var contacts: [ContactRecord] = []
}

/// How simulated postings become stored rows and lines of the canonical event stream.
struct StoredForm: Sendable {
    let plan: ExperimentPlan
    let layout: ChannelLayout
    let names: EventNames

    init(plan: ExperimentPlan, layout: ChannelLayout) {
        self.plan = plan
        self.layout = layout
        self.names = EventNames(plan: plan)
    }

    func posting(_ result: SimulatedPosting, id: Int64) -> PostingRecord {
        PostingRecord(
            id: id, replicate: result.plan.replicate, arm: result.plan.arm, index: result.plan.index,
            postedAtMicros: plan.config.start.microseconds + Units.micros(hours: result.plan.goLive),
            windowMicros: result.windowMicros, removed: result.removed)
    }

    func contacts(_ result: SimulatedPosting, id: Int64) -> [ContactRecord] {
        var rows: [ContactRecord] = []
        appendContacts(result, id: id, to: &rows)
        return rows
    }

    func appendContacts(_ result: SimulatedPosting, id: Int64, to rows: inout [ContactRecord]) {
        let channelIDs = layout.ids[result.plan.arm]
        for (seq, contact) in result.contacts.enumerated() {
            rows.append(ContactRecord(posting: id, seq: seq, micros: contact.micros, channel: channelIDs[contact.channel], contactor: Int64(contact.contactor)))
        }
    }

    func digest(_ result: SimulatedPosting, into digest: inout EventDigest) {
        digest.add(result, names: names)
    }
}

/// Run-wide channel ids: every label once, in order of first use across arms.
struct ChannelLayout: Sendable {
    var names: [String] = []
    /// For each arm, the run-wide id of each of its channels.
    var ids: [[Int]] = []

    init(plan: ExperimentPlan) {
        for arm in plan.arms {
            ids.append(arm.spec.channels.map { channel in
                if let existing = names.firstIndex(of: channel.name) { return existing }
                names.append(channel.name)
                return names.count - 1
            })
        }
    }
}
