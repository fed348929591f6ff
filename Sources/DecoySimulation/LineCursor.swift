/// A write position in a line buffer with room checked beforehand: bytes, names and decimal
/// integers written without further checks.
struct LineCursor {
    var position: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

    /// Bytes written since `start`.
    func written(since start: UnsafeMutablePointer<UInt8>) -> Int { position - start }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        position.pointee = value
        position += 1
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress else { return }
        position.update(from: base, count: source.count)
        position += source.count
    }

    /// The decimal digits of `value`, with a leading `-` when negative (as ``DecimalText``).
    @inline(__always)
    mutating func decimal(_ value: Int64) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        decimal(value.magnitude)
    }

    /// The decimal digits of `value`, at most 20, written from the last two at a time.
    @inline(__always)
    mutating func decimal(_ value: UInt64) {
        let count = Self.digitCount(value)
        var end = position + count
        var rest = value
        while rest >= 100 {
            let quotient = rest / 100
            let pair = UInt8(truncatingIfNeeded: rest &- quotient &* 100)
            end -= 2
            end[0] = UInt8(ascii: "0") &+ pair / 10
            end[1] = UInt8(ascii: "0") &+ pair % 10
            rest = quotient
        }
        let last = UInt8(truncatingIfNeeded: rest)
        if last >= 10 {
            end[-2] = UInt8(ascii: "0") &+ last / 10
            end[-1] = UInt8(ascii: "0") &+ last % 10
        } else {
            end[-1] = UInt8(ascii: "0") &+ last
        }
        position += count
    }

    /// Writes a contact line up to its contactor: `prefix` (`C,<replicate>,<arm>,<posting>,`),
    /// `<seq>,<t_us>,<channel>,`.
    mutating func contactHead(prefix: UnsafeBufferPointer<UInt8>, seq: Int, micros: Int64, channel: UnsafeBufferPointer<UInt8>) {
        bytes(prefix)
        decimal(Int64(seq))
        byte(UInt8(ascii: ","))
        decimal(micros)
        byte(UInt8(ascii: ","))
        bytes(channel)
        byte(UInt8(ascii: ","))
    }

    /// Decimal digits of `value` (1 for 0): ⌊log₁₀ v⌋ + 1 from the bit length, as in
    /// Anderson's *Bit Twiddling Hacks*, "Find integer log base 10 of an integer".
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        let odd = value | 1   // same digits as `value`, and the zero case needs no branch
        let guess = ((64 - odd.leadingZeroBitCount) &* 1233) >> 12
        return guess &+ (odd >= powersOfTen[guess] ? 1 : 0)
    }

    /// The most bytes ``decimal(_:)-(Int64)`` writes: a sign and 19 digits, or 20 digits.
    static let maxDecimal = 20

    static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000,
        10_000_000_000_000_000_000,
    ]
}
