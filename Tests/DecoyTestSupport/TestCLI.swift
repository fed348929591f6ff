public import Foundation

/// The built `decoy` binary, run as a user would, in a fresh temporary folder: the helper every
/// test that goes through the command line shares.
public struct TestCLI: Sendable {
    /// What one command printed and how it ended.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// The package's folder.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary built beside the tests, else `.build/debug/decoy`.
    public static var binary: URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("decoy")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return repository.appendingPathComponent(".build/debug/decoy")
    }

    /// This test's own folder, the working directory of every command.
    public let folder: URL

    public init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    @discardableResult
    public func decoy(_ arguments: String...) throws -> Result { try decoy(arguments: arguments) }

    /// Runs `decoy` with `arguments` (without `$DECOY_DB`; `environment` sets or, with `nil`,
    /// removes variables) and waits for it.
    @discardableResult
    public func decoy(arguments: [String], environment: [String: String?] = [:]) throws -> Result {
        try start(arguments: arguments, environment: environment).wait()
    }

    /// A `decoy` process started in this test's folder, its output captured.
    public struct Started: Sendable {
        public let process: Process
        let out: Pipe
        let err: Pipe

        /// Waits for the process and reads everything it printed.
        public func wait() -> Result {
            let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
        }
    }

    /// Starts `decoy` with `arguments` without waiting for it (environment as in ``decoy(arguments:environment:)``).
    public func start(arguments: [String], environment extra: [String: String?] = [:]) throws -> Started {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DECOY_DB")
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return Started(process: process, out: out, err: err)
    }

    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    public func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    public func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    public func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// Two arms `a` and `b` of 10 postings, 2 contacts an hour for 24 hours, seed 7: the small
    /// design of tests that need any stored run or config.
    public static let twoArmConfig = """
        version: 1
        name: c
        seed: 7
        start: 2024-01-01T00:00:00+00:00
        horizon: 24h
        arms:
          - name: a
            postings: 10
            schedule: { offset: 0h, every: 1h }
            response: { model: poisson, rate: 2/h }
          - name: b
            postings: 10
            schedule: { offset: 0h, every: 1h }
            response: { model: poisson, rate: 2/h }
        """

    /// `experiments/quickstart.yaml` of the package.
    public var quickstartPath: String { Self.repository.appendingPathComponent("experiments/quickstart.yaml").path }

    /// The CSV rows of a command's output, header dropped.
    public static func rows(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The values of the column `name` of a command's CSV output (fields without quoted commas),
    /// found by its header, so that a column added later does not move it; `[]` without that column.
    public static func column(_ name: String, of csv: String) -> [String] {
        guard let header = csv.split(separator: "\n").first?.split(separator: ",", omittingEmptySubsequences: false),
              let index = header.firstIndex(where: { $0 == name }) else { return [] }
        return rows(csv).map { index < $0.count ? $0[index] : "" }
    }
}

/// A seeded generator for picking fault times and fuzz inputs, so a failing trial can be replayed.
public struct SplitMixForTests: Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
