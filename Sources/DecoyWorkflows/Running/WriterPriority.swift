#if canImport(Glibc)
import Glibc
#endif

/// Scheduling that favours a run's SQLite writer, the slowest stage of a run.
///
/// The simulating, hashing and worker threads lower their own priority (Linux's nice is a
/// per-thread attribute) ten steps below the process's, so that on a machine with as many busy
/// threads as cores the writer gets a core whenever it can run, and the producers fill the time
/// it spends waiting. When the producers are the slower stage the writer sleeps and nothing
/// changes. Lowering needs no privilege; raising it back would, so a thread stays lowered, which
/// only ever runs simulation work.
enum WriterPriority {
    /// Lowers the calling thread to ten steps below the process's nice value (at most 19), once.
    static func yieldToWriter() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        let target = min(19, getpriority(which, id_t(getpid())) + 10)
        // `who` 0 is the calling thread on Linux.
        if getpriority(which, 0) < target { _ = setpriority(which, 0, target) }
        #endif
    }
}
