public import DecoyStore
import Foundation

/// Whether a run marked `running` still has a live writer, judged without that process's help.
public enum RunLiveness {
    /// `false` when the run was started on this host by a process that no longer exists;
    /// `true` when its process is alive or it was started on another host (which cannot be checked).
    public static func writerIsAlive(_ run: RunRecord) -> Bool {
        guard run.provenance.host == ProcessInfo.processInfo.hostName else { return true }
        if run.provenance.pid == Int(ProcessInfo.processInfo.processIdentifier) { return true }
        return kill(pid_t(run.provenance.pid), 0) == 0 || errno == EPERM
    }

    /// The status to show: a `running` run whose writer is gone is `interrupted`.
    public static func effectiveStatus(_ run: RunRecord) -> RunStatus {
        run.status == .running && !writerIsAlive(run) ? .interrupted : run.status
    }
}
