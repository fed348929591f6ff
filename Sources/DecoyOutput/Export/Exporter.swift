import DecoyModel
public import DecoyStore
import DecoyWorkflows

/// Writes a stored run's raw tables as CSV (docs/outputs.md), streaming contacts in storage order.
public enum Exporter {
    /// The tables `decoy export` writes.
    public enum Table: String, Sendable, CaseIterable {
        case events, postings, intervals
    }

    /// SPEC §5's columns, then `t_hours` (hours since the posting went live, as `curves` counts
    /// time) and `at_local` (the instant `at` in the offset of the config's `start`), added after
    /// them so that a reader by position still finds SPEC's columns where SPEC puts them.
    public static let eventColumns = ["run_id", "replicate", "arm", "posting", "seq", "t_seconds", "at", "channel", "contactor", "t_hours", "at_local"]

    /// SPEC §5's fixed columns, then `posted_at_local` (`posted_at` in the offset of the config's
    /// `start`); the `attr_<name>` columns follow, last as SPEC has them.
    public static let postingColumns = ["run_id", "replicate", "arm", "posting", "posted_at", "observed_hours", "removed", "contacts",
                                        "first_contact_hours", "unique_contactors", "posted_at_local"]

    /// One line per contact, in ``eventColumns``.
    ///
    /// Lines are assembled as bytes: the fields shared by a posting's contacts once per posting,
    /// numbers and timestamps digit by digit.
    public static func writeEvents(of run: RunRecord, in database: Database, to sink: OutputSink) throws {
        let arms = try database.arms(run: run.id)
        let channels = try database.channels(run: run.id).map { Array(CSV.field($0).utf8) }
        let postings = try database.postings(run: run.id)
        let pseudonyms = run.source == .observed ? try database.pseudonyms(run: run.id) : [:]
        var slot: [Int64: Int] = [:]
        for (index, posting) in postings.enumerated() { slot[posting.id] = index }
        try sink.line(CSV.row(eventColumns))
        // Simulated contactors are `population:number`; the prefix is written once per arm unless
        // the population's name needs quoting.
        let contactorPrefix: [[UInt8]?] = arms.map { arm in
            let prefix = arm.population + ":"
            return CSV.field(prefix) == prefix ? Array(prefix.utf8) : nil
        }
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
        var current = -1
        var prefix: [UInt8] = []
        var postedAt: Int64 = 0
        var clock = Timestamp.UTCWriter()
        var localClock = Timestamp.OffsetWriter(utcOffsetSeconds: StoredRun.utcOffset(of: run))
        // The store wraps what its callback throws; the sink's own error (an interruption, a full
        // disk) is kept and rethrown as it was.
        var sinkFailure: (any Error)?
        do {
            try database.forEachContact(run: run.id) { contact in
                guard let index = slot[contact.posting] else { return }
                let posting = postings[index]
                let arm = arms[posting.arm]
                if index != current {
                    current = index
                    postedAt = posting.postedAtMicros
                    prefix = Array(CSV.row([String(run.id), String(posting.replicate), arm.name, posting.label ?? String(posting.index)]).utf8)
                    prefix.append(comma)
                }
                do {
                    try sink.append { out in
                        out.append(contentsOf: prefix)
                        DecimalText.append(Int64(contact.seq), to: &out)
                        out.append(comma)
                        appendSeconds(contact.micros, to: &out)
                        out.append(comma)
                        clock.append(microseconds: postedAt + contact.micros, to: &out)
                        out.append(comma)
                        if channels.indices.contains(contact.channel) {
                            out.append(contentsOf: channels[contact.channel])
                        } else {
                            out.append(contentsOf: "#\(contact.channel)".utf8)
                        }
                        out.append(comma)
                        if let contactor = contact.contactor {
                            if run.source == .observed {
                                out.append(contentsOf: CSV.field(pseudonyms[contactor] ?? "").utf8)
                            } else if let known = contactorPrefix[posting.arm] {
                                out.append(contentsOf: known)
                                DecimalText.append(contactor, to: &out)
                            } else {
                                out.append(contentsOf: CSV.field("\(arm.population):\(contactor)").utf8)
                            }
                        }
                        out.append(comma)
                        appendNumber(Units.hours(micros: contact.micros), to: &out)
                        out.append(comma)
                        localClock.append(microseconds: postedAt + contact.micros, to: &out)
                        out.append(newline)
                    }
                } catch {
                    sinkFailure = error
                    throw error
                }
            }
        } catch {
            throw sinkFailure ?? error
        }
    }

    /// Appends whole microseconds as exact decimal seconds (`12.000345`), as `Units.secondsText(micros:)`.
    @inline(__always)
    static func appendSeconds(_ micros: Int64, to out: inout [UInt8]) {
        if micros < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = micros.magnitude
        DecimalText.append(Int64(magnitude / 1_000_000), to: &out)
        out.append(UInt8(ascii: "."))
        DecimalText.append(Int(magnitude % 1_000_000), width: 6, to: &out)
    }

    /// Appends `CSV.number(value)`, the shortest text that reads back as `value`, without building
    /// it by interpolation: the bulk form for `t_hours`, one per contact.
    @inline(__always)
    static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { return }
        if value == value.rounded(), abs(value) < 1e15 {
            DecimalText.append(Int64(value), to: &out)
            return
        }
        var text = value.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// One line per posting in ``postingColumns`` and its attributes: its window, contact count,
    /// first contact and distinct contactors.
    public static func writePostings(of run: RunRecord, in database: Database, to sink: OutputSink) throws {
        let arms = try database.arms(run: run.id)
        let postings = try database.postings(run: run.id)
        let attributeNames = Set(arms.flatMap { $0.attributes.map(\.0) } + postings.flatMap { $0.attributes.map(\.0) }).sorted()
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
        let offset = StoredRun.utcOffset(of: run)
        try sink.line(CSV.row(postingColumns + attributeNames.map { "attr_\($0)" }))
        for (index, posting) in postings.enumerated() {
            let arm = arms[posting.arm]
            let attributes = Dictionary(arm.attributes + posting.attributes, uniquingKeysWith: { a, _ in a })
            try sink.line(CSV.row([
                String(run.id), String(posting.replicate), arm.name, posting.label ?? String(posting.index),
                Timestamp(microseconds: posting.postedAtMicros).utcText, CSV.number(Units.hours(micros: posting.windowMicros)),
                posting.removed ? "1" : "0", String(counts[index]), CSV.number(first[index].map(Units.hours(micros:))),
                String(unique[index]), Timestamp(microseconds: posting.postedAtMicros, utcOffsetSeconds: offset).offsetText,
            ] + attributeNames.map { attributes[$0] ?? "" }))
        }
    }
}
