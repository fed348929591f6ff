public import DecoyModel
import Foundation

/// Buffered text output to standard output or to a file that appears only when complete.
///
/// A file is written under a temporary name beside its destination and renamed into place by
/// ``close()``, so a failure never leaves a half-written file under the requested name.
public final class OutputSink {
    private let destination: String?
    private let temporary: String?
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    /// Output to `path`, or to standard output when `path` is `nil` or `-`.
    public init(path: String?) throws {
        if let path, path != "-" {
            let url = URL(fileURLWithPath: path)
            let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp").path
            guard FileManager.default.createFile(atPath: temp, contents: nil) else {
                throw OutputError(message: "cannot create \(path) (is its folder there and writable?)")
            }
            guard let handle = FileHandle(forWritingAtPath: temp) else {
                throw OutputError(message: "cannot write \(path)")
            }
            self.handle = handle
            self.destination = path
            self.temporary = temp
        } else {
            self.handle = FileHandle.standardOutput
            self.destination = nil
            self.temporary = nil
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if let temporary, destination != nil { try? FileManager.default.removeItem(atPath: temporary) }
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
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw OutputError(message: "cannot write \(destination ?? "standard output"): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and, for a file, moves it into place.
    public func close() throws {
        try flush()
        guard let destination, let temporary else { return }
        try handle.close()
        if rename(temporary, destination) != 0 {
            throw OutputError(message: "cannot move output into place at \(destination): \(String(cString: strerror(errno)))")
        }
    }
}

/// A failure to write results.
public struct OutputError: DecoyFailure {
    public var exitStatus: ExitStatus { .failure }
    public var message: String
    public var description: String { message }
}

