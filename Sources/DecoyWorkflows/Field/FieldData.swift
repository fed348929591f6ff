public import DecoyModel
import DecoySimulation
public import DecoyStore
import Foundation

/// Field replications: observed postings and contacts imported, recorded and ended.
///
/// Every check that guards a write runs inside the write's transaction, against the run's state
/// read there (``Database/writeObserved(to:header:at:plan:digest:)``): concurrent imports, records
/// and ends see each other's effects, and a batch and the run's digest commit together or not at all.
public enum FieldData {
    /// What an import or a record stored.
    public typealias Outcome = ObservedMergeResult

    /// Imports the postings and events files of an experiment into its observed run.
    ///
    /// The run is `runReference` if given, else the newest observed run of the same experiment
    /// (name and config sha256), else a new one. Contacts are matched as a multiset: a row whose
    /// (posting, instant, channel, contactor) occurs f times in the file and is stored s times adds
    /// max(0, f − s) contacts, so repeated genuine contacts are kept and re-imports add nothing.
    /// `cancellation` is checked between reading, checking and storing the files; a cancelled
    /// import throws ``Cancelled`` and its transaction stores nothing.
    public static func importFiles(
        configPath: String, postingsPath: String, eventsPath: String, databasePath: String, runReference: String?,
        pseudonymizer: Pseudonymizer?, dropContacts: Bool, cancellation: Cancellation = .never
    ) throws -> Outcome {
        let loaded = try ConfigLoader.load(path: configPath, purpose: .observation)
        let config = loaded.config
        func read(_ path: String) throws -> Data {
            guard let data = FileManager.default.contents(atPath: path) else { throw FieldError.unreadableFile(path: path) }
            return data
        }
        let postingsData = try read(postingsPath), eventsData = try read(eventsPath)
        let dropping = dropContacts && ObservedData.holdsIdentifiers(eventsData)
        let exists = FileManager.default.fileExists(atPath: databasePath)
        let target: ObservedTarget
        if let runReference {
            guard exists else { throw StoreError.missing(path: databasePath) }
            target = .run(try Database(path: databasePath, create: false).run(runReference).id)
        } else {
            target = .experiment(name: config.name, configSHA256: loaded.sha256)
        }

        func plan(_ state: ObservedState) throws -> ObservedBatch {
            Failpoint.reach("import-stage")
            try cancellation.check()
            if let run = state.run {
                guard run.source == .observed else { throw FieldError.simulatedRun(run: run.id, doing: "observed data go into an observed run") }
                guard run.configSHA256 == loaded.sha256 else {
                    throw FieldError.otherConfig(run: run.id, stored: run.configSHA256, given: loaded.sha256)
                }
            }
            let stored = try storedPostings(state)
            var issues: [RowIssue] = []
            let (parsedPostings, postingIssues) = ObservedData.postings(postingsData, file: postingsPath, config: config)
            issues += postingIssues
            var known = try postingsByLabel(stored, run: state.run)
            var newPostings: [ObservedPosting] = []
            var ended: [(entry: StoredPosting, posting: ObservedPosting)] = []
            var perArm = [Int](repeating: 0, count: config.arms.count)
            for entry in stored where entry.record.arm < perArm.count { perArm[entry.record.arm] += 1 }
            var overCapacity: [Int: Int] = [:]
            var mixedAttributes = false
            for posting in parsedPostings {
                if let entry = stored.first(where: { $0.observed.label == posting.label }) {
                    let existing = entry.observed
                    if existing.arm != posting.arm || existing.postedAt.microseconds != posting.postedAt.microseconds {
                        issues.append(RowIssue(file: postingsPath, line: posting.line, message: "posting: the name is stored already with arm `\(config.arms[existing.arm].name)` and posted_at \(existing.postedAt.inOffset(of: posting.postedAt).localText)"))
                    } else if !posting.attributes.isEmpty, posting.attributes != existing.attributes {
                        let differing = Set(posting.attributes.keys).union(existing.attributes.keys)
                            .filter { posting.attributes[$0] != existing.attributes[$0] }.sorted()
                            .map { "\(ObservedData.attributePrefix)\($0)" }.joined(separator: ", ")
                        issues.append(RowIssue(file: postingsPath, line: posting.line, message: "\(differing): the posting is stored already with other attribute values (or none); stored attributes are never changed (delete the run and import again to correct them)"))
                    } else if posting.endedAt != nil {
                        // An end shortens a window; one later than what is stored would reopen it.
                        let window = posting.windowMicros(horizonHours: config.horizon)
                        if window < entry.record.windowMicros {
                            ended.append((entry, posting))
                            known[posting.label] = posting
                        } else if window > entry.record.windowMicros {
                            issues.append(RowIssue(file: postingsPath, line: posting.line, message: "ended_at: the posting's window already ends at \(Timestamp(microseconds: entry.record.postedAtMicros + entry.record.windowMicros).inOffset(of: posting.endedAt ?? posting.postedAt).localText), earlier than this; a window is never reopened (delete the run and import again to correct it)"))
                        }
                    }
                } else {
                    // Every posting of a run carries the same attribute columns, or a term of
                    // them would have no value for some.
                    if let first = stored.first, !mixedAttributes, Set(posting.attributes.keys) != Set(first.observed.attributes.keys) {
                        mixedAttributes = true
                        let names = first.observed.attributes.keys.sorted().map { "\(ObservedData.attributePrefix)\($0)" }
                        issues.append(RowIssue(file: postingsPath, line: posting.line, message: "the run's postings are stored with \(names.isEmpty ? "no attribute columns" : "the attribute columns \(names.joined(separator: ", "))"); every posting of a run carries the same ones"))
                    }
                    newPostings.append(posting)
                    known[posting.label] = posting
                    perArm[posting.arm] += 1
                    if perArm[posting.arm] > config.arms[posting.arm].postings, overCapacity[posting.arm] == nil { overCapacity[posting.arm] = posting.line }
                }
            }
            for (index, line) in overCapacity {
                let arm = config.arms[index]
                issues.append(RowIssue(file: postingsPath, line: line, message: "arm `\(arm.name)` has \(perArm[index]) postings, more than the \(arm.postings) of the config"))
            }
            Failpoint.reach("import-stage")
            try cancellation.check()
            let (contacts, contactIssues) = ObservedData.contacts(
                eventsData, file: eventsPath, config: config, postings: known, pseudonymizer: pseudonymizer, dropContacts: dropContacts,
                refused: RefusedPostings(postingIssues))
            issues += contactIssues
            let identifiers = try checkContactIdentifiers(
                contactIdentifiers(of: contacts, pseudonymizer: pseudonymizer, dropping: dropping),
                pseudonyms: Set(contacts.compactMap(\.pseudonym)), state: state, writing: .import)
            Failpoint.reach("import-stage")
            try cancellation.check()
            for (entry, posting) in ended {
                let window = posting.windowMicros(horizonHours: config.horizon)
                let late = state.contacts.filter { $0.key.posting == entry.record.id && $0.key.micros > window }.values.reduce(0, +)
                if late > 0 { issues.append(RowIssue(file: postingsPath, line: posting.line, message: "posting: \(late) stored contacts are after its ended_at")) }
            }
            // Causes first: the postings file's rows, then the events file's.
            guard issues.isEmpty else {
                throw ImportError(issues: issues.sorted { ($0.file == postingsPath ? 0 : 1, $0.line) < ($1.file == postingsPath ? 0 : 1, $1.line) })
            }
            var planned = batch(config: config, state: state, stored: stored, newPostings: newPostings, ended: ended.map(\.posting), contacts: contacts, matching: true)
            planned.contactIdentifiers = identifiers
            return planned
        }

        if !exists {
            // Nothing to read yet: check against the empty state first, so bad input leaves no file behind.
            _ = try plan(ObservedState(run: nil, postings: [], contacts: [:]))
        }
        try cancellation.check()
        let database = try Database(path: databasePath, create: true)
        return try write(database, to: target, loaded: loaded, configPath: configPath, plan: plan, cancellation: cancellation)
    }

