public import DecoyModel
import Dispatch
import Foundation

/// SIGINT and SIGTERM turned into the cancellation of the command's work: the signal handler
/// cancels ``cancellation``, which the command hands to the library, so that long work stops at
/// its next check and an interrupted run is marked `interrupted` instead of being cut mid-write.
public final class Interruption: @unchecked Sendable {
    /// The process's handler: signals are the process's, so there is one.
    public static let shared = Interruption()

    /// Cancelled by the first SIGINT or SIGTERM.
    public let cancellation = Cancellation()

    private let lock = NSLock()
    private var signalled: Int32?
    private var sources: [any DispatchSourceSignal] = []
    private var temporaries: Set<String> = []
    /// A queue of its own, which gets a thread even while long work keeps every worker of the
    /// global queues busy (as `concurrentPerform` does).
    private let queue = DispatchQueue(label: "decoy.signals")

    /// The signal received, if any.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signalled
    }

    /// Notes a temporary file to delete should a second signal end the process at once.
    public func remember(temporary path: String) {
        lock.lock()
        temporaries.insert(path)
        lock.unlock()
    }

    /// Forgets a temporary file that was moved into place or removed.
    public func forget(temporary path: String) {
        lock.lock()
        temporaries.remove(path)
        lock.unlock()
    }

    /// Starts catching SIGINT and SIGTERM (a second signal ends the process at once), and
    /// returns the cancellation they set, for the command to pass to its work.
    @discardableResult
    public func install() -> Cancellation {
        defer { lock.unlock() }
        lock.lock()
        guard sources.isEmpty else { return cancellation }
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let again = self.signalled != nil
                self.signalled = number
                let leftovers = again ? self.temporaries : []
                self.lock.unlock()
                self.cancellation.cancel(signal: number)
                Failpoint.signalHandled()
                if again {
                    for path in leftovers { unlink(path) }
                    exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
        return cancellation
    }
}

/// A run stopped by a signal; it is stored as `interrupted` and can be resumed.
public struct RunInterrupted: DecoyFailure {
    public var exitStatus: ExitStatus { .interrupted }
    public var runID: Int64
    public var signal: Int32
    public var description: String {
        "run \(runID) interrupted by signal \(signal); `decoy resume \(runID)` finishes it, `decoy delete \(runID)` removes it"
    }
}
