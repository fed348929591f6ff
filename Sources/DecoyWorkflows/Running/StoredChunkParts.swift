import DecoySimulation
import DecoyStore

/// A simulated chunk as the workers leave it: each worker's rows and canonical lines for the
/// postings it simulated (positions `stripe`, `stripe + stripes`, … of the chunk), put in
/// canonical order by ``assemble(into:)``.
struct StoredChunkParts: Sendable {
    /// The canonical position one past the chunk's last posting.
    var end: Int
    var postingCount: Int
    var stripes: [Stripe]

    /// One worker's postings in stored form, in the order it simulated them.
    struct Stripe: Sendable {
        var postings: [PostingRecord] = []
        var contacts: [ContactRecord] = []
        /// For each posting, where its contacts end in `contacts`.
        var contactEnds: [Int] = []
        var lines: EventLines
        /// For each posting, where its lines end in `lines`.
        var lineEnds: [Int] = []

        /// A stripe with room for about `contacts` contacts.
        init(contacts: Int) {
            self.contacts.reserveCapacity(contacts)
            lines = EventLines(capacity: contacts * Self.bytesPerContact + 4096)
        }

        /// Bytes of a typical contact line, generously: sizes the room made up front.
        static let bytesPerContact = 56

        mutating func add(_ result: SimulatedPosting, id: Int64, form: StoredForm) {
            postings.append(form.posting(result, id: id))
            form.appendContacts(result, id: id, to: &contacts)
            contactEnds.append(contacts.count)
            lines.append(result, names: form.names)
            lineEnds.append(lines.count)
        }
    }

    /// The chunk's rows in canonical order, its lines added to `digest` in canonical order.
    func assemble(into digest: inout EventDigest) -> StoredChunk {
        if stripes.count == 1 {
            digest.add(stripes[0].lines)
            return StoredChunk(end: end, postings: stripes[0].postings, contacts: stripes[0].contacts)
        }
        var chunk = StoredChunk(end: end)
        chunk.postings.reserveCapacity(postingCount)
        chunk.contacts.reserveCapacity(stripes.reduce(0) { $0 + $1.contacts.count })
        for position in 0..<postingCount {
            let stripe = position % stripes.count, k = position / stripes.count
            chunk.postings.append(stripes[stripe].postings[k])
            let contacts = (k == 0 ? 0 : stripes[stripe].contactEnds[k - 1])..<stripes[stripe].contactEnds[k]
            chunk.contacts.append(contentsOf: stripes[stripe].contacts[contacts])
            digest.add(stripes[stripe].lines, in: (k == 0 ? 0 : stripes[stripe].lineEnds[k - 1])..<stripes[stripe].lineEnds[k])
        }
        return chunk
    }
}
