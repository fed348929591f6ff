public import DecoyModel
public import DecoyStore

/// The one way a stored run's config is loaded: its resolved config, refused when it no longer
/// loads or no longer hashes to the stored `config sha256` (then it was altered and nothing
/// derived from it can be trusted).
public enum StoredConfig {
    public static func load(_ run: RunRecord, purpose: ConfigLoader.Purpose? = nil) throws -> LoadedConfig {
        let purpose = purpose ?? (run.source == .simulated ? .simulation : .observation)
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(text: run.resolvedConfig, file: "run \(run.id) resolved config", purpose: purpose)
        } catch {
            throw StoredConfigError.unreadable(run: run.id, problems: error)
        }
        guard loaded.sha256 == run.configSHA256 else {
            throw StoredConfigError.altered(run: run.id, stored: run.configSHA256, found: loaded.sha256)
        }
        return loaded
    }
}

/// A stored config that cannot be trusted.
public enum StoredConfigError: DecoyFailure {
    case unreadable(run: Int64, problems: ConfigError)
    case altered(run: Int64, stored: String, found: String)

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        switch self {
        case let .unreadable(run, problems):
            return "the stored resolved config of run \(run) no longer loads:\n\(problems)"
        case let .altered(run, stored, found):
            return "the stored resolved config of run \(run) does not match its stored sha256 \(stored) (it hashes to \(found)): the config was altered"
        }
    }
}
