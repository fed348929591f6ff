import DecoyModel
public import DecoyStore
import Foundation

/// The version of this tool, stored with every run.
public let decoyVersion = "0.1.0"

extension Provenance {
    /// Where this process runs: tool and compiler versions, operating system, host and pid.
    public static var current: Provenance {
        Provenance(
            toolVersion: decoyVersion, swiftVersion: compilerVersion,
            os: ProcessInfo.processInfo.operatingSystemVersionString, host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier))
    }

    static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "6.1"
        #endif
    }
}

/// ISO-8601 UTC text of the current instant, to the microsecond.
func nowText() -> String {
    let micros = Int64((Date().timeIntervalSince1970 * 1e6).rounded())
    return Timestamp(microseconds: micros).utcText
}
