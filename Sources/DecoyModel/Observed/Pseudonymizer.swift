import Crypto
import Foundation

/// Turns contact identifiers (phone numbers, e-mail addresses, handles) into keyed pseudonyms.
///
/// pseudonym = first 16 bytes, in hex, of HMAC-SHA-256(key, normalised identifier). Phone numbers
/// are normalised to E.164-style digits (`+` and digits only; a leading `00` becomes `+`), e-mail
/// addresses and other handles are trimmed and lower-cased. The same person maps to the same
/// pseudonym under the same key; without the key a pseudonym cannot be linked back.
public struct Pseudonymizer: Sendable {
    let key: SymmetricKey

    /// A pseudonymizer with the key's bytes; keys shorter than 16 bytes are refused.
    public init?(keyBytes: [UInt8]) {
        guard keyBytes.count >= 16 else { return nil }
        key = SymmetricKey(data: keyBytes)
    }

    /// Reads the key from `file` or, when `nil`, from `$DECOY_PSEUDONYM_KEY`; `nil` when neither
    /// is given. A file's trailing line break is not part of the key; an SQLite database is refused.
    public static func fromEnvironment(keyFile: String?) throws -> Pseudonymizer? {
        var bytes: [UInt8]
        if let keyFile {
            guard let data = FileManager.default.contents(atPath: keyFile) else {
                throw PseudonymError(message: "cannot read the key file \(keyFile)")
            }
            bytes = [UInt8](data)
            // A database (the `--db` file given by mistake) changes with every write: under it as
            // a key, the run could never be imported into again.
            if bytes.starts(with: Array("SQLite format 3\u{0}".utf8)) {
                throw PseudonymError(message: "the key file is an SQLite database (the database itself?), not a pseudonym key; give the file that holds the key")
            }
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        } else if let text = ProcessInfo.processInfo.environment["DECOY_PSEUDONYM_KEY"], !text.isEmpty {
            bytes = Array(text.utf8)
        } else {
            return nil
        }
        guard let pseudonymizer = Pseudonymizer(keyBytes: bytes) else {
            throw PseudonymError(message: "the pseudonym key must be at least 16 bytes (found \(bytes.count)); make one with `head -c 32 /dev/urandom | base64 > decoy.key`")
        }
        return pseudonymizer
    }

    /// The normalised form of an identifier, or `nil` if nothing identifying is left.
    public static func normalise(_ raw: String) -> String? {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if trimmed.contains("@"), !trimmed.hasPrefix("@") || trimmed.dropFirst().contains("@") { return trimmed.lowercased() }
        let phoneCharacters = CharacterSet(charactersIn: "+0123456789 ()-./")
        if trimmed.unicodeScalars.allSatisfy(phoneCharacters.contains), trimmed.contains(where: \.isNumber) {
            var digits = trimmed.filter(\.isNumber)
            if trimmed.hasPrefix("+") { return "+" + digits }
            if digits.hasPrefix("00") { digits.removeFirst(2); return "+" + digits }
            return "+" + digits
        }
        return trimmed.lowercased()
    }

    /// What a run stores to recognise its key: HMAC-SHA-256(key, ``fingerprintLabel``) in hex
    /// (64 characters). Two keys give the same fingerprint only if they are the same key; the key
    /// cannot be recovered from it, and no identifier enters it.
    public var keyFingerprint: String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array(Self.fingerprintLabel.utf8), using: key))
    }

    /// The fixed text a key's fingerprint authenticates. It starts with a line break, which
    /// ``normalise(_:)`` trims, so it is never an identifier's normalised form and no pseudonym
    /// equals a fingerprint's first bytes.
    static let fingerprintLabel = "\ndecoy pseudonym key fingerprint 1"

    /// The pseudonym of an identifier, or `nil` when it is empty after normalisation.
    public func pseudonym(of raw: String) -> String? {
        guard let normalised = Self.normalise(raw) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(normalised.utf8), using: key)
        return Hex.string(mac.prefix(16))
    }
}

/// A problem with the pseudonym key.
public struct PseudonymError: DecoyFailure {
    public var exitStatus: ExitStatus { .failure }
    public var message: String
    public var description: String { message }
}
