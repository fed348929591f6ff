import DecoyModel
public import DecoyStore

/// Writes a stored run's raw tables as CSV (SPEC §5), streaming contacts in storage order.
public enum Exporter {
    /// The tables `decoy export` writes.
    public enum Table: String, Sendable, CaseIterable {
        case events, postings
    }

    public static let eventColumns = ["run_id", "replicate", "arm", "posting", "seq", "t_seconds", "at", "channel", "contactor"]

    /// One line per contact: `run_id,replicate,arm,posting,seq,t_seconds,at,channel,contactor`.
    public static func writeEvents(of run: RunRecord, in database: Database, to sink: OutputSink) throws {
        let arms = try database.arms(run: run.id)
        let channels = try database.channels(run: run.id)
        let postings = try database.postings(run: run.id)
        let pseudonyms = run.source == .observed ? try database.pseudonyms(run: run.id) : [:]
        var slot: [Int64: Int] = [:]
        for (index, posting) in postings.enumerated() { slot[posting.id] = index }
        try sink.line(CSV.row(eventColumns))
        let runText = String(run.id)
        try database.forEachContact(run: run.id) { contact in
            guard let index = slot[contact.posting] else { return }
            let posting = postings[index]
            let arm = arms[posting.arm]
            let contactor = contact.contactor.map { run.source == .observed ? pseudonyms[$0] ?? "" : "\(arm.population):\($0)" } ?? ""
            try sink.line(CSV.row([
                runText, String(posting.replicate), arm.name, posting.label ?? String(posting.index), String(contact.seq),
                seconds(contact.micros), Timestamp(microseconds: posting.postedAtMicros + contact.micros).utcText,
                channels[contact.channel], contactor,
            ]))
        }
    }

    /// One line per posting, with its window, contact count, first contact and distinct contactors.
    public static func writePostings(of run: RunRecord, in database: Database, to sink: OutputSink) throws {
        let arms = try database.arms(run: run.id)
        let postings = try database.postings(run: run.id)
        let attributeNames = Set(arms.flatMap { $0.attributes.map(\.0) }).sorted()
        var slot: [Int64: Int] = [:]
        for (index, posting) in postings.enumerated() { slot[posting.id] = index }
        var counts = [Int](repeating: 0, count: postings.count)
        var first = [Int64?](repeating: nil, count: postings.count)
        var unique = [Int](repeating: 0, count: postings.count)
        var current: Int64 = -1
        var seen: Set<Int64> = []
        try database.forEachContact(run: run.id) { contact in
            guard let index = slot[contact.posting] else { return }
            if contact.posting != current {
                current = contact.posting
                seen.removeAll(keepingCapacity: true)
            }
            counts[index] += 1
            if first[index] == nil { first[index] = contact.micros }
            if let contactor = contact.contactor, seen.insert(contactor).inserted { unique[index] += 1 }
        }
        try sink.line(CSV.row(["run_id", "replicate", "arm", "posting", "posted_at", "observed_hours", "removed", "contacts",
                               "first_contact_hours", "unique_contactors"] + attributeNames.map { "attr_\($0)" }))
        for (index, posting) in postings.enumerated() {
            let arm = arms[posting.arm]
            let attributes = Dictionary(arm.attributes, uniquingKeysWith: { a, _ in a })
            try sink.line(CSV.row([
                String(run.id), String(posting.replicate), arm.name, posting.label ?? String(posting.index),
                Timestamp(microseconds: posting.postedAtMicros).utcText, CSV.number(Double(posting.windowMicros) / 3.6e9),
                posting.removed ? "1" : "0", String(counts[index]), CSV.number(first[index].map { Double($0) / 3.6e9 }),
                String(unique[index]),
            ] + attributeNames.map { attributes[$0] ?? "" }))
        }
    }

    /// Whole microseconds as exact decimal seconds (`12.000345`).
    static func seconds(_ micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
