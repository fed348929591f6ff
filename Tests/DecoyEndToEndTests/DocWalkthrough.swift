import DecoyTestSupport
import Foundation

/// A walk-through in Markdown, run as a reader would type it.
///
/// Every ```` ```sh ```` block is a step; the steps run in order as one shell script (so `cd` and
/// `export` carry over), in a fresh folder that stands in for the repository's root: it holds a
/// copy of `experiments/`, `HOME` is the folder itself, and `decoy` is the built binary, first on
/// the `PATH`. A step whose fence is preceded by an `<!-- not run -->` comment is shown, not run.
/// A fenced block without a language, or ```` ```text ````, right after a step holds what the step
/// prints on standard output; it is compared with what the step printed, trailing whitespace
/// aside. An answer the prose quotes in backticks (`` `smallest n with power ≥ 0.8: …` ``) must be
/// a line of some step's output.
struct DocWalkthrough {
    /// One ```` ```sh ```` block and the output block after it.
    struct Step {
        /// The 1-based line of the block's opening fence.
        var line: Int
        /// The block's commands, its indentation removed.
        var commands: String
        /// The 0-based indices of the output block's lines between its fences, if it has one.
        var output: Range<Int>?
        /// The indentation of the output block's fence (blocks inside a list item are indented).
        var outputIndent: String
    }

    /// What one step did.
    struct Outcome {
        var finished: Bool
        var stdout: String
        var stderr: String
    }

    /// The file's path from the repository's root.
    let path: String
    let lines: [String]
    let steps: [Step]
    /// Answers the prose quotes, with their 1-based line.
    let quotedAnswers: [(line: Int, text: String)]

    init(path: String) throws {
        self.path = path
        let text = try String(contentsOf: TestCLI.repository.appendingPathComponent(path), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        self.lines = lines
        var steps: [Step] = [], quoted: [(Int, String)] = []
        var index = 0
        while index < lines.count {
            guard let open = Self.fence(lines[index]) else {
                quoted += Self.answers(in: lines[index]).map { (index + 1, $0) }
                index += 1
                continue
            }
            let close = Self.closing(after: index, in: lines)
            let shown = Self.previousText(before: index, in: lines)?.hasPrefix("<!-- not run") ?? false
            guard open.info == "sh", !shown else { index = close + 1; continue }
            let commands = lines[(index + 1)..<close].map { Self.dedent($0, by: open.indent) }.joined(separator: "\n")
            var step = Step(line: index + 1, commands: commands, output: nil, outputIndent: "")
            var next = close + 1
            while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
            if next < lines.count, let output = Self.fence(lines[next]), output.info.isEmpty || output.info == "text" {
                let end = Self.closing(after: next, in: lines)
                step.output = (next + 1)..<end
                step.outputIndent = output.indent
                index = end + 1
            } else {
                index = close + 1
            }
            steps.append(step)
        }
        self.steps = steps
        quotedAnswers = quoted
    }

    /// The opening fence on `line`: its indentation and its language (empty when none).
    static func fence(_ line: String) -> (indent: String, info: String)? {
        let indent = String(line.prefix { $0 == " " })
        let rest = line.dropFirst(indent.count)
        guard rest.hasPrefix("```") else { return nil }
        return (indent, rest.drop { $0 == "`" }.trimmingCharacters(in: .whitespaces))
    }

    /// The index of the fence that closes the block opened at `open` (the end of the file if none).
    static func closing(after open: Int, in lines: [String]) -> Int {
        var index = open + 1
        while index < lines.count {
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```"), trimmed.allSatisfy({ $0 == "`" }) { return index }
            index += 1
        }
        return lines.count
    }

    static func previousText(before index: Int, in lines: [String]) -> String? {
        lines[..<index].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.trimmingCharacters(in: .whitespaces)
    }

    static func dedent(_ line: String, by indent: String) -> String {
        line.hasPrefix(indent) ? String(line.dropFirst(indent.count)) : line.trimmingCharacters(in: .whitespaces)
    }

    /// The `smallest n …` answers quoted in backticks on a line of prose.
    static func answers(in line: String) -> [String] {
        line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 && $0.element.hasPrefix("smallest n with ") }.map(\.element)
    }

    /// Output as compared: trailing whitespace of every line and trailing empty lines removed.
    static func normalized(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\n").map { line in
            String(line.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The index of the first line where `a` and `b` differ (the shorter one's length if one is the other's start).
    static func firstDifference(_ a: [String], _ b: [String]) -> Int {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }

    /// The output block of `step` as written in the file.
    func shown(_ step: Step) -> [String] {
        guard let range = step.output else { return [] }
        return Self.normalized(lines[range].map { Self.dedent($0, by: step.outputIndent) }.joined(separator: "\n"))
    }

    /// Runs every step in order, in `folder`, and returns what each did (steps after a failing one
    /// did not finish).
    func run(in folder: URL) throws -> [Outcome] {
        let fileManager = FileManager.default
        try fileManager.copyItem(at: TestCLI.repository.appendingPathComponent("experiments"), to: folder.appendingPathComponent("experiments"))
        let work = fileManager.temporaryDirectory.appendingPathComponent("decoy-doc-\(UUID().uuidString)")
        let bin = work.appendingPathComponent("bin")
        try fileManager.createDirectory(at: bin, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: work) }
        try fileManager.createSymbolicLink(at: bin.appendingPathComponent("decoy"), withDestinationURL: TestCLI.binary)

        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var script = """
            set -eE -o pipefail
            trap 'echo "exit status $? from: $BASH_COMMAND" >&2' ERR

            """
        for (number, step) in steps.enumerated() {
            let file = quote(work.appendingPathComponent("\(number)").path)
            script += "{\n\(step.commands)\n} > \(file).out 2> \(file).err\n: > \(file).done\n"
        }
        let scriptFile = work.appendingPathComponent("walkthrough.sh")
        try script.write(to: scriptFile, atomically: true, encoding: .utf8)

        var environment = ProcessInfo.processInfo.environment
        for name in ["DECOY_DB", "DECOY_PSEUDONYM_KEY", "DECOY_FAILPOINT"] { environment.removeValue(forKey: name) }
        environment["HOME"] = folder.path
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["COLUMNS"] = "100"
        environment["LINES"] = "50"
        environment["TZ"] = "UTC"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "900", "bash", scriptFile.path]
        process.currentDirectoryURL = folder
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()

        func read(_ name: String) -> String {
            (try? String(contentsOf: work.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        return steps.indices.map { number in
            Outcome(finished: fileManager.fileExists(atPath: work.appendingPathComponent("\(number).done").path),
                    stdout: read("\(number).out"), stderr: read("\(number).err"))
        }
    }

    /// The file with every output block replaced by what its step printed.
    func refreshed(with outcomes: [Outcome]) -> String {
        var lines = self.lines
        for (step, outcome) in zip(steps, outcomes).reversed() {
            guard let range = step.output else { continue }
            let printed = Self.normalized(outcome.stdout).map { $0.isEmpty ? "" : step.outputIndent + $0 }
            lines.replaceSubrange(range, with: printed)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
