import DecoyAnalysis
public import DecoyModel
import DecoyStatistics
public import DecoyStudies
import Foundation

/// One shard of a power analysis (`decoy power … --shard K/N --out part-K.json`): its slice of the
/// simulations' tallies with everything needed to join it to the others, the resolved config
/// included. `decoy merge part-*.json --into power.json` adds the tallies and writes the table the
/// unsharded command prints with `--format json`, byte for byte.
///
/// The part's bytes depend only on the analysis, not on `--jobs`. It carries `digest`, the
/// SHA-256 of its own JSON (sorted keys, compact) without that field, and a merge reads each part
/// field by field (``PowerPartReader``) and checks the digest before it adds anything.
///
/// The merged table needs each point's counts and the median of the test's effect estimate over
/// all simulations. Counts add; the median of the union needs every estimate, so a part keeps them,
/// sorted, as ``PowerPart/EffectCoding``: about 6 characters of JSON an estimate instead of 20, at
/// most `sims` per point, so a part holds at most about 6 × sims × points bytes of them.
public struct PowerPart: Codable, Sendable, Equatable {
    public static let format = "decoy-power-part/3"

    struct Settings: Codable, Sendable, Equatable {
        var arms: [String]
        var test: String
        var alpha: Double
        var target: Double
        var ratio: Double
        var sims: Int
        var nullArm: String
        var intervals: String
        var draws: Int

        enum CodingKeys: String, CodingKey {
            case arms, test, alpha, target, ratio, sims, intervals, draws
            case nullArm = "null_arm"
        }
    }

    /// One point's counts over the part's simulations, and its finite effect estimates, sorted.
    struct Counts: Codable, Sendable, Equatable {
        var sims: Int
        var rejections: Int
        var failed: Int
        var nullRejections: Int
        var nullFailed: Int
        var effectCount: Int
        /// ``EffectCoding`` of the estimates.
        var effects: String

        enum CodingKeys: String, CodingKey {
            case sims, rejections, failed, effects
            case nullRejections = "null_rejections", nullFailed = "null_failed", effectCount = "effect_count"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, seed, settings, postings, shard, shards, tallies, digest
        case configSHA256 = "config_sha256", resolvedConfig = "resolved_config", toolVersion = "tool_version"
    }

    var format: String
    var configSHA256: String
    var resolvedConfig: String
    var seed: UInt64
    var settings: Settings
    var postings: [Int]
    var shard: Int
    var shards: Int
    var tallies: [Counts]
    var toolVersion: String
    /// Lower-case hex SHA-256 of ``canonicalJSON``; `nil` only while it is computed.
    var digest: String?

    /// The part of a sharded analysis.
    public init(_ analysis: PowerAnalysis, loaded: LoadedConfig) {
        let s = analysis.settings
        format = Self.format
        configSHA256 = analysis.configSHA256
        resolvedConfig = loaded.resolvedText
        seed = analysis.seed
        settings = Settings(arms: [s.arms.0, s.arms.1], test: s.test.rawValue, alpha: s.alpha, target: s.target, ratio: s.ratio, sims: s.sims,
                            nullArm: s.nullArm, intervals: s.method.rawValue, draws: s.draws)
        postings = analysis.points.map(\.postings)
        shard = s.shard?.index ?? 1
        shards = s.shard?.count ?? 1
        tallies = analysis.tallies.map { t in
            Counts(sims: t.sims, rejections: t.rejections, failed: t.failed, nullRejections: t.nullRejections, nullFailed: t.nullFailed,
                   effectCount: t.effects.count, effects: EffectCoding.encode(t.effects))
        }
        toolVersion = analysis.toolVersion
        digest = nil
        digest = computedDigest
    }

    /// The part's JSON without its digest: sorted keys, no spaces.
    var canonicalJSON: Data {
        var plain = self
        plain.digest = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(plain)) ?? Data()
    }

    var computedDigest: String { Digest.hex(of: String(decoding: canonicalJSON, as: UTF8.self)) }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// The simulations part `shard` of `shards` runs: the contiguous slice ``PowerAnalysis`` gives it.
    static func slice(sims: Int, shard: Int, of shards: Int) -> Int {
        sims * shard / shards - sims * (shard - 1) / shards
    }

