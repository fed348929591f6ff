public import DecoyModel
public import DecoyStore
import Foundation

/// Whether a run marked `running` still has a live writer, judged without that process's help.
public enum RunLiveness {
    /// `false` when the run was started on this host by a process that no longer exists;
    /// `true` when its process is alive or it was started on another host (which cannot be checked).
    public static func writerIsAlive(_ run: RunRecord) -> Bool {
        guard run.provenance.host == ProcessInfo.processInfo.hostName else { return true }
        let pid = pid_t(run.provenance.pid)
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie has exited; only its parent has not collected it yet.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")"),
           let state = stat[stat.index(after: close)...].split(separator: " ").first, state == "Z" || state == "X" {
            return false
        }
        // The pid exists; it is the writer only if it is the same process (not a reused pid).
        guard !run.provenance.processStart.isEmpty, let start = Provenance.processStart(of: pid) else { return true }
        return start == run.provenance.processStart
    }

    /// The status to show: a `running` run whose writer is gone is `interrupted`.
    public static func effectiveStatus(_ run: RunRecord) -> RunStatus {
        run.status == .running && !writerIsAlive(run) ? .interrupted : run.status
    }
}

extension RunLiveness {
    /// Refuses to let this process take over `run` (resume or delete it) while its writer may be
    /// alive: a live process on this host is never overridden; a run marked `running` by another
    /// host, which cannot be checked from here, is taken over only with `force` — the user's word
    /// that the writer is gone.
    public static func checkTakeover(_ run: RunRecord, force: Bool) throws {
        guard run.status == .running else { return }
        if run.provenance.host == ProcessInfo.processInfo.hostName {
            guard !writerIsAlive(run) else {
                throw RunStateError.liveWriter(run: run.id, pid: run.provenance.pid, host: run.provenance.host)
            }
            return
        }
        guard force else {
            throw RunStateError.otherHost(run: run.id, pid: run.provenance.pid, host: run.provenance.host)
        }
    }
}
