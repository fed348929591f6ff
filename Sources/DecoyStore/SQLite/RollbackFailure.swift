public import DecoyModel

/// A transaction failed and so did its rollback: the first error, which is what went wrong, and
/// the rollback's beside it (the file's last committed state is still intact: SQLite restores it
/// from the journal when it is next opened).
public struct RollbackFailure: DecoyFailure, Sendable {
    /// The message of the error that ended the transaction.
    public let first: String
    /// The exit status that error gives.
    public let firstStatus: ExitStatus
    /// The rollback's own failure.
    public let rollback: SQLiteError

    init(first: any Error, rollback: SQLiteError) {
        self.first = "\(first)"
        self.firstStatus = (first as? any DecoyFailure)?.exitStatus ?? .failure
        self.rollback = rollback
    }

    public var exitStatus: ExitStatus { firstStatus }

    public var description: String { "\(first) (and rolling the transaction back failed too: \(rollback))" }
}
