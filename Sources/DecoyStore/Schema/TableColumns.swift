/// The columns of a table a query reads or writes, in the order it names them: the raw value is
/// the column's position in the query (cases number themselves 0, 1, 2, …) and ``name`` its SQL
/// name, so that no reader counts columns by hand.
protocol TableColumns: CaseIterable, RawRepresentable<Int32>, Hashable {
    /// The table's SQL name.
    static var table: String { get }
    /// The column's SQL name.
    var name: String { get }
}

extension TableColumns {
    /// The columns as a query's list, `a, b, c`, in position order.
    static var list: String { allCases.map(\.name).joined(separator: ", ") }

    /// The column's position (0-based) in ``list``.
    var position: Int32 { rawValue }
}

/// Every column of `runs`, as ``Database/runRecord(_:)`` reads them.
enum RunColumn: Int32, TableColumns {
    static let table = "runs"
    case id, name, source, status, configPath, configText, resolvedConfig, configSHA256, seed, replicates
    case startMicros, horizonMicros, gridMicros, overrides, toolVersion, swiftVersion, os, host, pid, startedAt
    case finishedAt, wallSeconds, postings, contacts, digest, message, sweep, sweepPoint, processStart
    case shardIndex, shardCount, shardFirst, shardEnd, mergedShards, contactIdentifiers

    var name: String {
        switch self {
        case .id: "run_id"
        case .name: "name"
        case .source: "source"
        case .status: "status"
        case .configPath: "config_path"
        case .configText: "config_text"
        case .resolvedConfig: "resolved_config"
        case .configSHA256: "config_sha256"
        case .seed: "seed"
        case .replicates: "replicates"
        case .startMicros: "start_us"
        case .horizonMicros: "horizon_us"
        case .gridMicros: "grid_us"
        case .overrides: "overrides"
        case .toolVersion: "tool_version"
        case .swiftVersion: "swift_version"
        case .os: "os"
        case .host: "host"
        case .pid: "pid"
        case .startedAt: "started_at"
        case .finishedAt: "finished_at"
        case .wallSeconds: "wall_seconds"
        case .postings: "postings"
        case .contacts: "contacts"
        case .digest: "digest"
        case .message: "message"
        case .sweep: "sweep"
        case .sweepPoint: "sweep_point"
        case .processStart: "process_start"
        case .shardIndex: "shard_index"
        case .shardCount: "shard_count"
        case .shardFirst: "shard_first"
        case .shardEnd: "shard_end"
        case .mergedShards: "merged_shards"
        case .contactIdentifiers: "contact_identifiers"
        }
    }
}

/// The columns of `arms` a run's arms are read from.
enum ArmColumn: Int32, TableColumns {
    static let table = "arms"
    case id, name, postings, population, populationSize, attributes

    var name: String {
        switch self {
        case .id: "arm_id"
        case .name: "name"
        case .postings: "postings"
        case .population: "population"
        case .populationSize: "population_size"
        case .attributes: "attributes"
        }
    }
}

/// The columns of `postings` a run's postings are read from.
enum PostingColumn: Int32, TableColumns {
    static let table = "postings"
    case id, replicate, arm, index, postedAtMicros, windowMicros, removed, label, attributes, firstContact, contactCount

    var name: String {
        switch self {
        case .id: "posting_id"
        case .replicate: "replicate"
        case .arm: "arm_id"
        case .index: "idx"
        case .postedAtMicros: "posted_at_us"
        case .windowMicros: "window_us"
        case .removed: "removed"
        case .label: "label"
        case .attributes: "attributes"
        case .firstContact: "first_contact"
        case .contactCount: "contact_count"
        }
    }
}

/// The columns of `contacts` a run's contacts are read from.
enum ContactColumn: Int32, TableColumns {
    static let table = "contacts"
    case id, micros, channel, contactor

    var name: String {
        switch self {
        case .id: "contact_id"
        case .micros: "t_us"
        case .channel: "channel_id"
        case .contactor: "contactor"
        }
    }
}

/// The columns of `channels` a run's channel labels are read from.
enum ChannelColumn: Int32, TableColumns {
    static let table = "channels"
    case id, name

    var name: String {
        switch self {
        case .id: "channel_id"
        case .name: "name"
        }
    }
}

/// The columns of `contactors` an observed run's pseudonyms are read from.
enum ContactorColumn: Int32, TableColumns {
    static let table = "contactors"
    case id, pseudonym

    var name: String {
        switch self {
        case .id: "contactor_id"
        case .pseudonym: "pseudonym"
        }
    }
}
