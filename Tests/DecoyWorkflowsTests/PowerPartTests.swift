import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyWorkflows

/// The coding of a power part's effect estimates: exact, order-free, and refusing what it did not write.
@Suite struct PowerPartTests {
    /// Seeded doubles over many magnitudes and both signs, zeros of both signs and subnormals.
    static func values(seed: UInt64, count: Int) -> [Double] {
        var rng = SplitMixForTests(seed: seed)
        var values: [Double] = [0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for _ in 0..<count {
            let unit = Double(rng.next() >> 11) * 0x1p-53
            let scale = Double(sign: rng.next() & 1 == 0 ? .plus : .minus, exponent: Int(rng.next() % 40) - 20, significand: 1)
            values.append(unit * scale)
        }
        return values
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func effectsDecodeToTheSameBitsSortedWhateverTheirOrder(seed: UInt64) throws {
        let values = Self.values(seed: seed, count: 5000)
        let text = PowerPart.EffectCoding.encode(values)
        #expect(PowerPart.EffectCoding.encode(values.reversed()) == text)
        let decoded = try #require(PowerPart.EffectCoding.decode(text, count: values.count))
        let keys = values.map(PowerPart.EffectCoding.key).sorted()
        #expect(decoded.map(\.bitPattern) == keys.map { PowerPart.EffectCoding.value($0).bitPattern })
        #expect(decoded.map(\.bitPattern).sorted() == values.map(\.bitPattern).sorted())
        #expect(zip(decoded, decoded.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func anEmptyListIsAnEmptyText() {
        #expect(PowerPart.EffectCoding.encode([]) == "")
        #expect(PowerPart.EffectCoding.decode("", count: 0) == [])
    }

    @Test func aTextItDidNotWriteIsRefused() throws {
        let valid = PowerPart.EffectCoding.encode([1.0, 2.0])
        #expect(PowerPart.EffectCoding.decode(valid, count: 2) == [1.0, 2.0])
        let bytes = try #require(Data(base64Encoded: valid))
        let refused: [(String, Int)] = [
            (valid, 1), (valid, 3), (valid, -1), ("not base64!", 1),
            (Data(bytes.dropLast()).base64EncodedString(), 2),   // a varint cut short
            ("AQ==", 1),                                          // key 1: a NaN
            (Data(repeating: 0xFF, count: 11).base64EncodedString(), 1),   // a varint past 64 bits
        ]
        for (text, count) in refused { #expect(PowerPart.EffectCoding.decode(text, count: count) == nil, "\(text) \(count)") }
    }
}
