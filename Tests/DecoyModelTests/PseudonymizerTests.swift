import Testing
@testable import DecoyModel

@Suite struct PseudonymizerTests {
    static let key = Array("0123456789abcdef".utf8)

    /// Reference values from Python's `hmac`:
    /// `hmac.new(b'0123456789abcdef', b'\ndecoy pseudonym key fingerprint 1', hashlib.sha256).hexdigest()`
    /// and the first 32 hex digits of the same under `b'+447700900123'`.
    @Test func fingerprintAndPseudonymAreHMACSHA256AsPythonComputesThem() throws {
        let pseudonymizer = try #require(Pseudonymizer(keyBytes: Self.key))
        #expect(pseudonymizer.keyFingerprint == "ce26dd8196584cfc1e67aa649d622ebff3257d9c5e1a91d8cc79e445fae705cc")
        #expect(pseudonymizer.pseudonym(of: "+44 7700 900123") == "de25ad2d30002ddbba5e385283e14505")
    }

    @Test func theFingerprintTellsKeysApartAndHoldsNothingOfTheKey() throws {
        let one = try #require(Pseudonymizer(keyBytes: Self.key))
        let same = try #require(Pseudonymizer(keyBytes: Self.key))
        let other = try #require(Pseudonymizer(keyBytes: Array("0123456789abcdeg".utf8)))
        #expect(one.keyFingerprint == same.keyFingerprint)
        #expect(one.keyFingerprint != other.keyFingerprint)
        #expect(!one.keyFingerprint.contains(Hex.string(Self.key.prefix(4))) && !one.keyFingerprint.contains("0123"))
    }

    /// The label starts with a line break, which normalisation trims: no identifier's pseudonym is
    /// a prefix of the fingerprint.
    @Test func noIdentifierPseudonymisesToTheFingerprint() throws {
        let pseudonymizer = try #require(Pseudonymizer(keyBytes: Self.key))
        for spelling in [Pseudonymizer.fingerprintLabel, "decoy pseudonym key fingerprint 1", " \n" + Pseudonymizer.fingerprintLabel] {
            let pseudonym = try #require(pseudonymizer.pseudonym(of: spelling))
            #expect(!pseudonymizer.keyFingerprint.hasPrefix(pseudonym))
        }
    }
}