    /// Appends one contact to an observed run; the same contact recorded twice is stored twice.
    public static func record(
        database: Database, run: RunRecord, posting: String, channel: String, contact: String?, at: Timestamp, pseudonymizer: Pseudonymizer?
    ) throws -> Outcome {
        try checkName(.posting, posting)
        try checkName(.channel, channel)
        let loaded = try observedConfig(run, doing: "contacts can be recorded only in observed runs (decoy import)")
        var pseudonym: String?
        if let contact {
            guard let pseudonymizer else {
                throw FieldError.contactNeedsKey
            }
            guard let value = pseudonymizer.pseudonym(of: contact) else { throw FieldError.emptyIdentifier }
            pseudonym = value
        }
        return try write(database, to: .run(run.id), loaded: loaded, configPath: run.configPath) { state in
            let stored = try storedPostings(state, checking: run.id, doing: "contacts can be recorded only in observed runs (decoy import)")
            let known = try postingsByLabel(stored, run: state.run)
            let identifiers = try checkContactIdentifiers(
                pseudonym == nil ? nil : pseudonymizer.map { .pseudonymised(keyFingerprint: $0.keyFingerprint) },
                pseudonyms: Set([pseudonym].compactMap { $0 }), state: state, writing: .record)
            switch ObservedData.check(posting: posting, at: at.localText, channel: channel, pseudonym: pseudonym, config: loaded.config, postings: known) {
            case let .failure(problem): throw FieldError.refusedContact(problem)
            case let .success(value):
                var planned = batch(config: loaded.config, state: state, stored: stored, newPostings: [], ended: [], contacts: [value], matching: false)
                planned.contactIdentifiers = identifiers
                return planned
            }
        }
    }

