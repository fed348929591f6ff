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
public struct ExperimentRunner {
    public var loaded: LoadedConfig
    public var configPath: String?
    public var overrides: [String]
    public var jobs: Int
    /// Postings simulated and written together; bounds memory.
    public var chunkPostings = 4096

    public init(loaded: LoadedConfig, configPath: String?, overrides: [String] = [], jobs: Int = 1) {
        self.loaded = loaded
        self.configPath = configPath
        self.overrides = overrides
        self.jobs = max(1, jobs)
    }

    /// Runs the experiment into `database`, reporting progress as (postings done, contacts so far).
    public func run(into database: Database, progress: ((Int, Int) -> Void)? = nil) throws -> RunOutcome {
        let config = loaded.config
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        let layout = ChannelLayout(plan: plan)
        let header = RunHeader(
            name: config.name, source: .simulated, configPath: configPath, configText: loaded.text,
            resolvedConfig: loaded.resolvedText, configSHA256: loaded.sha256, seed: config.seed,
            replicates: config.replicates, startMicros: config.start.microseconds,
            horizonMicros: SimulatedPosting.micros(hours: config.horizon), gridMicros: SimulatedPosting.micros(hours: config.grid),
            overrides: overrides, provenance: .current,
            arms: plan.arms.map {
                ArmRecord(id: $0.index, name: $0.spec.name, postings: $0.spec.postings, population: $0.population.name,
                          populationSize: $0.population.size, attributes: $0.spec.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            },
            channels: layout.names)
        let clock = ContinuousClock.now
        let runID = try database.beginRun(header, startedAt: nowText())
        do {
            var digest = EventDigest()
            let postings = plan.postings
            var contactTotal = 0
            var start = 0
            while start < postings.count {
                let chunk = Array(postings[start..<min(postings.count, start + chunkPostings)])
                let simulated = simulate(chunk, with: simulator)
                var postingRows: [PostingRecord] = []
                var contactRows: [ContactRecord] = []
                postingRows.reserveCapacity(chunk.count)
                for (offset, result) in simulated.enumerated() {
                    let id = Int64(start + offset)
                    let arm = plan.arms[result.plan.arm]
                    postingRows.append(PostingRecord(
                        id: id, replicate: result.plan.replicate, arm: result.plan.arm, index: result.plan.index,
                        postedAtMicros: config.start.microseconds + SimulatedPosting.micros(hours: result.plan.goLive),
                        windowMicros: result.windowMicros, removed: result.removed))
                    digest.addPosting(replicate: result.plan.replicate, arm: arm.spec.name, posting: result.plan.index,
                                      windowMicros: result.windowMicros, removed: result.removed)
                    let channelIDs = layout.ids[result.plan.arm]
                    for (seq, contact) in result.contacts.enumerated() {
                        contactRows.append(ContactRecord(
                            posting: id, seq: seq, micros: contact.micros, channel: channelIDs[contact.channel], contactor: Int64(contact.contactor)))
                        digest.addContact(
                            replicate: result.plan.replicate, arm: arm.spec.name, posting: result.plan.index, seq: seq,
                            micros: contact.micros, channel: arm.spec.channels[contact.channel].name,
                            contactor: "\(arm.population.name):\(contact.contactor)")
                    }
                }
                try database.append(run: runID, postings: postingRows, contacts: contactRows)
                contactTotal += contactRows.count
                start += chunk.count
                progress?(start, contactTotal)
            }
            let elapsed = ContinuousClock.now - clock
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            let hex = digest.finalize()
            try database.finishRun(runID, postings: postings.count, contacts: contactTotal, digest: hex, finishedAt: nowText(), wallSeconds: seconds)
            return RunOutcome(runID: runID, postings: postings.count, contacts: contactTotal, digest: hex)
        } catch {
            try? database.abandonRun(runID, status: .failed, message: "\(error)", finishedAt: nowText())
            throw error
        }
    }

    /// Simulates a chunk of postings on `jobs` threads; results in the chunk's order.
    func simulate(_ chunk: [PostingPlan], with simulator: PostingSimulator) -> [SimulatedPosting] {
        guard jobs > 1, chunk.count > 1 else { return chunk.map(simulator.simulate) }
        let results = ResultSlots<SimulatedPosting>(count: chunk.count)
        let stripes = min(jobs, chunk.count)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var index = stripe
            while index < chunk.count {
                results.set(index, simulator.simulate(chunk[index]))
                index += stripes
            }
        }
        return results.values
    }
}

/// Fixed slots written by concurrent workers, each slot by exactly one worker.
final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Value] { storage.map { $0! } }
}

/// Run-wide channel ids: every label once, in order of first use across arms.
struct ChannelLayout {
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
