import Foundation

/// R, where the tests use it to run the scripts of `analysis/` on decoy's exports.
public enum RCheck {
    /// `Rscript` on the PATH, if any.
    public static var rscript: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/Rscript" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `true` when `DECOY_R_REQUIRED` is set (other than empty, `0` or `false`), as CI sets it: a
    /// missing R is then a failure rather than a reason to skip.
    public static var required: Bool {
        guard let value = ProcessInfo.processInfo.environment["DECOY_R_REQUIRED"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }
}
