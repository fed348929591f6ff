public import DecoyModel

/// What is stored about a run when it starts.
public struct RunHeader: Sendable {
    public var name: String
    public var source: RunSource
    public var configPath: String?
    public var configText: String
    public var resolvedConfig: String
    public var configSHA256: String
    public var seed: UInt64
    public var replicates: Int
    /// Experiment start, microseconds since the Unix epoch.
    public var startMicros: Int64
    public var horizonMicros: Int64
    public var gridMicros: Int64
    public var overrides: [String]
    public var provenance: Provenance
    public var arms: [ArmRecord]
    /// Every channel label used by the run, in the order their ids are assigned.
    public var channels: [String]
    /// The sweep the run belongs to and its grid point, if any.
    public var sweep: SweepTag?
    /// The slice of the canonical posting order the run holds, for a shard run.
    public var shard: ShardTag?
    /// For a run merged from shards, how many.
    public var mergedShards: Int?

    public init(
        name: String, source: RunSource, configPath: String?, configText: String, resolvedConfig: String,
        configSHA256: String, seed: UInt64, replicates: Int, startMicros: Int64, horizonMicros: Int64,
        gridMicros: Int64, overrides: [String], provenance: Provenance, arms: [ArmRecord], channels: [String],
        sweep: SweepTag? = nil, shard: ShardTag? = nil, mergedShards: Int? = nil
    ) {
        self.shard = shard
        self.mergedShards = mergedShards
        self.name = name
        self.source = source
        self.configPath = configPath
        self.configText = configText
        self.resolvedConfig = resolvedConfig
        self.configSHA256 = configSHA256
        self.seed = seed
        self.replicates = replicates
        self.startMicros = startMicros
        self.horizonMicros = horizonMicros
        self.gridMicros = gridMicros
        self.overrides = overrides
        self.provenance = provenance
        self.arms = arms
        self.channels = channels
        self.sweep = sweep
    }
}

/// A shard run's slice: the K-th (1-based) of N contiguous slices of the canonical posting order,
/// postings `first..<end` by canonical index. The whole it belongs to is keyed by the run's config
/// sha256, its seed and N.
public struct ShardTag: Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var first: Int
    public var end: Int

    public init(index: Int, count: Int, first: Int, end: Int) {
        self.index = index
        self.count = count
        self.first = first
        self.end = end
    }

    /// `K/N`.
    public var text: String { "\(index)/\(count)" }
}

/// A run's place in a sweep: the sweep's id and the run's grid point (`key=value` pairs).
public struct SweepTag: Sendable, Equatable {
    public var sweep: String
    public var point: String

    public init(sweep: String, point: String) {
        self.sweep = sweep
        self.point = point
    }
}

/// What ``Database/beginSweepPoint(_:startedAt:decide:)`` did.
public enum SweepPointClaim: Sendable {
    /// A new run was stored with this id.
    case started(Int64)
    /// An earlier run of the point was kept and nothing was written.
    case existing(RunRecord)
}


/// Where and with what a run was made.
public struct Provenance: Sendable, Equatable {
    public var toolVersion: String
    public var swiftVersion: String
    public var os: String
    public var host: String
    public var pid: Int
    /// The writing process's boot id and start time (`/proc`), to tell it from a later process
    /// with the same pid; empty where unknown.
    public var processStart: String

    public init(toolVersion: String, swiftVersion: String, os: String, host: String, pid: Int, processStart: String = "") {
        self.processStart = processStart
        self.toolVersion = toolVersion
        self.swiftVersion = swiftVersion
        self.os = os
        self.host = host
        self.pid = pid
    }
}

/// One arm of a stored run.
public struct ArmRecord: Sendable, Equatable {
    /// Position of the arm in the config, 0-based.
    public var id: Int
    public var name: String
    /// Postings per replicate.
    public var postings: Int
    public var population: String
    public var populationSize: Int?
    /// Attributes sorted by name.
    public var attributes: [(String, String)]

    public init(id: Int, name: String, postings: Int, population: String, populationSize: Int?, attributes: [(String, String)]) {
        self.id = id
        self.name = name
        self.postings = postings
        self.population = population
        self.populationSize = populationSize
        self.attributes = attributes
    }

