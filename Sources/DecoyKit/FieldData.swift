public import DecoyModel
import DecoySimulation
public import DecoyStore
import Foundation

/// Field replications: observed postings and contacts imported, recorded and ended.
///
/// Everything is checked before anything is written; a batch is merged in one transaction.
public enum FieldData {
    /// What an import or a record stored.
    public typealias Outcome = ObservedMergeResult

    /// Imports the postings and events files of an experiment into its observed run.
    ///
    /// The run is `runReference` if given, else the newest observed run of the same experiment
    /// (name and config sha256), else a new one.
    public static func importFiles(
        configPath: String, postingsPath: String, eventsPath: String, databasePath: String, runReference: String?,
        pseudonymizer: Pseudonymizer?, dropContacts: Bool
    ) throws -> Outcome {
        let loaded = try ConfigLoader.load(path: configPath, purpose: .observation)
        let config = loaded.config
        let existingDatabase = FileManager.default.fileExists(atPath: databasePath) ? try Database(path: databasePath, create: false) : nil
        var target: RunRecord?
        if let runReference {
            guard let existingDatabase else { throw StoreError.missing(path: databasePath) }
            target = try existingDatabase.run(runReference)
        } else {
            target = try existingDatabase?.observedRun(name: config.name, configSHA256: loaded.sha256)
        }
        if let target {
            guard target.source == .observed else { throw FieldError(message: "run \(target.id) is simulated; observed data go into an observed run") }
            guard target.configSHA256 == loaded.sha256 else {
                throw FieldError(message: "run \(target.id) was imported with another config (sha256 \(target.configSHA256.prefix(12))…, this one \(loaded.sha256.prefix(12))…)")
            }
        }
        let stored = try target.map { try storedPostings(run: $0, database: existingDatabase!) } ?? []

        func read(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else { throw FieldError(message: "cannot read \(path)") }
            return data
        }
        var issues: [RowIssue] = []
        let (parsedPostings, postingIssues) = ObservedData.postings(try read(postingsPath), file: postingsPath, config: config)
        issues += postingIssues
        var known = Dictionary(uniqueKeysWithValues: stored.map { ($0.observed.label, $0.observed) })
        var newPostings: [ObservedPosting] = []
        var ended: [(label: String, posting: ObservedPosting)] = []
        for posting in parsedPostings {
            if let existing = known[posting.label] {
                if existing.arm != posting.arm || existing.postedAt.microseconds != posting.postedAt.microseconds {
                    issues.append(RowIssue(file: postingsPath, line: posting.line, message: "posting `\(posting.label)` is stored already with arm `\(config.arms[existing.arm].name)` and posted_at \(existing.postedAt.utcText)"))
                } else if let end = posting.endedAt, end.microseconds != existing.endedAt?.microseconds {
                    ended.append((posting.label, posting))
                    known[posting.label] = posting
                }
            } else {
                newPostings.append(posting)
                known[posting.label] = posting
            }
        }
        for (index, arm) in config.arms.enumerated() {
            let count = known.values.filter { $0.arm == index }.count
            if count > arm.postings {
                issues.append(RowIssue(file: postingsPath, line: 1, message: "arm `\(arm.name)` has \(count) postings, more than the \(arm.postings) of the config"))
            }
        }
        let (contacts, contactIssues) = ObservedData.contacts(
            try read(eventsPath), file: eventsPath, config: config, postings: known, pseudonymizer: pseudonymizer, dropContacts: dropContacts)
        issues += contactIssues
        if let target, let database = existingDatabase {
            for (label, posting) in ended {
                guard let record = stored.first(where: { $0.observed.label == label })?.record else { continue }
                let late = try database.contacts(run: target.id, posting: record.id, after: posting.windowMicros(horizonHours: config.horizon))
                if late > 0 { issues.append(RowIssue(file: postingsPath, line: posting.line, message: "posting `\(label)`: \(late) stored contacts are after its ended_at")) }
            }
        }
        guard issues.isEmpty else { throw ImportError(issues: issues.sorted { ($0.file, $0.line) < ($1.file, $1.line) }) }
        return try merge(loaded: loaded, configPath: configPath, databasePath: databasePath, target: target, stored: stored,
                         newPostings: newPostings, ended: ended.map(\.posting), contacts: contacts)
    }

    /// Appends one contact to an observed run.
    public static func record(
        database: Database, run: RunRecord, posting: String, channel: String, contact: String?, at: Timestamp, pseudonymizer: Pseudonymizer?
    ) throws -> Outcome {
        let (loaded, stored) = try observedContext(run, database)
        var pseudonym: String?
        if let contact {
            guard let pseudonymizer else {
                throw FieldError(message: "--contact needs a pseudonym key (--key-file or $DECOY_PSEUDONYM_KEY); raw identifiers are never stored")
            }
            guard let value = pseudonymizer.pseudonym(of: contact) else { throw FieldError(message: "--contact: the identifier is empty once normalised") }
            pseudonym = value
        }
        let known = Dictionary(uniqueKeysWithValues: stored.map { ($0.observed.label, $0.observed) })
        switch ObservedData.check(posting: posting, at: at.localText, channel: channel, pseudonym: pseudonym, config: loaded.config, postings: known) {
        case let .failure(problem): throw FieldError(message: problem.message)
        case let .success(value):
            return try merge(loaded: loaded, configPath: run.configPath, databasePath: database.path, target: run, stored: stored,
                             newPostings: [], ended: [], contacts: [value])
        }
    }

