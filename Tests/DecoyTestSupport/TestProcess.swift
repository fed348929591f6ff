import Foundation

/// A program other than `decoy` run from the repository folder (python3, bash scripts), its output
/// in files and the process reaped with `waitpid`: scripts that leave daemons behind (the Slurm
/// cluster) confuse Foundation's `Process`, and pipes can fill.
public enum TestProcess {
    /// Runs `arguments` (looked up on PATH) with `environment` added, stopped after `timeout` seconds.
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) throws -> TestCLI.Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path, err = folder.appendingPathComponent("err").path
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let exports = environment.map { "export \($0.key)=\(quote($0.value)); " }.joined()
        let line = "cd \(quote(TestCLI.repository.path)) && \(exports)exec timeout \(Int(timeout)) \(arguments.map(quote).joined(separator: " ")) > \(quote(out)) 2> \(quote(err)) < /dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(line), nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(spawned)"]) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return TestCLI.Result(status: code, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
