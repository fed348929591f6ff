import DecoyAnalysis
public import DecoyModel
import DecoyStatistics
public import DecoyStudies
import Foundation

/// One shard of a power analysis (`decoy power … --shard K/N --out part-K.json`): its slice of the
/// simulations' tallies with everything needed to join it to the others, the resolved config
/// included. `decoy merge part-*.json --into power.json` adds the tallies and writes the table the
/// unsharded command prints with `--format json`, byte for byte.
public struct PowerPart: Codable, Sendable, Equatable {
    public static let format = "decoy-power-part/2"

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

    enum CodingKeys: String, CodingKey {
        case format, seed, settings, postings, shard, shards, tallies
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
    var tallies: [Tally]
    var toolVersion: String

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
        tallies = analysis.tallies
        toolVersion = analysis.toolVersion
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// Reads a part; refuses a file that is not one, by name.
    public static func read(_ path: String) throws(PowerMergeError) -> PowerPart {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(file: path, reason: "no such file") }
        let decoder = JSONDecoder()
        guard let part = try? decoder.decode(PowerPart.self, from: data), part.format == format else {
            throw .unreadable(file: path, reason: "not a power part written by `decoy power --shard K/N --out FILE`")
        }
        return part
    }

    /// Joins parts 1…N of one analysis: same config, seed, settings, postings and N, each K once.
    public static func merge(_ files: [String]) throws -> PowerAnalysis {
        var parts: [(file: String, part: PowerPart)] = []
        for file in files { parts.append((file, try read(file))) }
        guard let first = parts.first else { throw PowerMergeError.unreadable(file: "", reason: "no part given") }
        for (file, part) in parts.dropFirst() {
            guard part.configSHA256 == first.part.configSHA256, part.seed == first.part.seed, part.settings == first.part.settings,
                  part.postings == first.part.postings, part.shards == first.part.shards else {
                throw PowerMergeError.foreign(file: file, expected: first.file)
            }
        }
        var seen: [Int: String] = [:]
        for (file, part) in parts {
            if let other = seen[part.shard] { throw PowerMergeError.duplicate(shard: part.shard, files: [other, file]) }
            seen[part.shard] = file
        }
        let missing = (1...first.part.shards).filter { seen[$0] == nil }
        guard missing.isEmpty else { throw PowerMergeError.missing(missing, of: first.part.shards) }
        var tallies = first.part.postings.map { _ in Tally() }
        // In shard order, so the effects are the unsharded analysis's in simulation order.
        for (_, part) in parts.sorted(by: { $0.part.shard < $1.part.shard }) {
            for i in tallies.indices { tallies[i].merge(part.tallies[i]) }
        }
        let loaded = try ConfigLoader.load(text: first.part.resolvedConfig, file: first.file)
        guard loaded.sha256 == first.part.configSHA256 else { throw PowerMergeError.unreadable(file: first.file, reason: "its config does not hash to its config_sha256") }
        let s = first.part.settings
        guard let test = ArmTest(rawValue: s.test), let method = IntervalMethod(rawValue: s.intervals), s.arms.count == 2 else {
            throw PowerMergeError.unreadable(file: first.file, reason: "unknown test or intervals")
        }
        let draws = ComparisonSettings.Randomization.minimumDraws...ComparisonSettings.Randomization.maximumDraws
        guard draws.contains(s.draws) else {
            throw PowerMergeError.unreadable(file: first.file, reason: "its draws \(s.draws) are outside \(draws.lowerBound)–\(draws.upperBound)")
        }
        let settings = PowerAnalysis.Settings(arms: (s.arms[0], s.arms[1]), test: test, alpha: s.alpha, target: s.target, ratio: s.ratio,
                                              sims: s.sims, nullArm: s.nullArm, method: method, draws: s.draws)
        return try PowerAnalysis(loaded, settings: settings, counts: first.part.postings, tallies: tallies)
    }
}

/// Why power parts cannot be merged.
public enum PowerMergeError: DecoyFailure {
    case unreadable(file: String, reason: String)
    case foreign(file: String, expected: String)
    case duplicate(shard: Int, files: [String])
    case missing([Int], of: Int)

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): \(reason); nothing was merged"
        case let .foreign(file, expected): "\(file) is a part of another power analysis (config, seed, settings, postings or N differ from \(expected)); nothing was merged"
        case let .duplicate(shard, files): "part \(shard) is given twice (\(files.joined(separator: ", "))); nothing was merged"
        case let .missing(missing, n): "parts \(missing.map(String.init).joined(separator: ", ")) of \(n) are missing; resubmit them with `sbatch --array=\(missing.map(String.init).joined(separator: ","))`; nothing was merged"
        }
    }
}