    /// Closes a posting's observation window at `at` (the ad was taken down).
    public static func end(database: Database, run: RunRecord, posting label: String, at: Timestamp) throws -> Outcome {
        let (loaded, stored) = try observedContext(run, database)
        guard let entry = stored.first(where: { $0.observed.label == label }) else {
            let hint = Suggestion.closest(to: label, among: stored.map(\.observed.label)).map { "; did you mean `\($0)`?" } ?? ""
            throw FieldError(message: "run \(run.id) has no posting `\(label)`\(hint)")
        }
        if entry.record.removed {
            throw FieldError(message: "posting `\(label)` already ended at \(Timestamp(microseconds: entry.record.postedAtMicros + entry.record.windowMicros).utcText)")
        }
        guard at >= entry.observed.postedAt else {
            throw FieldError(message: "--at \(at.utcText) is before posting `\(label)` went live at \(entry.observed.postedAt.utcText)")
        }
        var ended = entry.observed
        ended.endedAt = at
        let window = ended.windowMicros(horizonHours: loaded.config.horizon)
        let late = try database.contacts(run: run.id, posting: entry.record.id, after: window)
        if late > 0 { throw FieldError(message: "posting `\(label)` has \(late) contacts recorded after \(at.utcText)") }
        return try merge(loaded: loaded, configPath: run.configPath, databasePath: database.path, target: run, stored: stored,
                         newPostings: [], ended: [ended], contacts: [])
    }

    // MARK: - Shared

    struct StoredPosting {
        var record: PostingRecord
        var observed: ObservedPosting
    }

    static func observedContext(_ run: RunRecord, _ database: Database) throws -> (LoadedConfig, [StoredPosting]) {
        guard run.source == .observed else { throw FieldError(message: "run \(run.id) is simulated; contacts can be recorded only in observed runs (decoy import)") }
        let loaded = try Reproduction.storedConfig(of: run, purpose: .observation)
        return (loaded, try storedPostings(run: run, database: database))
    }

    static func storedPostings(run: RunRecord, database: Database) throws -> [StoredPosting] {
        try database.postings(run: run.id).map { record in
            let posted = Timestamp(microseconds: record.postedAtMicros)
            let ended = record.removed ? Timestamp(microseconds: record.postedAtMicros + record.windowMicros) : nil
            return StoredPosting(record: record, observed: ObservedPosting(arm: record.arm, label: record.label ?? String(record.index), postedAt: posted, endedAt: ended))
        }
    }

    static func merge(
        loaded: LoadedConfig, configPath: String?, databasePath: String, target: RunRecord?, stored: [StoredPosting],
        newPostings: [ObservedPosting], ended: [ObservedPosting], contacts: [ObservedContact]
    ) throws -> Outcome {
        let config = loaded.config
        var ids: [String: Int64] = [:]
        for entry in stored { ids[entry.observed.label] = entry.record.id }
        var nextID = (stored.map(\.record.id).max() ?? -1) + 1
        var perArm = [Int](repeating: 0, count: config.arms.count)
        for entry in stored where entry.record.arm < perArm.count { perArm[entry.record.arm] = max(perArm[entry.record.arm], entry.record.index + 1) }
        var postingRecords: [PostingRecord] = []
        var postedAt: [String: Timestamp] = [:]
        for entry in stored { postedAt[entry.observed.label] = entry.observed.postedAt }
        for posting in newPostings {
            let window = posting.windowMicros(horizonHours: config.horizon)
            postingRecords.append(PostingRecord(
                id: nextID, replicate: 1, arm: posting.arm, index: perArm[posting.arm], postedAtMicros: posting.postedAt.microseconds,
                windowMicros: window, removed: posting.endedAt != nil && window < SimulatedPosting.micros(hours: config.horizon), label: posting.label))
            ids[posting.label] = nextID
            postedAt[posting.label] = posting.postedAt
            perArm[posting.arm] += 1
            nextID += 1
        }
        let endedUpdates = ended.compactMap { posting in ids[posting.label].map { ($0, posting.windowMicros(horizonHours: config.horizon)) } }
        var byPosting: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]] = [:]
        for contact in contacts {
            guard let id = ids[contact.posting], let posted = postedAt[contact.posting] else { continue }
            byPosting[id, default: []].append((contact.at.microseconds - posted.microseconds, contact.channel, contact.pseudonym))
        }
        let header = RunHeader(
            name: config.name, source: .observed, configPath: configPath, configText: loaded.text, resolvedConfig: loaded.resolvedText,
            configSHA256: loaded.sha256, seed: config.seed, replicates: 1, startMicros: config.start.microseconds,
            horizonMicros: SimulatedPosting.micros(hours: config.horizon), gridMicros: SimulatedPosting.micros(hours: config.grid), overrides: [],
            provenance: .current,
            arms: config.arms.enumerated().map { index, arm in
                let population = config.population(of: arm)
                return ArmRecord(id: index, name: arm.name, postings: arm.postings, population: population.name, populationSize: nil,
                                 attributes: arm.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            },
            channels: [])
        let database = try Database(path: databasePath, create: true)
        let result = try database.mergeObserved(
            into: target?.id, header: header, batch: ObservedBatch(newPostings: postingRecords, endedPostings: endedUpdates, contacts: byPosting),
            at: nowText())
        try database.setDigest(try digest(run: result.runID, database: database), run: result.runID)
        return result
    }

    /// SHA-256 of an observed run's canonical event stream (``StoredDigest``).
    static func digest(run: Int64, database: Database) throws -> String {
        var state = try StoredDigest.accumulate(run: try database.run(String(run)), database: database).digest
        return state.finalize()
    }
}

/// A field-data operation refused.
public struct FieldError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