    /// Closes a posting's observation window at `at` (the ad was taken down). An end at or after
    /// the horizon observes the whole horizon and is not a removal.
    public static func end(database: Database, run: RunRecord, posting label: String, at: Timestamp) throws -> Outcome {
        try checkName(.posting, label)
        let doing = "`end` applies to observed runs (decoy import)"
        let loaded = try observedConfig(run, doing: doing)
        return try write(database, to: .run(run.id), loaded: loaded, configPath: run.configPath) { state in
            let stored = try storedPostings(state, checking: run.id, doing: doing)
            _ = try postingsByLabel(stored, run: state.run)
            guard let entry = stored.first(where: { $0.observed.label == label }) else {
                let hint = Suggestion.closest(to: label, among: stored.map(\.observed.label)).map { "; did you mean `\($0)`?" } ?? ""
                throw FieldError.unknownPosting(run: run.id, hint: hint)
            }
            if entry.record.removed {
                throw FieldError.alreadyEnded(at: Timestamp(microseconds: entry.record.postedAtMicros + entry.record.windowMicros).inOffset(of: at))
            }
            guard at >= entry.observed.postedAt else {
                throw FieldError.endBeforeGoLive(at: at, postedAt: entry.observed.postedAt)
            }
            var ended = entry.observed
            ended.endedAt = at
            let window = ended.windowMicros(horizonHours: loaded.config.horizon)
            let late = state.contacts.filter { $0.key.posting == entry.record.id && $0.key.micros > window }.values.reduce(0, +)
            if late > 0 { throw FieldError.contactsAfterEnd(count: late, at: at) }
            return batch(config: loaded.config, state: state, stored: stored, newPostings: [], ended: [ended], contacts: [], matching: false)
        }
    }

    // MARK: - Shared

    struct StoredPosting {
        var record: PostingRecord
        var observed: ObservedPosting
    }

    /// Refuses a `--posting` or `--channel` value that is no valid name, without repeating it.
    static func checkName(_ setting: Setting, _ value: String) throws {
        if let problem = ObservedData.labelProblem(value) { throw FieldError.badName(setting, problem: problem) }
    }

    static func observedConfig(_ run: RunRecord, doing: String) throws -> LoadedConfig {
        guard run.source == .observed else { throw FieldError.simulatedRun(run: run.id, doing: doing) }
        return try StoredConfig.load(run, purpose: .observation)
    }

    /// The stored postings of the state, which must be of observed run `id`.
    static func storedPostings(_ state: ObservedState, checking id: Int64, doing: String) throws -> [StoredPosting] {
        guard let run = state.run, run.id == id else { throw FieldError.runGone(run: id) }
        guard run.source == .observed else { throw FieldError.simulatedRun(run: run.id, doing: doing) }
        return try storedPostings(state)
    }

