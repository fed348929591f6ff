import DecoyModel
import DecoySimulation
import DecoyStore

/// The canonical event stream of what a run has stored, fed into an ``EventDigest``: postings in
/// id order, each followed by its contacts in `seq` order; contactors as `<population>:<index>`
/// for simulated runs and as pseudonyms for observed ones. `rerun`, `resume` and field imports
/// all write stored rows into the stream through ``StoredStream``.
enum StoredDigest {
    /// The digest state after the run's stored events, and how many contacts it holds.
    static func accumulate(run: RunRecord, database: Database) throws -> (digest: EventDigest, contacts: Int) {
        let stream = try StoredStream(run: run, database: database)
        let postings = try database.postings(run: run.id)
        var index: [Int64: Int] = [:]
        for (i, p) in postings.enumerated() { index[p.id] = i }
        var digest = EventDigest()
        var next = 0, contacts = 0
        func addPostings(through id: Int64) {
            while next < postings.count, postings[next].id <= id {
                stream.addPosting(postings[next], to: &digest)
                next += 1
            }
        }
        try database.forEachContact(run: run.id) { contact in
            addPostings(through: contact.posting)
            guard let i = index[contact.posting] else { return }
            stream.addContact(contact, of: postings[i], to: &digest)
            contacts += 1
        }
        addPostings(through: .max)
        return (digest, contacts)
    }
}

/// The names a stored run's rows are written with in the canonical event stream: arms, channels
/// and, for observed runs, the contactors' pseudonyms, each encoded once. An id the run does not
/// name is written as `#<id>`, so a damaged run digests differently instead of stopping the check.
struct StoredStream {
    let source: RunSource
    let arms: [ArmRecord]
    let channels: [String]
    let pseudonyms: [Int64: String]
    private let armNames: [EventName]
    private let populationNames: [EventName]
    private let channelNames: [EventName]
    private let pseudonymNames: [Int64: EventName]

    init(run: RunRecord, database: Database) throws {
        source = run.source
        arms = try database.arms(run: run.id)
        channels = try database.channels(run: run.id)
        pseudonyms = run.source == .observed ? try database.pseudonyms(run: run.id) : [:]
        armNames = arms.map { EventName($0.name) }
        populationNames = arms.map { EventName($0.population) }
        channelNames = channels.map(EventName.init)
        pseudonymNames = pseudonyms.mapValues(EventName.init)
    }

    func armName(_ id: Int) -> String { arms.indices.contains(id) ? arms[id].name : "#\(id)" }

    func channelName(_ id: Int) -> String { channels.indices.contains(id) ? channels[id] : "#\(id)" }

    /// `<population>:<index>` of a simulated contactor, the pseudonym of an observed one, or empty.
    func contactorText(_ contact: ContactRecord, of posting: PostingRecord) -> String {
        guard let contactor = contact.contactor else { return "" }
        if source == .observed { return pseudonyms[contactor] ?? "" }
        return "\(arms.indices.contains(posting.arm) ? arms[posting.arm].population : "?"):\(contactor)"
    }

    private func encodedArm(_ id: Int) -> EventName { armNames.indices.contains(id) ? armNames[id] : EventName("#\(id)") }

    private func encodedChannel(_ id: Int) -> EventName { channelNames.indices.contains(id) ? channelNames[id] : EventName("#\(id)") }

    func addPosting(_ p: PostingRecord, to digest: inout EventDigest) {
        digest.addPosting(replicate: p.replicate, arm: encodedArm(p.arm), posting: p.index, windowMicros: p.windowMicros, removed: p.removed)
    }

    /// Adds a contact's line, with the same bytes as its ``contactorText(_:of:)`` would give.
    func addContact(_ c: ContactRecord, of p: PostingRecord, to digest: inout EventDigest) {
        let arm = encodedArm(p.arm), channel = encodedChannel(c.channel)
        guard let contactor = c.contactor else {
            digest.addContact(replicate: p.replicate, arm: arm, posting: p.index, seq: c.seq, micros: c.micros, channel: channel, contactor: .empty)
            return
        }
        if source == .observed {
            digest.addContact(replicate: p.replicate, arm: arm, posting: p.index, seq: c.seq, micros: c.micros, channel: channel,
                              contactor: pseudonymNames[contactor] ?? .empty)
        } else {
            let population = populationNames.indices.contains(p.arm) ? populationNames[p.arm] : Self.unknownPopulation
            digest.addContact(replicate: p.replicate, arm: arm, posting: p.index, seq: c.seq, micros: c.micros, channel: channel,
                              population: population, contactor: contactor)
        }
    }

    private static let unknownPopulation = EventName("?")
}