    /// Joins parts 1…N of one analysis: same config, seed, settings, postings and N, each K once.
    /// Every part is read and checked (``PowerPartReader``) before anything is added.
    public static func merge(_ files: [String]) throws -> PowerAnalysis {
        guard !files.isEmpty else { throw PowerMergeError.noPart }
        var parts: [(position: Int, part: PowerPart)] = []
        for (offset, file) in files.enumerated() { parts.append((offset + 1, try PowerPartReader.read(file, position: offset + 1))) }
        let first = parts[0]
        for (position, part) in parts.dropFirst() {
            var differs: [String] = []
            if part.configSHA256 != first.part.configSHA256 { differs.append("config_sha256") }
            if part.seed != first.part.seed { differs.append("seed") }
            if part.settings != first.part.settings { differs.append("settings") }
            if part.postings != first.part.postings { differs.append("postings") }
            if part.shards != first.part.shards { differs.append("shards") }
            if part.toolVersion != first.part.toolVersion { differs.append("tool_version") }
            guard differs.isEmpty else { throw PowerMergeError.foreign(position: position, differs: differs, expected: first.position) }
        }
        var seen: [Int: Int] = [:]
        for (position, part) in parts {
            if let other = seen[part.shard] { throw PowerMergeError.duplicate(shard: part.shard, positions: [other, position]) }
            seen[part.shard] = position
        }
        let missing = (1...first.part.shards).filter { seen[$0] == nil }
        guard missing.isEmpty else { throw PowerMergeError.missing(missing, of: first.part.shards) }
        var tallies = first.part.postings.map { _ in Tally() }
        for (position, part) in parts.sorted(by: { $0.part.shard < $1.part.shard }) {
            for i in tallies.indices {
                let c = part.tallies[i]
                var added = Tally()
                added.sims = c.sims
                added.rejections = c.rejections
                added.failed = c.failed
                added.nullRejections = c.nullRejections
                added.nullFailed = c.nullFailed
                guard let effects = EffectCoding.decode(c.effects, count: c.effectCount) else {
                    throw PowerMergeError.invalid(position: position, path: "tallies[\(i)].effects", expected: "\(c.effectCount) encoded estimates")
                }
                added.effects = effects
                tallies[i].merge(added)
            }
        }
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(text: first.part.resolvedConfig, file: "resolved_config")
        } catch {
            throw PowerMergeError.invalid(position: first.position, path: "resolved_config", expected: "a config that loads")
        }
        guard loaded.sha256 == first.part.configSHA256 else {
            throw PowerMergeError.invalid(position: first.position, path: "resolved_config", expected: "a config that hashes to config_sha256")
        }
        let s = first.part.settings
        // The reader checked the names.
        let settings = PowerAnalysis.Settings(arms: (s.arms[0], s.arms[1]), test: ArmTest(rawValue: s.test)!, alpha: s.alpha, target: s.target,
                                              ratio: s.ratio, sims: s.sims, nullArm: s.nullArm, method: IntervalMethod(rawValue: s.intervals)!,
                                              draws: s.draws)
        return try PowerAnalysis(loaded, settings: settings, counts: first.part.postings, tallies: tallies)
    }
}

/// Why power parts cannot be merged. Parts are named by their place in the list given (never by
/// their file names) and fields by their JSON path.
public enum PowerMergeError: SettingFailure {
    case noPart
    case unreadable(position: Int, reason: SettingText)
    case invalid(position: Int, path: String, expected: String)
    case foreign(position: Int, differs: [String], expected: Int)
    case duplicate(shard: Int, positions: [Int])
    case missing([Int], of: Int)

    public var exitStatus: ExitStatus { .failure }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case .noPart:
            "no part given; nothing was merged"
        case let .unreadable(position, reason):
            "part file \(position): \(reason.written(naming: name)); nothing was merged"
        case let .invalid(position, path, expected):
            "part file \(position): \(path): expected \(expected), found otherwise (was the part edited?); nothing was merged"
        case let .foreign(position, differs, expected):
            "part file \(position) is a part of another power analysis (its \(differs.joined(separator: ", ")) \(differs.count == 1 ? "differs" : "differ") from part file \(expected)'s); nothing was merged"
        case let .duplicate(shard, positions):
            "part \(shard) is given twice (part files \(positions.map(String.init).joined(separator: " and "))); nothing was merged"
        case let .missing(missing, n):
            "parts \(missing.map(String.init).joined(separator: ", ")) of \(n) are missing; run their shards again; nothing was merged"
        }
    }
}