    static func storedPostings(_ state: ObservedState) throws -> [StoredPosting] {
        state.postings.map { record in
            let posted = Timestamp(microseconds: record.postedAtMicros)
            let ended = record.removed ? Timestamp(microseconds: record.postedAtMicros + record.windowMicros) : nil
            return StoredPosting(record: record, observed: ObservedPosting(
                arm: record.arm, label: record.label ?? String(record.index), postedAt: posted, endedAt: ended,
                attributes: Dictionary(record.attributes, uniquingKeysWith: { first, _ in first })))
        }
    }

    /// The stored postings by name; a run holding one name twice is reported, never trusted.
    static func postingsByLabel(_ stored: [StoredPosting], run: RunRecord?) throws -> [String: ObservedPosting] {
        var known: [String: ObservedPosting] = [:]
        var ids: [String: Int64] = [:]
        for entry in stored {
            if let first = ids[entry.observed.label] {
                throw FieldError.duplicatePostingName(run: run?.id ?? 0, first: first, second: entry.record.id)
            }
            ids[entry.observed.label] = entry.record.id
            known[entry.observed.label] = entry.observed
        }
        return known
    }

    /// The batch that stores `newPostings`, ends `ended` and adds `contacts`: with `matching`, a
    /// contact key seen f times in the input and stored s times adds max(0, f − s) copies;
    /// otherwise every contact is appended.
    static func batch(
        config: ExperimentConfig, state: ObservedState, stored: [StoredPosting],
        newPostings: [ObservedPosting], ended: [ObservedPosting], contacts: [ObservedContact], matching: Bool
    ) -> ObservedBatch {
        let horizon = Units.micros(hours: config.horizon)
        var ids: [String: Int64] = [:]
        var postedAt: [String: Timestamp] = [:]
        for entry in stored {
            ids[entry.observed.label] = entry.record.id
            postedAt[entry.observed.label] = entry.observed.postedAt
        }
        var nextID = (stored.map(\.record.id).max() ?? -1) + 1
        var perArm = [Int](repeating: 0, count: config.arms.count)
        for entry in stored where entry.record.arm < perArm.count { perArm[entry.record.arm] = max(perArm[entry.record.arm], entry.record.index + 1) }
        var postingRecords: [PostingRecord] = []
        for posting in newPostings {
            let window = posting.windowMicros(horizonHours: config.horizon)
            postingRecords.append(PostingRecord(
                id: nextID, replicate: 1, arm: posting.arm, index: perArm[posting.arm], postedAtMicros: posting.postedAt.microseconds,
                windowMicros: window, removed: window < horizon, label: posting.label,
                attributes: posting.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            ids[posting.label] = nextID
            postedAt[posting.label] = posting.postedAt
            perArm[posting.arm] += 1
            nextID += 1
        }
        let endedUpdates = ended.compactMap { posting in
            ids[posting.label].map { id in
                let window = posting.windowMicros(horizonHours: config.horizon)
                return (id: id, windowMicros: window, removed: window < horizon)
            }
        }
        var byPosting: [Int64: [(micros: Int64, channel: String, pseudonym: String?)]] = [:]
        var seen: [ObservedContactKey: Int] = [:]
        var alreadyStored = 0
        for contact in contacts {
            guard let id = ids[contact.posting], let posted = postedAt[contact.posting] else { continue }
            let micros = contact.at.microseconds - posted.microseconds
            if matching {
                let key = ObservedContactKey(posting: id, micros: micros, channel: contact.channel, pseudonym: contact.pseudonym)
                seen[key, default: 0] += 1
                // The k-th copy in the input is the k-th stored copy.
                if seen[key]! <= state.contacts[key] ?? 0 {
                    alreadyStored += 1
                    continue
                }
            }
            byPosting[id, default: []].append((micros, contact.channel, contact.pseudonym))
        }
        return ObservedBatch(newPostings: postingRecords, endedPostings: endedUpdates, contacts: byPosting, alreadyStored: alreadyStored)
    }

    /// Runs `plan` and stores its batch and the run's digest in one transaction.
    static func write(
        _ database: Database, to target: ObservedTarget, loaded: LoadedConfig, configPath: String?, plan: (ObservedState) throws -> ObservedBatch,
        cancellation: Cancellation = .never
    ) throws -> Outcome {
        let config = loaded.config
        let header = RunHeader(
            name: config.name, source: .observed, configPath: configPath, configText: loaded.text, resolvedConfig: loaded.resolvedText,
            configSHA256: loaded.sha256, seed: config.seed ?? 0, replicates: 1, startMicros: config.start.microseconds,
            horizonMicros: Units.micros(hours: config.horizon), gridMicros: Units.micros(hours: config.grid), overrides: [],
            provenance: .current,
            arms: config.arms.enumerated().map { index, arm in
                let population = config.population(of: arm)
                return ArmRecord(id: index, name: arm.name, postings: arm.postings, population: population.name, populationSize: nil,
                                 attributes: arm.attributes.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            },
            channels: [])
        return try database.writeObserved(to: target, header: header, at: nowText(), cancellation: cancellation, plan: plan) { run in
            // The last moment a signal can still undo the whole import.
            Failpoint.reach("import-stage")
            try cancellation.check()
            return try digest(run: run, database: database)
        }
    }

    /// SHA-256 of an observed run's canonical event stream (``StoredDigest``).
    static func digest(run: Int64, database: Database) throws -> String {
        var state = try StoredDigest.accumulate(run: try database.run(String(run)), database: database).digest
        return state.finalize()
    }
}

/// A field-data operation refused.
public enum FieldError: SettingFailure, Equatable {
    case unreadableFile(path: String)
    /// The run is simulated; `doing` says what applies to observed runs only.
    case simulatedRun(run: Int64, doing: String)
    case otherConfig(run: Int64, stored: String, given: String)
    case contactNeedsKey
    case emptyIdentifier
    /// A recorded contact refused by the checks of observed rows (window, channel, posting).
    case refusedContact(RowProblem)
    case unknownPosting(run: Int64, hint: String)
    case alreadyEnded(at: Timestamp)
    case endBeforeGoLive(at: Timestamp, postedAt: Timestamp)
    case contactsAfterEnd(count: Int, at: Timestamp)
    case badName(Setting, problem: String)
    case runGone(run: Int64)
    case duplicatePostingName(run: Int64, first: Int64, second: Int64)

    public var exitStatus: ExitStatus { .failure }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .unreadableFile(path): return "cannot read \(path)"
        case let .simulatedRun(run, doing): return "run \(run) is simulated; \(doing)"
        case let .otherConfig(run, stored, given):
            return "run \(run) was imported with another config (sha256 \(stored.prefix(12))…, this one \(given.prefix(12))…)"
        case .contactNeedsKey: return "\(name(.contact)) needs a pseudonym key (\(name(.pseudonymKey))); raw identifiers are never stored"
        case .emptyIdentifier: return "\(name(.contact)): the identifier is empty once normalised"
        case let .refusedContact(problem):
            // A recorded contact's columns are settings.
            let setting: Setting = switch problem.column {
            case .posting: .posting
            case .at: .contactTime
            case .channel: .channel
            }
            return "\(name(setting)): \(problem.detail)"
        case let .unknownPosting(run, hint): return "\(name(.posting)): run \(run) has no posting of that name\(hint)"
        case let .alreadyEnded(at): return "\(name(.posting)): the posting already ended at \(at.localText)"
        case let .endBeforeGoLive(at, postedAt): return "\(name(.endedAt)) \(at.localText) is before the posting went live at \(postedAt.inOffset(of: at).localText)"
        case let .contactsAfterEnd(count, at): return "\(name(.posting)): the posting has \(count) contacts recorded after \(at.localText)"
        case let .badName(setting, problem): return "\(name(setting)): the name \(problem)"
        case let .runGone(run): return "run \(run) is gone (deleted meanwhile?)"
        case let .duplicatePostingName(run, first, second):
            return "run \(run) holds one posting name twice (postings \(first) and \(second)), so its rows cannot be matched; delete the run (`decoy delete \(run)`) and import its files again"
        }
    }
}
