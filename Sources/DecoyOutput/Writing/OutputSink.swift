public import DecoyModel
import DecoyWorkflows
import Foundation

/// Buffered text output to standard output or to a file that appears only when complete.
///
/// A regular file (or a missing one) is written under a temporary name `.NAME.PID.tmp` beside
/// its destination and renamed into place by ``close()``, so a failure or an interruption never
/// leaves a half-written file under the requested name; an existing file keeps its permission
/// bits. A symlink is followed and its target is replaced, the link stays. A device, FIFO or
/// socket (`/dev/null`, `/dev/stdout`, a named pipe) is written in place. A destination that is
/// the database being read, or one of its journals (`-wal`, `-shm`, `-journal`), is refused,
/// judged by file identity (device and inode), not by spelling.
public final class OutputSink {
    private enum Target {
        case standardOutput
        /// Written in place: a device, FIFO or socket.
        case inPlace(path: String)
        /// Written to `temporary`, renamed onto `final`, given `mode` when it replaces a file.
        case atomic(final: String, temporary: String, mode: mode_t?)
    }

    private let destination: String?
    private let target: Target
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    private var closed = false

    /// Output to `path`, or to standard output when `path` is `nil` or `-`.
    /// - Parameter database: the database the command reads; `path` must not be it or one of its
    ///   journals.
    /// - Throws: ``OutputError`` when `path` is the database, a folder, or cannot be written;
    ///   ``OutputInterrupted`` when SIGINT or SIGTERM has already arrived.
    /// - Parameter option: the flag that named `path`, for messages.
    public init(path: String?, database: String? = nil, option: String = "--out") throws {
        buffer.reserveCapacity(1 << 16)
        guard let path, path != "-" else {
            destination = nil
            target = .standardOutput
            return
        }
        guard !path.isEmpty else { throw OutputError(message: "\(option) expects a file name, found an empty one") }
        destination = path
        if let database { try Self.refuseDatabase(path, database: database, option: option) }
        let resolved = Self.resolvingSymlinks(path)
        var info = stat()
        if resolved.throughProc {
            target = .inPlace(path: path)
        } else if stat(resolved.path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                // Any SQLite database (another decoy file, a shard) is data, never an output.
                if Self.isSQLiteDatabase(resolved.path) {
                    throw OutputError(message: "refusing to write \(option) \(TypedValue.fileName(path)): it is an SQLite database, and writing there would destroy it; choose another file")
                }
                target = .atomic(final: resolved.path, temporary: Self.temporaryName(for: resolved.path), mode: info.st_mode & 0o7777)
            case S_IFDIR:
                throw OutputError(message: "cannot write \(option) \(TypedValue.fileName(path)): it is a folder; expected a file name")
            default:
                target = .inPlace(path: resolved.path)
            }
        } else {
            target = .atomic(final: resolved.path, temporary: Self.temporaryName(for: resolved.path), mode: nil)
        }
        try checkInterruption()
    }

    deinit {
        if descriptor >= 0 { Foundation.close(descriptor) }
        removeTemporary()
    }

    /// Appends text.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Lets `body` append bytes to the output directly; the bulk path of large exports.
    public func append(_ body: (inout [UInt8]) throws -> Void) throws {
        try body(&buffer)
        if buffer.count >= 1 << 16 { try flush() }
    }

    /// Appends a line.
    public func line(_ text: String) throws { try write(text + "\n") }

    func flush() throws {
        try checkInterruption()
        guard !buffer.isEmpty else { return }
        try openIfNeeded()
        let written = buffer.withUnsafeBytes { bytes -> Int in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -1
                }
                offset += n
            }
            return offset
        }
        if written < 0 {
            let reason = String(cString: strerror(errno))
            removeTemporary()
            throw OutputError(message: "cannot write \(destination.map(TypedValue.fileName) ?? "standard output"): \(reason)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, moves it into place.
    public func close() throws {
        try openIfNeeded()
        try flush()
        try checkInterruption()
        if case .standardOutput = target { return }
        if descriptor >= 0, case .atomic = target, fsync(descriptor) != 0 {
            let reason = String(cString: strerror(errno))
            removeTemporary()
            throw OutputError(message: "cannot write \(destination.map(TypedValue.fileName) ?? ""): \(reason)")
        }
        if descriptor >= 0 { Foundation.close(descriptor) }
        descriptor = -1
        guard case .atomic(let final, let temporary, _) = target else { closed = true; return }
        try checkInterruption()
        if rename(temporary, final) != 0 {
            let reason = String(cString: strerror(errno))
            removeTemporary()
            throw OutputError(message: "cannot move output into place at \(final): \(reason)")
        }
        Interruption.shared.forget(temporary: temporary)
        closed = true
    }

    /// Opens the destination at the first write, so that nothing exists on disk while the
    /// results are still being computed.
    private func openIfNeeded() throws {
        guard descriptor < 0, !closed else { return }
        switch target {
        case .standardOutput:
            descriptor = dup(STDOUT_FILENO)
        case .inPlace(let path):
            descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
            if descriptor < 0 { descriptor = open(path, O_WRONLY | O_CLOEXEC) }
            if descriptor < 0 {
                throw OutputError(message: "cannot write \(TypedValue.fileName(destination ?? path)): \(String(cString: strerror(errno)))")
            }
        case .atomic(_, let temporary, let mode):
            Interruption.shared.remember(temporary: temporary)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            if descriptor < 0 {
                let reason = String(cString: strerror(errno))
                Interruption.shared.forget(temporary: temporary)
                throw OutputError(message: "cannot create \(TypedValue.fileName(destination ?? temporary)) (is its folder there and writable?): \(reason)")
            }
            if let mode { _ = fchmod(descriptor, mode) }
        }
    }

    private func checkInterruption() throws {
        if let signal = Interruption.shared.signal {
            if descriptor >= 0 { Foundation.close(descriptor) }
            descriptor = -1
            removeTemporary()
            var partial = false
            if case .inPlace = target { partial = true }
            throw OutputInterrupted(destination: destination ?? "standard output", signal: signal, partial: partial)
        }
    }

    private func removeTemporary() {
        guard !closed, case .atomic(_, let temporary, _) = target else { return }
        unlink(temporary)
        Interruption.shared.forget(temporary: temporary)
    }

    static func temporaryName(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
    }

    /// `path` with every symlink of its last component followed (at most 40), and whether a
    /// link led into `/proc` or `/dev/fd` (such as `/dev/stdout`), whose targets are descriptors
    /// of this process and must be written in place.
    static func resolvingSymlinks(_ path: String) -> (path: String, throughProc: Bool) {
        var current = path
        var throughProc = path.hasPrefix("/proc/") || path.hasPrefix("/dev/fd/")
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { break }
            var bytes = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &bytes, Int(PATH_MAX))
            guard count > 0 else { break }
            let link = String(decoding: bytes[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : URL(fileURLWithPath: current).deletingLastPathComponent().appendingPathComponent(link).path
            if current.hasPrefix("/proc/") || current.hasPrefix("/dev/fd/") { throughProc = true }
        }
        return (current, throughProc)
    }

    /// Whether the file begins with SQLite's 16-byte header, `SQLite format 3` and a NUL.
    static func isSQLiteDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }

    /// Whether writing `path` would write `other`: the same device and inode when both exist,
    /// otherwise the same folder (by identity) and the same file name.
    static func sameFile(_ path: String, _ other: String) -> Bool {
        var out = stat(), info = stat()
        if stat(path, &out) == 0, stat(other, &info) == 0 {
            return info.st_dev == out.st_dev && info.st_ino == out.st_ino
        }
        let a = URL(fileURLWithPath: resolvingSymlinks(path).path), b = URL(fileURLWithPath: resolvingSymlinks(other).path)
        var folderA = stat(), folderB = stat()
        return a.lastPathComponent == b.lastPathComponent
            && stat(a.deletingLastPathComponent().path, &folderA) == 0 && stat(b.deletingLastPathComponent().path, &folderB) == 0
            && folderA.st_dev == folderB.st_dev && folderA.st_ino == folderB.st_ino
    }

    /// Refuses `path` when it is the database or one of its journals.
    static func refuseDatabase(_ path: String, database: String, option: String = "--out") throws {
        for suffix in ["", "-wal", "-shm", "-journal"] where sameFile(path, database + suffix) {
            let what = suffix.isEmpty ? "the database" : suffix == "-journal" ? "the database's journal (\(suffix))"
                : "the database's \(suffix.dropFirst()) file (\(suffix))"
            throw OutputError(message: "\(option) names \(what) (--db); writing there would destroy it; choose another file")
        }
    }

    /// Refuses a command's outputs when one of them is one of its inputs (or a journal of one) or
    /// another of its outputs, by identity: any spelling, a symlink or a hard link. Files are
    /// named by the option or argument that gave them, never by the text typed.
    /// - Parameters:
    ///   - outputs: each output's option and path (`nil` or `-` for standard output).
    ///   - inputs: each input's description (`the config`) and path.
    public static func refuseClashes(outputs: [(option: String, path: String?)], inputs: [(what: String, path: String)]) throws {
        let files = outputs.compactMap { output in output.path.flatMap { $0 == "-" || $0.isEmpty ? nil : (output.option, $0) } }
        for (index, (option, path)) in files.enumerated() {
            for (what, input) in inputs {
                for suffix in ["", "-wal", "-shm", "-journal"] where sameFile(path, input + suffix) {
                    throw OutputError(message: "\(option) names \(what)\(suffix.isEmpty ? "" : "'s \(suffix) file"), an input of this command; writing there would destroy it; choose another file")
                }
            }
            for (other, otherPath) in files[..<index] where sameFile(path, otherPath) {
                throw OutputError(message: "\(other) and \(option) name the same file, so one output would be lost; give them different files")
            }
        }
    }

    /// Refuses an output `path` that is one of a command's `inputs` (or a journal of one), by
    /// identity: any spelling, a symlink or a hard link.
    public static func refuseInput(_ path: String, option: String, inputs: [String]) throws {
        for input in inputs {
            for suffix in ["", "-wal", "-shm", "-journal"] where sameFile(path, input + suffix) {
                throw OutputError(message: "\(option) names one of the input files\(suffix.isEmpty ? "" : " (its \(suffix) file)"); writing there would destroy it; choose another file")
            }
        }
    }
}

/// A failure to write results.
public struct OutputError: DecoyFailure {
    public var exitStatus: ExitStatus { .failure }
    public var message: String
    public var description: String { message }
}

/// Output stopped by SIGINT or SIGTERM before it was complete; nothing was left under its name.
public struct OutputInterrupted: DecoyFailure {
    public var exitStatus: ExitStatus { .interrupted }
    public var destination: String
    public var signal: Int32
    /// Whether part of the output reached a destination written in place (a device or FIFO).
    public var partial: Bool
    public var description: String {
        "interrupted by signal \(signal); " + (partial ? "the output to \(destination) is incomplete" : "\(destination) was left as it was")
    }
}