    public static func == (lhs: ArmRecord, rhs: ArmRecord) -> Bool {
        lhs.id == rhs.id && lhs.name == rhs.name && lhs.postings == rhs.postings && lhs.population == rhs.population
            && lhs.populationSize == rhs.populationSize && lhs.attributes.elementsEqual(rhs.attributes, by: ==)
    }
}

/// A stored run as listed by `runs` and shown by `show`.
public struct RunRecord: Sendable {
    public var id: Int64
    public var name: String
    public var source: RunSource
    public var status: RunStatus
    public var configPath: String?
    public var configText: String
    public var resolvedConfig: String
    public var configSHA256: String
    public var seed: UInt64
    public var replicates: Int
    public var startMicros: Int64
    public var horizonMicros: Int64
    public var gridMicros: Int64
    public var overrides: String
    public var provenance: Provenance
    public var startedAt: String
    public var finishedAt: String?
    public var wallSeconds: Double?
    public var postings: Int
    public var contacts: Int
    public var digest: String?
    public var message: String?
    public var sweep: SweepTag?
    public var shard: ShardTag?
    public var mergedShards: Int?
    /// How an observed run's contact identifiers became contactors; `nil` while none was
    /// pseudonymised or dropped, and for a run stored before decoy recorded it (schema 9).
    public var contactIdentifiers: ContactIdentifiers?
}

/// How an observed run's contact identifiers became contactors. A run treats them one way
/// throughout: contacts matched under one way are not found under another, and would be stored
/// twice.
public enum ContactIdentifiers: Sendable, Equatable {
    /// Pseudonymised under the key of this fingerprint (``Pseudonymizer/keyFingerprint``).
    case pseudonymised(keyFingerprint: String)
    /// Dropped: the contacts were stored without their contactor.
    case dropped

    /// The stored text: `key:` and the fingerprint, or `dropped`.
    var stored: String {
        switch self {
        case let .pseudonymised(fingerprint): "key:" + fingerprint
        case .dropped: "dropped"
        }
    }

    /// The value of a stored text; `nil` for a text decoy does not write.
    init?(stored: String) {
        if stored == "dropped" {
            self = .dropped
        } else if stored.hasPrefix("key:"), stored.count == 68, stored.dropFirst(4).allSatisfy(\.isHexDigit) {
            self = .pseudonymised(keyFingerprint: String(stored.dropFirst(4)))
        } else {
            return nil
        }
    }
}

/// One posting of a stored run.
public struct PostingRecord: Sendable, Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.replicate == rhs.replicate && lhs.arm == rhs.arm && lhs.index == rhs.index
            && lhs.postedAtMicros == rhs.postedAtMicros && lhs.windowMicros == rhs.windowMicros && lhs.removed == rhs.removed
            && lhs.label == rhs.label && lhs.attributes.elementsEqual(rhs.attributes, by: ==)
    }

    /// The posting's id within its run; postings are numbered in canonical order.
    public var id: Int64
    /// Replicate, 1-based.
    public var replicate: Int
    public var arm: Int
    /// Index within the arm, 0-based.
    public var index: Int
    /// When it went live, microseconds since the Unix epoch.
    public var postedAtMicros: Int64
    /// Length of its observation window in microseconds.
    public var windowMicros: Int64
    public var removed: Bool
    /// The team's name for an observed posting.
    public var label: String?
    /// An observed posting's own attributes (name, value as written), by name.
    public var attributes: [(String, String)]

    public init(
        id: Int64, replicate: Int, arm: Int, index: Int, postedAtMicros: Int64, windowMicros: Int64, removed: Bool, label: String? = nil,
        attributes: [(String, String)] = []
    ) {
        self.label = label
        self.attributes = attributes
        self.id = id
        self.replicate = replicate
        self.arm = arm
        self.index = index
        self.postedAtMicros = postedAtMicros
        self.windowMicros = windowMicros
        self.removed = removed
    }
}

/// One contact of a stored run.
public struct ContactRecord: Sendable, Equatable {
    public var posting: Int64
    /// Order of the contact within its posting, 0-based.
    public var seq: Int
    /// Microseconds since the posting went live.
    public var micros: Int64
    public var channel: Int
    /// The contactor's number (index within the population for simulated runs), if known.
    public var contactor: Int64?

    public init(posting: Int64, seq: Int, micros: Int64, channel: Int, contactor: Int64?) {
        self.posting = posting
        self.seq = seq
        self.micros = micros
        self.channel = channel
        self.contactor = contactor
    }
}
