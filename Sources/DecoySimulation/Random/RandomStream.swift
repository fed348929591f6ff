import Crypto

/// Derivation of the independent random streams of a run from its seed.
///
/// Each stream is a ``Xoshiro256StarStar`` whose 256-bit state is the SHA-256 digest of a
/// label: the UTF-8 bytes of `decoy/v1/posting`, a zero byte, the seed, the replicate (1-based)
/// and the posting index as 8-byte big-endian integers, and the arm's name in UTF-8, in the order
/// `label 0 seed replicate posting-index arm-name`. The digest's four 8-byte words, read
/// little-endian, are the state words s₀…s₃. A stream depends only on those values, so adding,
/// removing or reordering arms changes no other arm's events.
public enum RandomStream {
    /// The stream of one posting.
    public static func posting(seed: UInt64, replicate: Int, arm: String, index: Int) -> Xoshiro256StarStar {
        make(label: "decoy/v1/posting", seed: seed, numbers: [UInt64(replicate), UInt64(index)], name: arm)
    }

    /// The stream of one population in one replicate.
    public static func population(seed: UInt64, replicate: Int, name: String) -> Xoshiro256StarStar {
        make(label: "decoy/v1/population", seed: seed, numbers: [UInt64(replicate)], name: name)
    }

    static func make(label: String, seed: UInt64, numbers: [UInt64], name: String) -> Xoshiro256StarStar {
        var bytes = Array(label.utf8)
        bytes.append(0)
        for value in [seed] + numbers {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }
        bytes.append(contentsOf: name.utf8)
        let digest = Array(SHA256.hash(data: bytes))
        func word(_ k: Int) -> UInt64 {
            (0..<8).reduce(0) { $0 | UInt64(digest[k * 8 + $1]) << (8 * UInt64($1)) }
        }
        let state = (word(0), word(1), word(2), word(3))
        return Xoshiro256StarStar(state: state == (0, 0, 0, 0) ? (1, 0, 0, 0) : state)
    }
}
