public import DecoyModel
import DecoySimulation
public import DecoyStore
import Foundation

/// The shards of one whole found in some files, and what is missing.
public struct ShardSet: Sendable {
    /// One shard run and the file holding it.
    public struct Member: Sendable {
        public var file: String
        /// The file's place in the list given, from 1: errors name it so, never by its name.
        public var position: Int
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
    init(whole run: RunRecord, file: String, position: Int) {
        configSHA256 = run.configSHA256
        seed = run.seed
        count = 1
        members = [1: Member(file: file, position: position, run: run)]
    }

    /// Reads the shard runs of `files`; refuses a file without one, shards of different wholes,
    /// and two finished runs of one K.
    public init(files: [String]) throws {
        var key: (sha: String, seed: UInt64, count: Int, position: Int)?
        var members: [Int: Member] = [:]
        for (offset, file) in files.enumerated() {
            let position = offset + 1
            let database = try ShardFile.open(file, position: position)
            let shards = try ShardFile.read(position: position) { try database.runs().filter { $0.shard != nil } }
            guard !shards.isEmpty else { throw MergeError.noShard(position: position) }
            for run in shards {
                let tag = run.shard!
                if let key {
                    var differs: [String] = []
                    if key.sha != run.configSHA256 { differs.append("config sha256") }
                    if key.seed != run.seed { differs.append("seed") }
                    if key.count != tag.count { differs.append("number of shards (\(tag.count), not \(key.count))") }
                    guard differs.isEmpty else {
                        throw MergeError.foreign(position: position, run: run.id, differs: differs, expected: key.position)
                    }
                } else {
                    key = (run.configSHA256, run.seed, tag.count, position)
                }
                let member = Member(file: file, position: position, run: run)
                if let other = members[tag.index] {
                    if other.status == .complete && member.status == .complete {
                        throw MergeError.duplicate(shard: tag.index, positions: [other.position, position])
                    }
                    // Keep the finished attempt, else the latest.
                    if other.status == .complete { continue }
                }
                members[tag.index] = member
            }
        }
        guard let key else { throw MergeError.noShard(position: 1) }
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

    /// Checks the set (``verify(_:cancellation:)``), then copies it into `database` (``copy(_:into:cancellation:progress:)``).
    public static func merge(_ set: ShardSet, into database: Database, cancellation: Cancellation = .never,
                             progress: ((Int, Int) -> Void)? = nil) throws -> MergeOutcome {
        try verify(set, cancellation: cancellation)
        return try copy(set, into: database, cancellation: cancellation, progress: progress)
    }

    /// Checks a complete set before anything is written (before the database is even opened):
    /// the slices tile the canonical order as the config cuts it, the shards were simulated by one
    /// version, and each shard's rows are what its run recorded (``ShardCheck``).
    public static func verify(_ set: ShardSet, cancellation: Cancellation = .never) throws {
        guard set.complete else { throw MergeError.incomplete(set) }
        let members = (1...set.count).map { set.members[$0]! }
        // The slices must tile the canonical order: 0 ..< postings, each where the last ended.
        var expectedFirst = 0
        for member in members {
            guard member.shard.first == expectedFirst, member.run.postings == member.shard.end - member.shard.first else {
                throw MergeError.notContiguous(shard: member.shard.index, position: member.position, first: member.shard.first, expected: expectedFirst)
            }
            expectedFirst = member.shard.end
        }
        let version = members[0].run.provenance.toolVersion
        for member in members where member.run.provenance.toolVersion != version {
            throw MergeError.damaged(position: member.position, shard: member.run.shard?.text, run: member.run.id,
                                     what: "its tool_version differs from that of the shard in file \(members[0].position) (shards simulated by different versions may not join into the unsharded run)")
        }
        for member in members {
            if let signal = cancellation.signal { throw MergeInterrupted(signal: signal) }
            try ShardCheck.verify(member)
        }
    }

    /// Copies a set that ``verify(_:)`` passed into `database`.
    public static func copy(_ set: ShardSet, into database: Database, cancellation: Cancellation = .never,
                            progress: ((Int, Int) -> Void)?) throws -> MergeOutcome {
        let members = (1...set.count).map { set.members[$0]! }
        let total = members[members.count - 1].shard.end
        let first = members[0]
        let source = try ShardFile.open(first.file, position: first.position)
        let channels = try ShardFile.read(position: first.position) { try source.channels(run: first.run.id) }
        let record = first.run
        let header = RunHeader(
            name: record.name, source: .simulated, configPath: record.configPath, configText: record.configText, resolvedConfig: record.resolvedConfig,
            configSHA256: record.configSHA256, seed: record.seed, replicates: record.replicates, startMicros: record.startMicros,
            horizonMicros: record.horizonMicros, gridMicros: record.gridMicros, overrides: Self.overrides(record.overrides),
            provenance: .current, arms: try ShardFile.read(position: first.position) { try source.arms(run: record.id) }, channels: channels, sweep: record.sweep, mergedShards: set.count)
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
                let shardDB = try ShardFile.open(member.file, position: member.position)
                let postings = try ShardFile.read(position: member.position) { try shardDB.postings(run: member.run.id).filter { Int($0.id) >= next } }
                let perPosting = Double(member.run.contacts) / Double(max(1, member.run.postings))
                let size = max(1, min(chunkPostings, Int(Double(chunkContacts) / max(1, perPosting))))
                var start = 0
                while start < postings.count {
                    Failpoint.reach("merge-chunk")
                    if let signal = cancellation.signal { throw RunInterrupted(runID: runID, signal: signal) }
                    let chunk = Array(postings[start..<min(postings.count, start + size)])
                    var rows: [ContactRecord] = []
                    try ShardFile.read(position: member.position) {
                        try shardDB.forEachContact(run: member.run.id, postings: chunk[0].id...chunk[chunk.count - 1].id) { rows.append($0) }
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
                        throw MergeError.damagedShard(position: member.position, run: member.run.id, reason: reason, merged: runID)
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
    /// unless the files hold every point of one sweep's recorded grid, each finished and intact.
    public static func mergeSweep(files: [String], into database: Database, cancellation: Cancellation = .never) throws -> [MergeOutcome] {
        let set = try SweepShardSet(files: files)
        let points = try verify(set, cancellation: cancellation)
        try database.recordSweep(set.sweep, grid: set.grid)
        return try points.map { try copy($0, into: database, cancellation: cancellation, progress: nil) }
    }

    /// Checks a sweep's points before anything is written: every point of its grid there and
    /// finished, each run intact (``ShardCheck``); returns them in grid order, as sets of one
    /// whole run for ``copy(_:into:progress:)``.
    public static func verify(_ set: SweepShardSet, cancellation: Cancellation = .never) throws -> [ShardSet] {
        guard set.complete else { throw MergeError.incompleteSweep(set) }
        let points = set.points.map { ShardSet(whole: $0.member!.run, file: $0.member!.file, position: $0.member!.position) }
        for point in points {
            if let signal = cancellation.signal { throw MergeInterrupted(signal: signal) }
            try verify(point, cancellation: cancellation)
        }
        return points
    }
}

/// Why shards cannot be merged as asked. Files are named by their place in the list given, never
/// by their names (which may be identifiers).
public enum MergeError: SettingFailure {
    case unreadable(position: Int, reason: String)
    case noShard(position: Int)
    case noSweepPoint(position: Int)
    case foreign(position: Int, run: Int64, differs: [String], expected: Int)
    case duplicate(shard: Int, positions: [Int])
    case incomplete(ShardSet)
    case notContiguous(shard: Int, position: Int, first: Int, expected: Int)
    case duplicatePoint(run: Int64, positions: [Int])
    case incompleteSweep(SweepShardSet)
    /// The files hold points of more than one sweep: the positions of each sweep's files.
    case severalSweeps([[Int]])
    case sweepGridUnknown
    case sweepGridDiffers(positions: [Int])
    case pointOutsideGrid(position: Int, run: Int64)
    /// A shard's rows or record are not what its run recorded when it finished; nothing is written.
    case damaged(position: Int, shard: String?, run: Int64, what: String)
    /// A shard's stored contacts cannot be copied as they are; the merged run stops, interrupted.
    case damagedShard(position: Int, run: Int64, reason: String, merged: Int64)

    public var exitStatus: ExitStatus { .failure }

    /// `file 2` or `files 1 and 3`.
    static func files(_ positions: [Int]) -> String {
        (positions.count == 1 ? "file " : "files ") + positions.map(String.init).joined(separator: " and ")
    }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .unreadable(position, reason):
            "file \(position) cannot be read: \(reason); nothing was merged"
        case let .noShard(position):
            "file \(position) holds no shard run (made by a run with \(name(.shard))); nothing was merged"
        case let .noSweepPoint(position):
            "file \(position) holds no sweep point's run (made by a sweep with \(name(.shard))); nothing was merged"
        case let .foreign(position, run, differs, expected):
            "file \(position): run \(run) belongs to another whole (its \(differs.joined(separator: ", ")) \(differs.count == 1 ? "differs" : "differ") from the shards of file \(expected)); nothing was merged"
        case let .duplicate(shard, positions):
            "shard \(shard) is finished in more than one file (\(Self.files(positions))); give each shard once; nothing was merged"
        case let .incomplete(set):
            "the shards are incomplete: \(set.summary); nothing was merged"
        case let .notContiguous(shard, position, first, expected):
            "shard \(shard) in file \(position) starts at posting \(first), not \(expected) where the shard before it ended (computed by another build?); nothing was merged"
        case let .incompleteSweep(set):
            "the sweep's points are incomplete: \(set.summary); nothing was merged"
        case let .severalSweeps(groups):
            "the files hold points of \(groups.count) sweeps (\(groups.enumerated().map { "sweep \($0.offset + 1) in \(Self.files($0.element))" }.joined(separator: "; "))); give the shard files of one sweep; nothing was merged"
        case .sweepGridUnknown:
            "the files do not record their sweep's grid (they were made by a version before schema 8), so missing points cannot be told; run the sweep's shards again with this version; nothing was merged"
        case let .sweepGridDiffers(positions):
            "\(Self.files(positions)) record different grids for one sweep (was a file edited?); nothing was merged"
        case let .pointOutsideGrid(position, run):
            "file \(position): run \(run) is a point outside its sweep's recorded grid (was the file edited?); nothing was merged"
        case let .duplicatePoint(run, positions):
            "the sweep point of run \(run) is finished in more than one file (\(Self.files(positions))); nothing was merged"
        case let .damaged(position, shard, run, what):
            "file \(position) (\(shard.map { "shard \($0), " } ?? "")run \(run)) is not as it was when it finished: \(what); was the file edited? `decoy rerun \(run)` on it shows where; nothing was merged"
        case let .damagedShard(position, run, reason, merged):
            "file \(position): run \(run) cannot be copied: \(reason) (was the file edited? `decoy rerun \(run)` on it checks it); the merged run \(merged) stops here, interrupted, and `decoy delete \(merged)` removes it"
        }
    }
}

/// A merge stopped by a signal while it checked the shards, before anything was written.
public struct MergeInterrupted: DecoyFailure {
    public var signal: Int32
    public var exitStatus: ExitStatus { .interrupted }
    public var description: String { "merge interrupted by signal \(signal) while checking the shards; nothing was written" }
}

extension ShardSet {
    /// Missing and unfinished shards, and the array tasks that run them again.
    public var summary: String {
        guard !resubmit.isEmpty else { return "all \(count) shards finished" }
        return problems + "; run \(resubmit.count == 1 ? "that shard" : "those shards") again (array tasks \(resubmit.map(String.init).joined(separator: ",")))"
    }

    /// Missing and unfinished shards (empty when all finished).
    public var problems: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing \(missing.map(String.init).joined(separator: ", "))") }
        let stopped = unfinished.map { k in "\(k) (\(members[k]!.status.rawValue) in file \(members[k]!.position))" }
        if !stopped.isEmpty { parts.append("not finished \(stopped.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }
}
