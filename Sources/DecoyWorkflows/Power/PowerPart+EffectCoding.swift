import Foundation

extension PowerPart {
    /// Finite doubles as a compact, exact text: sorted by their order-preserving 64-bit key (the
    /// bit pattern with the sign bit set for a positive value and every bit flipped for a negative
    /// one, so keys order as the values do and −0 before +0), the differences of successive keys
    /// as LEB128 varints, in base64. Sorted estimates a few ulps apart cost about 5 bytes each.
    enum EffectCoding {
        static let sign: UInt64 = 1 << 63

        static func key(_ x: Double) -> UInt64 {
            let bits = x.bitPattern
            return bits & sign != 0 ? ~bits : bits | sign
        }

        static func value(_ key: UInt64) -> Double {
            Double(bitPattern: key & sign != 0 ? key & ~sign : ~key)
        }

        static func encode(_ values: [Double]) -> String {
            let keys = values.map(key).sorted()
            var bytes: [UInt8] = []
            bytes.reserveCapacity(keys.count * 6)
            var previous: UInt64 = 0
            for k in keys {
                var delta = k - previous
                previous = k
                while delta >= 0x80 {
                    bytes.append(UInt8(delta & 0x7F) | 0x80)
                    delta >>= 7
                }
                bytes.append(UInt8(delta))
            }
            return Data(bytes).base64EncodedString()
        }

        /// The `count` values of `text`, ascending, or `nil` when it is not the coding of exactly
        /// `count` finite values.
        static func decode(_ text: String, count: Int) -> [Double]? {
            guard count >= 0, let data = Data(base64Encoded: text) else { return nil }
            var values: [Double] = []
            values.reserveCapacity(min(count, data.count))
            var key: UInt64 = 0, delta: UInt64 = 0, shift: UInt64 = 0
            for byte in data {
                guard shift < 64 else { return nil }
                delta |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 != 0 {
                    shift += 7
                    continue
                }
                let (sum, overflow) = key.addingReportingOverflow(delta)
                guard !overflow, values.count < count else { return nil }
                key = sum
                let x = value(key)
                guard x.isFinite else { return nil }
                values.append(x)
                delta = 0
                shift = 0
            }
            guard shift == 0, values.count == count else { return nil }
            return values
        }
    }
}
