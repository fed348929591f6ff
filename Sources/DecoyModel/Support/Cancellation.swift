import Foundation

/// A request to stop long work, made from outside it (a signal handler, a test) and honoured by
/// the work at its next check.
///
/// A command creates one and hands it down through the library's arguments; long loops call
/// ``check()`` (or read ``isCancelled`` on worker threads and stop) every few milliseconds of
/// work. Reading it takes a lock, tens of nanoseconds, so a loop checks it once per posting,
/// simulation or chunk, never per contact.
public final class Cancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var signalled: Int32?

    public init() {}

    /// A token nobody cancels, for work that cannot be interrupted (tests, library callers
    /// without a signal handler).
    public static var never: Cancellation { Cancellation() }

    /// Asks the work to stop, as SIGINT would.
    public func cancel() { cancel(signal: SIGINT) }

    /// Asks the work to stop; `signal` is the signal that asked.
    public func cancel(signal: Int32) {
        lock.lock()
        if signalled == nil { signalled = signal }
        lock.unlock()
    }

    /// The signal that cancelled the work, or `nil` while it may go on.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signalled
    }

    public var isCancelled: Bool { signal != nil }

    /// Throws ``Cancelled`` once the work has been cancelled.
    public func check() throws(Cancelled) {
        if let signal { throw Cancelled(signal: signal) }
    }
}

/// Work stopped by a signal before it finished; nothing it would have written was written.
public struct Cancelled: DecoyFailure, Equatable {
    public var signal: Int32
    public init(signal: Int32) { self.signal = signal }
    public var exitStatus: ExitStatus { .interrupted }
    public var description: String { "interrupted by signal \(signal) before the work finished; nothing was written" }
}
