import DecoyModel
public import DecoyStore
import Foundation

extension Provenance {
    /// Where this process runs: tool and compiler versions, operating system, host and pid.
    public static var current: Provenance {
        Provenance(
            toolVersion: decoyVersion, swiftVersion: compilerVersion,
            os: ProcessInfo.processInfo.operatingSystemVersionString, host: ProcessInfo.processInfo.hostName,
            pid: Int(ProcessInfo.processInfo.processIdentifier), processStart: processStart(of: ProcessInfo.processInfo.processIdentifier) ?? "")
    }

    /// `<boot id>:<start time in clock ticks>` of a process, from `/proc`; `nil` if it is gone
    /// or `/proc` is not there.
    static func processStart(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces); start time is field 22 overall.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return "\(boot):\(fields[19])"
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
