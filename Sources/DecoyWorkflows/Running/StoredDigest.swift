import DecoyModel
import DecoySimulation
import DecoyStore

/// The canonical event stream of what a run has stored, fed into an ``EventDigest``: postings in
/// id order, each followed by its contacts in `seq` order; contactors as `<population>:<index>`
/// for simulated runs and as pseudonyms for observed ones.
enum StoredDigest {
    /// The digest state after the run's stored events, and how many contacts it holds.
    static func accumulate(run: RunRecord, database: Database) throws -> (digest: EventDigest, contacts: Int) {
        let arms = try database.arms(run: run.id), channels = try database.channels(run: run.id)
        let pseudonyms = run.source == .observed ? try database.pseudonyms(run: run.id) : [:]
        let postings = try database.postings(run: run.id)
        var index: [Int64: Int] = [:]
        for (i, p) in postings.enumerated() { index[p.id] = i }
        var digest = EventDigest()
        var next = 0, contacts = 0
        func addPostings(through id: Int64) {
            while next < postings.count, postings[next].id <= id {
                let p = postings[next]
                digest.addPosting(replicate: p.replicate, arm: arms[p.arm].name, posting: p.index, windowMicros: p.windowMicros, removed: p.removed)
                next += 1
            }
        }
        try database.forEachContact(run: run.id) { contact in
            addPostings(through: contact.posting)
            guard let i = index[contact.posting] else { return }
            let p = postings[i]
            let contactor: String
            if run.source == .observed {
                contactor = contact.contactor.flatMap { pseudonyms[$0] } ?? ""
            } else {
                contactor = contact.contactor.map { "\(arms[p.arm].population):\($0)" } ?? ""
            }
            digest.addContact(replicate: p.replicate, arm: arms[p.arm].name, posting: p.index, seq: contact.seq, micros: contact.micros,
                              channel: channels[contact.channel], contactor: contactor)
            contacts += 1
        }
        addPostings(through: .max)
        return (digest, contacts)
    }
}
