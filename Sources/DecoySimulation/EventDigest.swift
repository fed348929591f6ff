import Crypto
import DecoyModel

/// SHA-256 of a run's canonical event stream, the fingerprint `rerun` checks.
///
/// The stream is UTF-8 text, one line per posting followed by one line per contact of that
/// posting, postings in canonical order (replicate, arm in config order, posting index):
///
///     P,<replicate>,<arm>,<posting>,<window_us>,<removed 0|1>\n
///     C,<replicate>,<arm>,<posting>,<seq>,<t_us>,<channel>,<contactor>\n
///
/// where `<arm>` and `<channel>` are names, times are whole microseconds since the posting
/// went live, and `<contactor>` is `<population>:<index>` for simulated contacts or the
/// pseudonym of observed ones. Lines are assembled byte by byte by ``EventLines`` (no string
/// formatting on the hot path) and hashed in 64 KiB blocks; lines written elsewhere, in
/// parallel, are hashed with ``add(_:in:)`` in canonical order.
public struct EventDigest: Sendable {
    private var hasher = SHA256()
    private var pending = EventLines(capacity: Self.block + 4096)
    /// The last arm named by text, encoded.
    private var lastArm: (text: String, name: EventName)?

    /// Bytes gathered before they are hashed.
    static let block = 1 << 16

    public init() {}

    /// Adds a posting's line.
    public mutating func addPosting(replicate: Int, arm: String, posting: Int, windowMicros: Int64, removed: Bool) {
        addPosting(replicate: replicate, arm: name(arm), posting: posting, windowMicros: windowMicros, removed: removed)
    }

    /// Adds a contact's line.
    public mutating func addContact(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String, contactor: String) {
        pending.useContactPrefix(replicate: replicate, arm: name(arm).utf8, posting: posting)
        var channel = channel, contactor = contactor
        channel.withUTF8 { channel in
            contactor.withUTF8 { contactor in
                pending.appendContact(seq: seq, micros: micros, channel: channel, contactor: contactor)
            }
        }
        hashIfFull()
    }

    /// Adds a simulated contact's line, its contactor written as `<population>:<index>`.
    public mutating func addContact(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String, population: String, contactor: Int) {
        pending.useContactPrefix(replicate: replicate, arm: name(arm).utf8, posting: posting)
        var channel = channel, population = population
        channel.withUTF8 { channel in
            population.withUTF8 { population in
                pending.appendContact(seq: seq, micros: micros, channel: channel, population: population, contactor: Int64(contactor))
            }
        }
        hashIfFull()
    }

    /// Adds a posting's line, its arm's name encoded.
    public mutating func addPosting(replicate: Int, arm: EventName, posting: Int, windowMicros: Int64, removed: Bool) {
        pending.appendPosting(replicate: replicate, arm: arm, posting: posting, windowMicros: windowMicros, removed: removed)
        hashIfFull()
    }

    /// Adds a contact's line, its names encoded.
    public mutating func addContact(replicate: Int, arm: EventName, posting: Int, seq: Int, micros: Int64, channel: EventName, contactor: EventName) {
        pending.appendContact(replicate: replicate, arm: arm, posting: posting, seq: seq, micros: micros, channel: channel, contactor: contactor)
        hashIfFull()
    }

    /// Adds a simulated contact's line, its names encoded and its contactor written as `<population>:<index>`.
    public mutating func addContact(replicate: Int, arm: EventName, posting: Int, seq: Int, micros: Int64, channel: EventName,
                                    population: EventName, contactor: Int64) {
        pending.appendContact(replicate: replicate, arm: arm, posting: posting, seq: seq, micros: micros, channel: channel,
                              population: population, contactor: contactor)
        hashIfFull()
    }

    /// Adds a simulated posting's line and its contacts' lines.
    public mutating func add(_ result: SimulatedPosting, names: EventNames) {
        pending.append(result, names: names)
        hashIfFull()
    }

    /// Adds lines written elsewhere: the bytes of `lines` in `range` (all of them by default),
    /// which must be whole lines of the stream, next in canonical order.
    public mutating func add(_ lines: EventLines, in range: Range<Int>? = nil) {
        hashPending()
        lines.withUnsafeBytes(in: range) { hasher.update(bufferPointer: $0) }
    }

    /// The lower-case hex digest of everything added.
    public mutating func finalize() -> String {
        hashPending()
        return Hex.string(hasher.finalize())
    }

    private mutating func name(_ arm: String) -> EventName {
        if let last = lastArm, last.text == arm { return last.name }
        let name = EventName(arm)
        lastArm = (arm, name)
        return name
    }

    private mutating func hashIfFull() {
        if pending.count >= Self.block { hashPending() }
    }

    private mutating func hashPending() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        pending.removeAll()
    }
}
