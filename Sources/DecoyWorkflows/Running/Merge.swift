public import DecoyModel
import DecoySimulation
public import DecoyStore
import Foundation

/// The shards of one whole found in some files, and what is missing.
public struct ShardSet: Sendable {
    /// One shard run and the file holding it.
    public struct Member: Sendable {
        public var file: String
        public var run: RunRecord
        /// Its slice: the shard's, or all of a whole run's postings.
        public var shard: ShardTag { run.shard ?? ShardTag(index: 1, count: 1, first: 0, end: run.postings) }
        /// The run's status as it stands (a run whose writer died reads as interrupted).
        public var status: RunStatus { RunLiveness.effectiveStatus(run) }
    }

    /// The whole: config sha256, seed and number of shards.
    public var configSHA256: String
    public var seed: UInt64
    public var count: Int
    /// The finished shard of each K that has one, else its latest attempt.
    public var members: [Int: Member]

    /// Ks with no run at all.
    public var missing: [Int] { (1...count).filter { members[$0] == nil } }
    /// Ks whose run is not finished.
    public var unfinished: [Int] { members.filter { $0.value.status != .complete }.map(\.key).sorted() }
    public var complete: Bool { missing.isEmpty && unfinished.isEmpty }
    /// The array indices to submit again (1-based, as `experiments/slurm/` submits them).
    public var resubmit: [Int] { (missing + unfinished).sorted() }

    /// One whole run, as a set of one shard (a sweep point's run copied by a sweep merge).
    init(whole run: RunRecord, file: String) {
        configSHA256 = run.configSHA256
        seed = run.seed
        count = 1
        members = [1: Member(file: file, run: run)]
    }

    /// Reads the shard runs of `files`; refuses a file without one, shards of different wholes,
    /// and two finished runs of one K.
    public init(files: [String]) throws {
        var key: (sha: String, seed: UInt64, count: Int, file: String)?
        var members: [Int: Member] = [:]
        for file in files {
            let database = try Database(path: file, create: false)
            let shards = try database.runs().filter { $0.shard != nil }
            guard !shards.isEmpty else { throw MergeError.noShard(file: file) }
            for run in shards {
                let tag = run.shard!
                if let key {
                    guard key.sha == run.configSHA256, key.seed == run.seed, key.count == tag.count else {
                        throw MergeError.foreign(file: file, run: run.id, found: "config sha256 \(run.configSHA256.prefix(12))…, seed \(run.seed), \(tag.count) shards",
                                                 expected: "config sha256 \(key.sha.prefix(12))…, seed \(key.seed), \(key.count) shards as in \(key.file)")
                    }
                } else {
                    key = (run.configSHA256, run.seed, tag.count, file)
                }
                let member = Member(file: file, run: run)
                if let other = members[tag.index] {
                    if other.status == .complete && member.status == .complete {
                        throw MergeError.duplicate(shard: tag.index, files: [other.file, file])
                    }
                    // Keep the finished attempt, else the latest.
                    if other.status == .complete { continue }
                }
                members[tag.index] = member
            }
        }
        guard let key else { throw MergeError.noShard(file: files.first ?? "") }
        configSHA256 = key.sha
        seed = key.seed
        count = key.count
        self.members = members
    }
}

/// What `decoy merge` did.
public struct MergeOutcome: Sendable {
    public var runID: Int64
    public var postings: Int
    public var contacts: Int
    public var digest: String
    public var shards: Int
    /// The shards had been merged before: nothing was stored.
    public var alreadyMerged: Bool
}

/// `decoy merge`: joins the N shards of one run into one run, in canonical order.
///
/// The merged run's postings and contacts are copied shard by shard in chunked transactions and
/// digested as they are copied, so its digest is the canonical digest of the whole: the unsharded
/// run's. A kill leaves the merged run `interrupted`; a second `merge` of the same shards finds it,
/// digests what it holds and copies the rest; a merge of shards already merged stores nothing.
public enum Merge {
    /// Postings copied per transaction, at most.
    public static let chunkPostings = 4096
    /// Contacts a transaction is sized to hold on average (from the shard's contacts per posting),
    /// so memory stays bounded however busy the postings.
    public static let chunkContacts = 200_000

