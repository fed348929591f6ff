public import DecoyModel
import Dispatch
import Foundation

/// SIGINT and SIGTERM turned into a flag that long work checks between transactions, so that an
/// interrupted run is marked `interrupted` instead of being cut mid-write.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    private var signalled: Int32?
    private var sources: [any DispatchSourceSignal] = []
    private var temporaries: Set<String> = []

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

    /// Starts catching SIGINT and SIGTERM (a second signal ends the process at once).
    public func install() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                self.lock.lock()
                let again = self.signalled != nil
                self.signalled = number
                let leftovers = again ? self.temporaries : []
                self.lock.unlock()
                if again {
                    for path in leftovers { unlink(path) }
                    exit(128 + number)
                }
            }
            source.resume()
            sources.append(source)
        }
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
