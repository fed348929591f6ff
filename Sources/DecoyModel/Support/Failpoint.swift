import Foundation

/// Named moments at which a debug build can be stopped on purpose, so that tests of signals and
/// crashes stop the process at a known point of its work instead of after a sleep.
///
/// `DECOY_FAILPOINT=NAME:N[:ACTION]` acts at the N-th time (from 1) the process reaches the
/// point `NAME`; ACTION is `int` (SIGINT to the process, the default), `term` (SIGTERM) or `kill`
/// (SIGKILL). Several points are separated by commas. Release builds compile every point to
/// nothing and never read the variable, so a user cannot trip one.
///
/// A point that sent SIGINT or SIGTERM also checks that the work stops: reached more than
/// ``grace`` times after its signal, it says so on standard error and ends the process with
/// ``workWentOnStatus``, so a test tells prompt cancellation from work that ran on by counting,
/// never by timing.
public enum Failpoint {
    /// Marks the moment `name`; acts when the environment asks for it here.
    @inline(__always)
    public static func reach(_ name: StaticString) {
        #if DEBUG
        registry.reach(name)
        #endif
    }

    /// Called by the signal handler once a signal has been turned into a cancellation: a point
    /// that sent SIGINT or SIGTERM waits for it, so the work's next check sees the signal as
    /// surely as it would a moment later from outside.
    public static func signalHandled() {
        #if DEBUG
        handled.signal()
        #endif
    }

    /// The reaches of a point after its signal within which the work must have stopped (each
    /// thread may finish the step it is in).
    public static let grace = 1_000

    /// The exit status of a process whose work went on past ``grace`` reaches after the signal.
    public static let workWentOnStatus: Int32 = 70

    #if DEBUG
    private static let handled = DispatchSemaphore(value: 0)
    private static let registry = Registry(ProcessInfo.processInfo.environment["DECOY_FAILPOINT"] ?? "")

    private final class Registry: @unchecked Sendable {
        struct Point { var hit: Int; var signal: Int32; var count = 0 }
        private let lock = NSLock()
        private var points: [String: Point] = [:]
        private let active: Bool

        init(_ text: String) {
            for item in text.split(separator: ",") {
                let fields = item.split(separator: ":").map(String.init)
                guard fields.count >= 2, let hit = Int(fields[1]), hit >= 1 else { continue }
                let signal: Int32 = switch fields.count > 2 ? fields[2] : "int" {
                case "term": SIGTERM
                case "kill": SIGKILL
                default: SIGINT
                }
                points[fields[0]] = Point(hit: hit, signal: signal)
            }
            active = !points.isEmpty
        }

        func reach(_ name: StaticString) {
            guard active else { return }
            let key = "\(name)"
            lock.lock()
            guard var point = points[key] else { lock.unlock(); return }
            point.count += 1
            points[key] = point
            lock.unlock()
            if point.signal != SIGKILL, point.count > point.hit + Failpoint.grace {
                FileHandle.standardError.write(Data("failpoint \(key) reached \(Failpoint.grace) more times after its signal: the work did not stop\n".utf8))
                exit(Failpoint.workWentOnStatus)
            }
            // To the process, not the thread, so the signal handler sees it as it sees one from outside.
            guard point.count == point.hit else { return }
            kill(getpid(), point.signal)
            // Without a handler installed the signal ends the process; with one, wait (at most
            // 10 s) until it has cancelled the work.
            if point.signal != SIGKILL { _ = Failpoint.handled.wait(timeout: .now() + 10) }
        }
    }
    #endif
}
