public import DecoyModel
import Foundation

/// The example experiment `decoy quickstart` runs: `experiments/quickstart.yaml`, shipped with
/// the tool as a resource (the package's file itself, not a copy).
public enum Examples {
    /// The file's name as users know it, for messages and provenance.
    public static let quickstartFile = "experiments/quickstart.yaml"

    /// The text of `experiments/quickstart.yaml`.
    public static func quickstartText() throws -> String {
        guard let url = Bundle.module.url(forResource: "quickstart", withExtension: "yaml") else {
            throw ResourceMissing(name: quickstartFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

/// A resource the tool ships with is not beside the binary.
public struct ResourceMissing: DecoyFailure {
    public var exitStatus: ExitStatus { .failure }
    public var name: String
    public var description: String { "the built-in \(name) is missing from the tool's resources (reinstall or rebuild decoy)" }
}
