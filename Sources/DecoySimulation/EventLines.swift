import DecoyModel

/// Lines of the canonical event stream (see ``EventDigest``) written into one growable buffer.
///
/// Each line is written through a pointer after a single check for room, with its names
/// already encoded (``EventName``, ``EventNames``) and the part every contact line of a
/// posting shares, `C,<replicate>,<arm>,<posting>,`, encoded once per posting. Workers write
/// the lines of their postings in parallel; the digest hashes them afterwards in canonical order.
public struct EventLines: Sendable {
    /// Bytes written are `storage[0..<count]`; the rest is room for the next lines.
    private var storage: [UInt8]
    /// Bytes written.
    public private(set) var count = 0
    /// `C,<replicate>,<arm>,<posting>,` of the posting the contact lines belong to.
    private var prefix: [UInt8] = []
    private var prefixKey: (replicate: Int, posting: Int, arm: [UInt8])?

    /// An empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 1 << 16) {
        storage = [UInt8](repeating: 0, count: max(64, capacity))
    }

    /// Whether nothing has been written since creation or ``removeAll()``.
    public var isEmpty: Bool { count == 0 }

    /// The bytes written, as an array.
    public var bytes: [UInt8] { Array(storage[0..<count]) }

    /// Forgets the bytes written, keeping the room.
    public mutating func removeAll() { count = 0 }

    /// Calls `body` with the bytes written in `range` (every byte by default).
    public func withUnsafeBytes<R>(in range: Range<Int>? = nil, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let range = range ?? 0..<count
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "bytes \(range) of \(count) written")
        return try storage.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Adds a posting's line, `P,<replicate>,<arm>,<posting>,<window_us>,<removed 0|1>`; the
    /// contact lines that follow belong to it.
    public mutating func appendPosting(replicate: Int, arm: EventName, posting: Int, windowMicros: Int64, removed: Bool) {
        appendPosting(replicate: replicate, arm: arm.utf8, posting: posting, windowMicros: windowMicros, removed: removed)
    }

    /// Adds a contact's line, `C,<replicate>,<arm>,<posting>,<seq>,<t_us>,<channel>,<contactor>`.
    public mutating func appendContact(replicate: Int, arm: EventName, posting: Int, seq: Int, micros: Int64, channel: EventName, contactor: EventName) {
        useContactPrefix(replicate: replicate, arm: arm.utf8, posting: posting)
        channel.utf8.withUnsafeBufferPointer { channel in
            contactor.utf8.withUnsafeBufferPointer { contactor in
                appendContact(seq: seq, micros: micros, channel: channel, contactor: contactor)
            }
        }
    }

    /// Adds a simulated contact's line, its contactor written as `<population>:<index>`.
    public mutating func appendContact(replicate: Int, arm: EventName, posting: Int, seq: Int, micros: Int64, channel: EventName,
                                       population: EventName, contactor: Int64) {
        useContactPrefix(replicate: replicate, arm: arm.utf8, posting: posting)
        channel.utf8.withUnsafeBufferPointer { channel in
            population.utf8.withUnsafeBufferPointer { population in
                appendContact(seq: seq, micros: micros, channel: channel, population: population, contactor: contactor)
            }
        }
    }

    /// Adds a simulated posting's line and the lines of its contacts, with room made once.
    public mutating func append(_ result: SimulatedPosting, names: EventNames) {
        let arm = names.arms[result.plan.arm]
        appendPosting(replicate: result.plan.replicate, arm: arm.name, posting: result.plan.index,
                      windowMicros: result.windowMicros, removed: result.removed)
        let contacts = result.contacts
        guard !contacts.isEmpty else { return }
        // prefix, seq, `,`, time, segment, index, `\n`
        let line = prefix.count + 2 * LineCursor.maxDecimal + 1 + arm.longestSegment + LineCursor.maxDecimal + 1
        let prefix = self.prefix
        write(atMost: line * contacts.count) { start in
            prefix.withUnsafeBufferPointer { prefix in
                arm.segments.withUnsafeBufferPointer { segments in
                    arm.segmentStarts.withUnsafeBufferPointer { starts in
                        contacts.withUnsafeBufferPointer { contacts in
                            var out = LineCursor(start)
                            for seq in contacts.indices {
                                let contact = contacts[seq]
                                out.bytes(prefix)
                                out.decimal(UInt64(seq))
                                out.byte(UInt8(ascii: ","))
                                out.decimal(contact.micros)
                                out.bytes(UnsafeBufferPointer(rebasing: segments[starts[contact.channel]..<starts[contact.channel + 1]]))
                                out.decimal(Int64(contact.contactor))
                                out.byte(UInt8(ascii: "\n"))
                            }
                            return out.written(since: start)
                        }
                    }
                }
            }
        }
    }

    mutating func appendPosting(replicate: Int, arm: [UInt8], posting: Int, windowMicros: Int64, removed: Bool) {
        useContactPrefix(replicate: replicate, arm: arm, posting: posting)
        let prefix = self.prefix
        write(atMost: prefix.count + LineCursor.maxDecimal + 3) { start in
            var out = LineCursor(start)
            out.byte(UInt8(ascii: "P"))
            prefix.withUnsafeBufferPointer { out.bytes(UnsafeBufferPointer(rebasing: $0.dropFirst())) }
            out.decimal(windowMicros)
            out.byte(UInt8(ascii: ","))
            out.byte(removed ? UInt8(ascii: "1") : UInt8(ascii: "0"))
            out.byte(UInt8(ascii: "\n"))
            return out.written(since: start)
        }
    }

    /// Adds a contact's line to the posting of the last ``useContactPrefix(replicate:arm:posting:)``.
    mutating func appendContact(seq: Int, micros: Int64, channel: UnsafeBufferPointer<UInt8>, contactor: UnsafeBufferPointer<UInt8>) {
        let prefix = self.prefix
        write(atMost: prefix.count + 2 * LineCursor.maxDecimal + channel.count + contactor.count + 4) { start in
            var out = LineCursor(start)
            prefix.withUnsafeBufferPointer { out.contactHead(prefix: $0, seq: seq, micros: micros, channel: channel) }
            out.bytes(contactor)
            out.byte(UInt8(ascii: "\n"))
            return out.written(since: start)
        }
    }

    /// Adds a simulated contact's line to the posting of the last ``useContactPrefix(replicate:arm:posting:)``.
    mutating func appendContact(seq: Int, micros: Int64, channel: UnsafeBufferPointer<UInt8>, population: UnsafeBufferPointer<UInt8>, contactor: Int64) {
        let prefix = self.prefix
        write(atMost: prefix.count + 3 * LineCursor.maxDecimal + channel.count + population.count + 5) { start in
            var out = LineCursor(start)
            prefix.withUnsafeBufferPointer { out.contactHead(prefix: $0, seq: seq, micros: micros, channel: channel) }
            out.bytes(population)
            out.byte(UInt8(ascii: ":"))
            out.decimal(contactor)
            out.byte(UInt8(ascii: "\n"))
            return out.written(since: start)
        }
    }

    /// Makes `C,<replicate>,<arm>,<posting>,` the start of the contact lines that follow,
    /// encoding it only when the posting changes.
    mutating func useContactPrefix(replicate: Int, arm: [UInt8], posting: Int) {
        if let key = prefixKey, key.replicate == replicate, key.posting == posting, key.arm == arm { return }
        var line: [UInt8] = [UInt8(ascii: "C"), UInt8(ascii: ",")]
        DecimalText.append(Int64(replicate), to: &line)
        line.append(UInt8(ascii: ","))
        line += arm
        line.append(UInt8(ascii: ","))
        DecimalText.append(Int64(posting), to: &line)
        line.append(UInt8(ascii: ","))
        prefix = line
        prefixKey = (replicate, posting, arm)
    }

    /// Writes at most `bound` bytes after those written with `body`, which returns how many it wrote.
    private mutating func write(atMost bound: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        let needed = count + bound
        if needed > storage.count {
            storage.append(contentsOf: repeatElement(0, count: max(needed, 2 * storage.count) - storage.count))
        }
        let start = count
        let written = storage.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
        precondition(written <= bound, "a line overran the room made for it")
        count += written
    }
}
