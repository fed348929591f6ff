/// The example experiment `decoy quickstart` runs: `experiments/quickstart.yaml`, built into the
/// binary from the package's file itself (the EmbedFiles plugin), so it needs nothing beside it.
public enum Examples {
    /// The file's name as users know it, for messages and provenance.
    public static let quickstartFile = "experiments/quickstart.yaml"

    /// The text of `experiments/quickstart.yaml`, byte for byte.
    public static var quickstartText: String { EmbeddedFiles.quickstart }
}