    public static func merge(_ set: ShardSet, into database: Database, progress: ((Int, Int) -> Void)? = nil) throws -> MergeOutcome {
        guard set.complete else { throw MergeError.incomplete(set) }
        let members = (1...set.count).map { set.members[$0]! }
        // The slices must tile the canonical order: 0 ..< postings, each where the last ended.
        var expectedFirst = 0
        for member in members {
            guard member.shard.first == expectedFirst, member.run.postings == member.shard.end - member.shard.first else {
                throw MergeError.notContiguous(shard: member.shard.index, file: member.file, first: member.shard.first, expected: expectedFirst)
            }
            expectedFirst = member.shard.end
        }
        let total = expectedFirst
        let first = members[0]
        let source = try Database(path: first.file, create: false)
        let channels = try source.channels(run: first.run.id)
        for member in members.dropFirst() {
            guard try Database(path: member.file, create: false).channels(run: member.run.id) == channels else {
                throw MergeError.foreign(file: member.file, run: member.run.id, found: "other channels", expected: "the channels of \(first.file)")
            }
        }
        let record = first.run
        let header = RunHeader(
            name: record.name, source: .simulated, configPath: record.configPath, configText: record.configText, resolvedConfig: record.resolvedConfig,
            configSHA256: record.configSHA256, seed: record.seed, replicates: record.replicates, startMicros: record.startMicros,
            horizonMicros: record.horizonMicros, gridMicros: record.gridMicros, overrides: Self.overrides(record.overrides),
            provenance: .current, arms: try source.arms(run: record.id), channels: channels, sweep: record.sweep, mergedShards: set.count)
        let claim = try database.beginMerge(header, startedAt: nowText(), provenance: .current) { earlier in
            for run in earlier where run.status == .running {
                try RunLiveness.checkTakeover(run, force: false)
            }
        }
        let runID: Int64
        var digest = EventDigest()
        var contacts = 0
        var next = 0
        switch claim {
        case let .finished(run):
            return MergeOutcome(runID: run.id, postings: run.postings, contacts: run.contacts, digest: run.digest ?? "", shards: set.count, alreadyMerged: true)
        case let .started(id):
            runID = id
        case let .resumed(run):
            runID = run.id
            let stored = try database.postings(run: run.id)
            guard stored.enumerated().allSatisfy({ $0.offset == Int($0.element.id) }) else { throw RunStateError.notAPrefix(run: run.id) }
            (digest, contacts) = try StoredDigest.accumulate(run: run, database: database)
            next = stored.count
        }
        let clock = ContinuousClock.now
        do {
            let stream = try StoredStream(run: try database.run(String(runID)), database: database)
            for member in members where member.shard.end > next {
                let shardDB = try Database(path: member.file, create: false)
                let postings = try shardDB.postings(run: member.run.id).filter { Int($0.id) >= next }
                let perPosting = Double(member.run.contacts) / Double(max(1, member.run.postings))
                let size = max(1, min(chunkPostings, Int(Double(chunkContacts) / max(1, perPosting))))
                var start = 0
                while start < postings.count {
                    if let signal = Interruption.shared.signal { throw RunInterrupted(runID: runID, signal: signal) }
                    let chunk = Array(postings[start..<min(postings.count, start + size)])
                    var rows: [ContactRecord] = []
                    do {
                        try shardDB.forEachContact(run: member.run.id, postings: chunk[0].id...chunk[chunk.count - 1].id) { rows.append($0) }
                    } catch {
                        guard case let .damaged(_, _, table, row, problem) = error else { throw error }
                        throw MergeError.damagedShard(file: member.file, run: member.run.id, reason: "\(table) row \(row): \(problem)", merged: runID)
                    }
                    var byPosting = 0
                    for p in chunk {
                        stream.addPosting(p, to: &digest)
                        while byPosting < rows.count, rows[byPosting].posting == p.id {
                            stream.addContact(rows[byPosting], of: p, to: &digest)
                            byPosting += 1
                        }
                    }
                    do {
                        try database.append(run: runID, postings: chunk, contacts: rows)
                    } catch {
                        guard case let .invalidBatch(_, reason) = error else { throw error }
                        throw MergeError.damagedShard(file: member.file, run: member.run.id, reason: reason, merged: runID)
                    }
                    contacts += rows.count
                    start += chunk.count
                    progress?(Int(chunk[chunk.count - 1].id) + 1, contacts)
                }
                next = member.shard.end
            }
            let hex = digest.finalize()
            let elapsed = ContinuousClock.now - clock
            try database.finishRun(runID, postings: total, contacts: contacts, digest: hex, finishedAt: nowText(),
                                   wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            return MergeOutcome(runID: runID, postings: total, contacts: contacts, digest: hex, shards: set.count, alreadyMerged: false)
        } catch {
            try? database.abandonRun(runID, status: .interrupted, message: "\(error)", finishedAt: nowText())
            throw error
        }
    }

    static func overrides(_ json: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]) ?? []
    }
}

