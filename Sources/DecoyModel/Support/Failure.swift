/// How a command ends when it fails: the process exit status of each kind of failure.
public enum ExitStatus: Int32, Sendable {
    /// Anything else: a store, a file or a run that refused or failed.
    case failure = 1
    /// The config (or an override of it) is invalid.
    case invalidConfig = 2
    /// `rerun` found a stored run that its config and seed no longer reproduce.
    case mismatch = 3
    /// A flag or argument is malformed (the BSD `EX_USAGE`).
    case usage = 64
    /// Stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
    case interrupted = 130
}

/// An error that knows how the command it stops ends: its message (``description``) and its
/// exit status. Every library error adopts it, so the command line prints the message after
/// `error:` and exits with the status, with no list of error types to recognise.
public protocol DecoyFailure: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

extension ConfigError {
    public var exitStatus: ExitStatus { .invalidConfig }
}
