import Crypto

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
/// pseudonym of observed ones.
public struct EventDigest: Sendable {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []

    public init() { buffer.reserveCapacity(1 << 16) }

    /// Adds a posting's line.
    public mutating func addPosting(replicate: Int, arm: String, posting: Int, windowMicros: Int64, removed: Bool) {
        append("P,\(replicate),\(arm),\(posting),\(windowMicros),\(removed ? 1 : 0)\n")
    }

    /// Adds a contact's line.
    public mutating func addContact(replicate: Int, arm: String, posting: Int, seq: Int, micros: Int64, channel: String, contactor: String) {
        append("C,\(replicate),\(arm),\(posting),\(seq),\(micros),\(channel),\(contactor)\n")
    }

    private mutating func append(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        if buffer.count >= 1 << 16 {
            hasher.update(data: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// The lower-case hex digest of everything added.
    public mutating func finalize() -> String {
        hasher.update(data: buffer)
        buffer.removeAll()
        return hasher.finalize().map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}
