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
/// pseudonym of observed ones. Lines are assembled byte by byte (no string formatting on the
/// hot path) and hashed in 64 KiB blocks.
public struct EventDigest: Sendable {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    public init() { buffer.reserveCapacity(1 << 16 + 256) }

    /// Adds a posting's line.
    public mutating func addPosting(replicate: Int, arm: String, posting: Int, windowMicros: Int64, removed: Bool) {
        buffer.append(UInt8(ascii: "P"))
        field(Int64(replicate)); field(arm); field(Int64(posting)); field(windowMicros)
        buffer.append(UInt8(ascii: ","))
        buffer.append(removed ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        endLine()
    }

    /// Adds a contact's line.
    public mutating func addContact(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String, contactor: String) {
        contactPrefix(replicate: replicate, arm: arm, posting: posting, seq: seq, micros: micros, channel: channel)
        buffer.append(UInt8(ascii: ","))
        buffer.append(contentsOf: contactor.utf8)
        endLine()
    }

    /// Adds a simulated contact's line, its contactor written as `<population>:<index>`.
    public mutating func addContact(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String, population: String, contactor: Int) {
        contactPrefix(replicate: replicate, arm: arm, posting: posting, seq: seq, micros: micros, channel: channel)
        field(population)
        buffer.append(UInt8(ascii: ":"))
        DecimalText.append(Int64(contactor), to: &buffer)
        endLine()
    }

    private mutating func contactPrefix(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String) {
        buffer.append(UInt8(ascii: "C"))
        field(Int64(replicate)); field(arm); field(Int64(posting)); field(Int64(seq)); field(micros); field(channel)
    }

    private mutating func field(_ text: String) {
        buffer.append(UInt8(ascii: ","))
        buffer.append(contentsOf: text.utf8)
    }

    private mutating func field(_ value: Int64) {
        buffer.append(UInt8(ascii: ","))
        DecimalText.append(value, to: &buffer)
    }

    private mutating func endLine() {
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 {
            hasher.update(data: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The lower-case hex digest of everything added.
    public mutating func finalize() -> String {
        hasher.update(data: buffer)
        buffer.removeAll()
        return Hex.string(hasher.finalize())
    }
}
