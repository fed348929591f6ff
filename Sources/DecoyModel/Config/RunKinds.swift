/// Whether a run's contacts were simulated or observed in the field.
public enum RunSource: String, Sendable, Codable {
    case simulated, observed
}

/// A run's lifecycle state.
public enum RunStatus: String, Sendable, Codable {
    case running, complete, interrupted, failed
}

extension ExperimentConfig {
    /// Postings of a whole run: every arm's postings in every replicate.
    public var postingCount: Int { replicates * arms.reduce(0) { $0 + $1.postings } }
}
