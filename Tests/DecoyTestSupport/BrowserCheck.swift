import Foundation

/// An HTML page opened in a real headless Chromium, offline, by `scripts/check-report.py`: what a
/// reader would meet (errors, requests that tried to leave the file, the title, the charts, the
/// printed pages, overflow on a phone), with a full-page screenshot and an A4 PDF left behind.
public struct BrowserCheck: Sendable {
    /// A request the page made that did not load: blocked because it left `file:`/`data:`, or failed.
    public struct FailedRequest: Sendable, Decodable, Equatable {
        public var url: String
        public var reason: String
    }

    /// The checker's JSON object.
    public struct Report: Sendable, Decodable, Equatable {
        public var consoleErrors: [String]
        public var failedRequests: [FailedRequest]
        public var pageErrors: [String]
        /// `file:` URLs loaded besides the page itself: a self-contained page has none.
        public var otherFiles: [String]
        public var title: String
        public var svgCount: Int
        public var pdfPages: Int
        public var screenshot: String
        public var pdf: String
        /// How far the document is wider than a 390 px phone (0 when it fits); `nil` without `phone`.
        public var phoneOverflowPx: Int?
        /// The outermost elements that stick out at phone width; `nil` without `phone`.
        public var phoneWideElements: [String]?

        /// One line for each thing a reader would trip on; empty for a clean, self-contained page.
        public var problems: [String] {
            consoleErrors.map { "console error: \($0)" } + pageErrors.map { "page error: \($0)" }
                + failedRequests.map { "request \($0.url): \($0.reason)" } + otherFiles.map { "loads another file: \($0)" }
                + ((phoneOverflowPx ?? 0) > 0
                    ? ["\(phoneOverflowPx ?? 0) px wider than a 390 px phone: \((phoneWideElements ?? []).joined(separator: ", "))"] : [])
        }
    }

    /// Either the page was checked, or there was no browser to check it with.
    public enum Outcome: Sendable {
        /// Python, Playwright or Chromium is missing or would not start.
        case unavailable(reason: String)
        case checked(Report)
    }

    /// The checker failed for another reason than a missing browser.
    public struct Failure: Error, CustomStringConvertible {
        public var status: Int32
        public var stderr: String
        public var description: String { "check-report.py exited \(status): \(stderr)" }
    }

    /// `true` when `DECOY_BROWSER_REQUIRED` is set (other than empty, `0` or `false`), as CI sets it:
    /// a missing browser is then a failure rather than a reason to skip.
    public static var required: Bool {
        guard let value = ProcessInfo.processInfo.environment["DECOY_BROWSER_REQUIRED"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }

    /// `scripts/check-report.py` of the package.
    public static var scriptPath: String { TestCLI.repository.appendingPathComponent("scripts/check-report.py").path }

    /// Runs the checker on `page`, writing `screenshot` (PNG) and `pdf`; with `phone`, also measures
    /// overflow at 390 px. Gives up after `timeout` seconds.
    public static func run(page: String, screenshot: String, pdf: String, phone: Bool, width: Int = 1280,
                           timeout: Double = 180) throws -> Outcome {
        var arguments = ["python3", scriptPath, page, "--screenshot", screenshot, "--pdf", pdf, "--width", String(width)]
        if phone { arguments.append("--phone") }

        // Output goes to files, so that neither stream can fill a pipe while the other is read.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            return .unavailable(reason: "python3 could not be started: \(error)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(status: -1, stderr: "no answer within \(Int(timeout)) s")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }

        let stdout = try Data(contentsOf: outURL)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch process.terminationStatus {
        case 0:
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return .checked(try decoder.decode(Report.self, from: stdout))
        case 2 where stderr.hasPrefix("browser unavailable:"):
            return .unavailable(reason: stderr)
        case 127:  // env: python3 not found
            return .unavailable(reason: "python3 not found: \(stderr)")
        case let status:
            throw Failure(status: status, stderr: stderr)
        }
    }
}
