public import DecoyAnalysis
import DecoyModel
import Foundation
public import DecoyStore

/// A stored run as analysis reads it: its description from the database, and its contacts
/// streamed posting by posting in one scan of the contacts table's primary key.
public struct StoredRun: ContactSource {
    public let record: RunRecord
    public let run: RunDescription
    let database: Database
    /// Each posting's position in ``RunDescription/postings``, by posting id.
    let positions: [Int64: Int]

    /// Reads `record`'s arms and postings; with `model`, also its verified resolved config (for the
    /// `expected` curve of a simulated run; see ``StoredConfig``).
    public init(_ record: RunRecord, in database: Database, model: Bool = false) throws {
        self.record = record
        self.database = database
        let stored = try database.postings(run: record.id)
        var positions: [Int64: Int] = [:]
        for (index, posting) in stored.enumerated() { positions[posting.id] = index }
        self.positions = positions
        let config = model && record.source == .simulated ? try StoredConfig.load(record).config : nil
        run = RunDescription(
            id: record.id, source: record.source, status: RunLiveness.effectiveStatus(record),
            horizonMicros: record.horizonMicros, gridMicros: record.gridMicros,
            arms: try database.arms(run: record.id).map {
                ArmDescription(id: $0.id, name: $0.name, population: $0.population, populationSize: $0.populationSize,
                               attributes: Dictionary($0.attributes, uniquingKeysWith: { first, _ in first }))
            },
            postings: stored.map {
                PostingDescription(replicate: $0.replicate, arm: $0.arm, index: $0.index, windowMicros: $0.windowMicros,
                                   postedAtMicros: $0.postedAtMicros, attributes: Dictionary($0.attributes, uniquingKeysWith: { first, _ in first }))
            },
            model: config, utcOffsetSeconds: Self.utcOffset(of: record))
    }

    /// The offset of local time in seconds: that of the `start` in the run's resolved config
    /// (JSON), 0 where it cannot be read.
    public static func utcOffset(of record: RunRecord) -> Int {
        guard let data = record.resolvedConfig.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let start = object["start"] as? String, let timestamp = Timestamp(iso8601: start) else { return 0 }
        return timestamp.utcOffsetSeconds
    }

    public func forEachPosting(contactors: Bool, _ body: (Int, [Int64], [Int64?]) throws -> Void) throws {
        try database.forEachPostingContacts(run: record.id, contactors: contactors) { posting, micros, who in
            guard let position = positions[posting] else { return }
            try body(position, micros, who)
        }
    }

    public func firstContacts() throws -> [Int: Int64] {
        var firsts: [Int: Int64] = [:]
        for (posting, micros) in try database.firstContactTimes(run: record.id) {
            if let position = positions[posting] { firsts[position] = micros }
        }
        return firsts
    }

    /// The team's names of the postings, by position (observed runs).
    public func labels() throws -> [Int: String] {
        var labels: [Int: String] = [:]
        for posting in try database.postings(run: record.id) {
            if let label = posting.label, let position = positions[posting.id] { labels[position] = label }
        }
        return labels
    }

    /// The run read into memory (with contactors when asked), for comparisons, fits and populations.
    public func values(contactors: Bool = false) throws -> RunValues { try RunValues(loading: self, contactors: contactors) }
}
