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

    /// The stream of a randomization test's drawn re-assignments: label `decoy/v1/randomization`,
    /// then the seed and `numbers` (a power simulation adds its design, simulation and postings).
    public static func randomization(seed: UInt64, numbers: [UInt64] = []) -> Xoshiro256StarStar {
        make(label: "decoy/v1/randomization", seed: seed, numbers: numbers, name: "")
    }

    static func make(label: String, seed: UInt64, numbers: [UInt64], name: String) -> Xoshiro256StarStar {
        // The bytes are hashed as they are laid out above, without building an array of them:
        // power and coverage studies derive a stream for every posting of every simulation.
        var hasher = SHA256()
        var label = label, name = name
        label.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: seed.bigEndian) { hasher.update(bufferPointer: $0) }
        for value in numbers { withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) } }
        name.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let state = hasher.finalize().withUnsafeBytes { digest in
            (digest.loadUnaligned(fromByteOffset: 0, as: UInt64.self).littleEndian,
             digest.loadUnaligned(fromByteOffset: 8, as: UInt64.self).littleEndian,
             digest.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian,
             digest.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian)
        }
        return Xoshiro256StarStar(state: state == (0, 0, 0, 0) ? (1, 0, 0, 0) : state)
    }
}
