public import DecoyModel

/// Why a stored run cannot be rerun, resumed or taken over as asked.
public enum RunStateError: SettingFailure, Equatable {
    /// The run holds observed field data; only simulated runs are re-simulated or resumed.
    case observed(run: Int64, action: String)
    /// `rerun` compares finished runs only.
    case notComplete(run: Int64, status: RunStatus)
    /// `resume` of a run that finished.
    case complete(run: Int64)
    /// The run's postings are not the first k of its plan, so the rest cannot be appended.
    case notAPrefix(run: Int64)
    /// A live process on this host writes the run.
    case liveWriter(run: Int64, pid: Int, host: String)
    /// A process on another host was writing the run; only a forced takeover (``Setting/force``) takes it over.
    case otherHost(run: Int64, pid: Int, host: String)

    public var exitStatus: ExitStatus { .failure }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .observed(run, action):
            return "run \(run) holds observed field data; only simulated runs can be \(action)"
        case let .notComplete(run, status):
            return "run \(run) is \(status.rawValue), not complete; only finished runs can be compared"
        case let .complete(run):
            return "run \(run) is complete; nothing to resume"
        case let .notAPrefix(run):
            return "run \(run) does not hold a prefix of its postings; it cannot be resumed (delete it and run again)"
        case let .liveWriter(run, pid, host):
            return "run \(run) is being written by process \(pid) on host \(host) (this host, still alive); wait for it to finish or stop it"
        case let .otherHost(run, pid, host):
            return "run \(run) is marked running by process \(pid) on host \(host), which cannot be checked from this host; if that process is gone, take the run over with \(name(.force))"
        }
    }
}
