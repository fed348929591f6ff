import Foundation

/// Python with pandas, where the tests use it to read decoy's exports with `analysis/read_decoy.py`.
public enum PandasCheck {
    /// `python3` on the PATH when it imports pandas; `nil` with the reason otherwise.
    public static let python: (path: String?, reason: String) = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        guard let python = path.split(separator: ":").map({ "\($0)/python3" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return (nil, "python3 is not installed")
        }
        guard let result = try? TestProcess.run([python, "-c", "import pandas"], timeout: 120), result.status == 0 else {
            return (nil, "python3 cannot import pandas (pip install pandas)")
        }
        return (python, "")
    }()

    /// `true` when `DECOY_PANDAS_REQUIRED` is set (other than empty, `0` or `false`), as CI sets
    /// it: a missing pandas is then a failure rather than a reason to skip.
    public static var required: Bool {
        guard let value = ProcessInfo.processInfo.environment["DECOY_PANDAS_REQUIRED"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }
}
