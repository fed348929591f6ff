/// Decimal digits appended to a byte buffer without formatting: the one writer behind the event
/// digest, the events export and timestamps, whose bytes must agree exactly.
public enum DecimalText {
    /// Appends the decimal digits of `value`, with a leading `-` when negative.
    @inlinable @inline(__always)
    public static func append(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        guard magnitude > 0 else {
            out.append(UInt8(ascii: "0"))
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)   // room for the 20 digits of UInt64.max
        var count = 0
        withUnsafeMutableBytes(of: &scratch) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(raw[i]) }
        }
    }

    /// Appends the last `width` decimal digits of `value` ≥ 0, zero-padded (`07`, `000345`).
    @inlinable @inline(__always)
    public static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