extension Merge {
    /// The sweep points' runs of shard files of a sweep (`decoy sweep … --shard K/N`), copied into
    /// `database` one by one as ``merge(_:into:progress:)`` copies a whole: each keeps its sweep
    /// tag and digest, and one already there is not stored again. Refused, with nothing written,
    /// when a point's run is unfinished or a point is finished in two files.
    public static func mergeSweep(files: [String], into database: Database) throws -> [MergeOutcome] {
        var points: [String: (file: String, run: RunRecord)] = [:]
        var order: [String] = []
        for file in files {
            let runs = try Database(path: file, create: false).runs().filter { $0.sweep != nil && $0.shard == nil }
            guard !runs.isEmpty else { throw MergeError.noShard(file: file) }
            for run in runs {
                let key = run.sweep!.sweep + "\u{0}" + run.sweep!.point
                guard RunLiveness.effectiveStatus(run) == .complete else {
                    throw MergeError.unfinishedPoint(point: run.sweep!.point, file: file, status: RunLiveness.effectiveStatus(run))
                }
                if let other = points[key] { throw MergeError.duplicatePoint(point: run.sweep!.point, files: [other.file, file]) }
                points[key] = (file, run)
                order.append(key)
            }
        }
        return try order.map { try merge(ShardSet(whole: points[$0]!.run, file: points[$0]!.file), into: database) }
    }
}

/// Why shards cannot be merged as asked.
public enum MergeError: DecoyFailure {
    case noShard(file: String)
    case foreign(file: String, run: Int64, found: String, expected: String)
    case duplicate(shard: Int, files: [String])
    case incomplete(ShardSet)
    case notContiguous(shard: Int, file: String, first: Int, expected: Int)
    case unfinishedPoint(point: String, file: String, status: RunStatus)
    case duplicatePoint(point: String, files: [String])
    /// A shard's stored contacts cannot be copied as they are; the merged run stops, interrupted.
    case damagedShard(file: String, run: Int64, reason: String, merged: Int64)

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        switch self {
        case let .noShard(file):
            "\(file) holds no shard run (made by `decoy run --shard K/N`); nothing was merged"
        case let .foreign(file, run, found, expected):
            "\(file): run \(run) belongs to another whole (\(found)); expected \(expected); nothing was merged"
        case let .duplicate(shard, files):
            "shard \(shard) is finished in more than one file (\(files.joined(separator: ", "))); give each shard once; nothing was merged"
        case let .incomplete(set):
            "the shards are incomplete: \(set.summary); nothing was merged"
        case let .notContiguous(shard, file, first, expected):
            "shard \(shard) in \(file) starts at posting \(first), not \(expected) where the shard before it ended (computed by another build?); nothing was merged"
        case let .unfinishedPoint(point, file, status):
            "the sweep point \(point) in \(file) is \(status.rawValue), not finished; give the same sweep --shard command again to finish it; nothing was merged"
        case let .duplicatePoint(point, files):
            "the sweep point \(point) is finished in more than one file (\(files.joined(separator: ", "))); nothing was merged"
        case let .damagedShard(file, run, reason, merged):
            "\(file): run \(run) cannot be copied: \(reason) (was the file edited? `decoy rerun \(run) --db \(file)` checks it); the merged run \(merged) stops here, interrupted, and `decoy delete \(merged)` removes it"
        }
    }
}

extension ShardSet {
    /// Missing and unfinished shards and the array indices to submit again.
    public var summary: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.map(String.init).joined(separator: ", "))") }
        let stopped = unfinished.map { k in "\(k) (\(members[k]!.status.rawValue) in \(members[k]!.file))" }
        if !stopped.isEmpty { parts.append("not finished \(stopped.joined(separator: ", "))") }
        if parts.isEmpty { return "all \(count) shards finished" }
        return parts.joined(separator: "; ") + "; resubmit them with `sbatch --array=\(resubmit.map(String.init).joined(separator: ",")) experiments/slurm/shard-array.sbatch`"
    }
}
