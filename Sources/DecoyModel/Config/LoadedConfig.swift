import Crypto

/// A validated config with the text it came from and its canonical resolved form.
public struct LoadedConfig: Sendable, Equatable {
    /// The validated experiment.
    public var config: ExperimentConfig
    /// The file's text as read.
    public var text: String
    /// The `--set` overrides applied to it, in order.
    public var overrides: [Override]

    public init(config: ExperimentConfig, text: String, overrides: [Override] = []) {
        self.config = config
        self.text = text
        self.overrides = overrides
    }

    /// The resolved config as compact canonical JSON (itself a valid config).
    public var resolvedText: String { config.resolvedJSON.compact }

    /// Lower-case hex SHA-256 of ``resolvedText``'s UTF-8 bytes.
    public var sha256: String { Digest.hex(of: resolvedText) }
}

/// SHA-256 helpers shared by the config and the event digests.
public enum Digest {
    /// Lower-case hex SHA-256 of a text's UTF-8 bytes.
    public static func hex(of text: String) -> String {
        hex(SHA256.hash(data: Array(text.utf8)))
    }

    static func hex(_ digest: SHA256.Digest) -> String { Hex.string(digest) }
}
