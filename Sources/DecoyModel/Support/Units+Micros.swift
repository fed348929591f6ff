extension Units {
    /// Microseconds in one hour.
    public static let microsPerHour = 3.6e9

    /// Hours as whole microseconds, rounded to nearest: how durations and instants are stored.
    @inline(__always)
    public static func micros(hours: Double) -> Int64 { Int64((hours * microsPerHour).rounded()) }

    /// Whole microseconds as hours.
    @inline(__always)
    public static func hours(micros: Int64) -> Double { Double(micros) / microsPerHour }
}

/// Lower-case hexadecimal text of bytes (digests, pseudonyms).
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Units {
    /// Whole microseconds as exact decimal seconds (`12.000345`), as exports write them.
    public static func secondsText(micros: Int64) -> String {
        let sign = micros < 0 ? "-" : ""
        let magnitude = micros.magnitude
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
