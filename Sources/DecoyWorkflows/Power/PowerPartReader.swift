import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import DecoyStudies
import Foundation

/// Reads one power part and checks it field by field before a merge adds anything from it: every
/// count within what its simulations allow, one tally per point, the shard within N, the config
/// hashing to its sha256, and the part's digest over its content. An error names the part by its
/// place in the list and the field by its JSON path (`tallies[1].rejections`), never a value.
enum PowerPartReader {
    static func read(_ path: String, position: Int) throws(PowerMergeError) -> PowerPart {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(position: position, reason: "no such file, or it cannot be read")
        }
        struct Format: Decodable { var format: String? }
        guard let format = try? JSONDecoder().decode(Format.self, from: data) else {
            throw .unreadable(position: position, reason: "not a JSON object; a part is written by a power analysis given a \(Setting.shard)")
        }
        guard format.format == PowerPart.format else {
            throw .invalid(position: position, path: "format", expected: "\(PowerPart.format) (a part of another version is merged by that version, or its shard run again)")
        }
        let part: PowerPart
        do {
            part = try JSONDecoder().decode(PowerPart.self, from: data)
        } catch let error as DecodingError {
            throw located(error, position: position)
        } catch {
            throw .unreadable(position: position, reason: "not a power part")
        }
        try check(part, position: position)
        return part
    }

    static func located(_ error: DecodingError, position: Int) -> PowerMergeError {
        func text(_ path: [any CodingKey]) -> String {
            var result = ""
            for key in path {
                if let index = key.intValue { result += "[\(index)]" } else { result += (result.isEmpty ? "" : ".") + key.stringValue }
            }
            return result.isEmpty ? "(the part)" : result
        }
        switch error {
        case let .keyNotFound(key, context): return .invalid(position: position, path: text(context.codingPath + [key]), expected: "the field, which is missing")
        case let .typeMismatch(type, context): return .invalid(position: position, path: text(context.codingPath), expected: "a value of type \(type)")
        case let .valueNotFound(type, context): return .invalid(position: position, path: text(context.codingPath), expected: "a value of type \(type)")
        case let .dataCorrupted(context): return .invalid(position: position, path: text(context.codingPath), expected: "a readable value")
        @unknown default: return .unreadable(position: position, reason: "not a power part")
        }
    }

    static func check(_ part: PowerPart, position: Int) throws(PowerMergeError) {
        func require(_ holds: Bool, _ path: String, _ expected: @autoclosure () -> String) throws(PowerMergeError) {
            guard holds else { throw .invalid(position: position, path: path, expected: expected()) }
        }
        try require((1...maximumShards).contains(part.shards), "shards", "a count from 1 to \(maximumShards)")
        try require((1...part.shards).contains(part.shard), "shard", "a shard from 1 to its shards")
        let s = part.settings
        try require((1...PowerAnalysis.maximumSims).contains(s.sims), "settings.sims", "a count from 1 to \(PowerAnalysis.maximumSims)")
        try require(s.arms.count == 2 && !s.arms.contains(where: \.isEmpty), "settings.arms", "two arm names")
        try require(!s.nullArm.isEmpty, "settings.null_arm", "an arm name")
        try require(ArmTest(rawValue: s.test) != nil, "settings.test", "one of \(ArmTest.allCases.map(\.rawValue).joined(separator: ", "))")
        try require(IntervalMethod(rawValue: s.intervals) != nil, "settings.intervals", "one of \(IntervalMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        try require(s.alpha > 0 && s.alpha < 1, "settings.alpha", "a level in (0, 1)")
        try require(s.target > 0 && s.target < 1, "settings.target", "a power in (0, 1)")
        try require(s.ratio > 0 && s.ratio <= 1000, "settings.ratio", "a ratio in (0, 1000]")
        let draws = ComparisonSettings.Randomization.minimumDraws...ComparisonSettings.Randomization.maximumDraws
        try require(draws.contains(s.draws), "settings.draws", "from \(draws.lowerBound) to \(draws.upperBound) draws")
        try require(!part.postings.isEmpty, "postings", "at least one count of postings")
        for (i, n) in part.postings.enumerated() {
            try require((1...PowerAnalysis.maximumPostings).contains(n), "postings[\(i)]", "a count from 1 to \(PowerAnalysis.maximumPostings)")
            try require(i == 0 || n > part.postings[i - 1], "postings[\(i)]", "a count above the one before it")
        }
        try require(part.tallies.count == part.postings.count, "tallies", "one tally per count of postings (\(part.postings.count))")
        let sims = PowerPart.slice(sims: s.sims, shard: part.shard, of: part.shards)
        for (i, t) in part.tallies.enumerated() {
            let at = "tallies[\(i)]"
            try require(t.sims == sims, "\(at).sims", "\(sims), the simulations of part \(part.shard) of \(part.shards) of \(s.sims)")
            try require(t.rejections >= 0, "\(at).rejections", "a count of at least 0")
            try require(t.failed >= 0 && t.failed <= t.sims, "\(at).failed", "a count from 0 to its sims")
            try require(t.rejections <= t.sims - t.failed, "\(at).rejections", "at most its sims less its failed")
            try require(t.nullRejections >= 0, "\(at).null_rejections", "a count of at least 0")
            try require(t.nullFailed >= 0 && t.nullFailed <= t.sims, "\(at).null_failed", "a count from 0 to its sims")
            try require(t.nullRejections <= t.sims - t.nullFailed, "\(at).null_rejections", "at most its sims less its null_failed")
            try require(t.effectCount >= 0 && t.effectCount <= t.sims - t.failed, "\(at).effect_count", "at most its sims less its failed")
            try require(PowerPart.EffectCoding.decode(t.effects, count: t.effectCount) != nil, "\(at).effects", "\(t.effectCount) encoded estimates")
        }
        let loaded = try? ConfigLoader.load(text: part.resolvedConfig, file: "resolved_config")
        try require(loaded != nil, "resolved_config", "a config that loads")
        try require(loaded?.sha256 == part.configSHA256, "config_sha256", "the sha256 of resolved_config")
        try require(part.digest == part.computedDigest, "digest", "the sha256 of the part's content (the part was changed after it was written)")
    }

    /// The most shards `--shard` accepts.
    static let maximumShards = 100_000
}
