import DecoyTestSupport
import Foundation
import Testing

/// The documents show what the tool does now: every command of the walk-throughs runs and exits
/// 0, the outputs they show are what it prints, and `docs/cli.md` is the commands' own `--help`.
///
/// After a change of output, `scripts/refresh-docs` rewrites the output blocks and `docs/cli.md`
/// from the built binary (it runs these tests with `DECOY_REFRESH_DOCS=1`, which writes the files
/// instead of comparing); read the diff and commit it.
@Suite(.serialized) struct DocumentationTests {
    static let walkthroughs = ["docs/tutorial.md", "experiments/pilot/README.md", "experiments/field-template/README.md"]

    static var refreshing: Bool {
        guard let value = ProcessInfo.processInfo.environment["DECOY_REFRESH_DOCS"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }

    static let advice = "run scripts/refresh-docs, read the diff and commit it"

    @Test(arguments: walkthroughs)
    func walkthroughRunsAsWritten(path: String) throws {
        let document = try DocWalkthrough(path: path)
        try #require(!document.steps.isEmpty, "\(path) has no ```sh block")
        let cli = try TestCLI()
        defer { try? FileManager.default.removeItem(at: cli.folder) }
        let outcomes = try document.run(in: cli.folder)

        for (step, outcome) in zip(document.steps, outcomes) {
            try #require(outcome.finished, """
                \(path):\(step.line): a command of this block failed:
                \(step.commands)
                standard error:
                \(outcome.stderr)
                """)
        }
        if Self.refreshing {
            let text = document.refreshed(with: outcomes)
            try text.write(to: TestCLI.repository.appendingPathComponent(path), atomically: true, encoding: .utf8)
        } else {
            for (step, outcome) in zip(document.steps, outcomes) where step.output != nil {
                let shown = document.shown(step), printed = DocWalkthrough.normalized(outcome.stdout)
                guard shown != printed else { continue }
                let at = DocWalkthrough.firstDifference(shown, printed)
                Issue.record("""
                    \(path):\(step.line): the output shown after this block is not what it prints now \
                    (first difference at line \(at + 1) of the output); \(Self.advice).
                    commands:
                    \(step.commands)
                    shown:   \(at < shown.count ? shown[at] : "(nothing more)")
                    printed: \(at < printed.count ? printed[at] : "(nothing more)")
                    """)
            }
        }
        let printedLines = Set(outcomes.flatMap { DocWalkthrough.normalized($0.stdout).map { $0.trimmingCharacters(in: .whitespaces) } })
        for answer in document.quotedAnswers where !printedLines.contains(answer.text) {
            Issue.record("""
                \(path):\(answer.line): the text quotes `\(answer.text)`, which no command of the page prints; \
                rewrite the sentence with the line the tool prints now
                """)
        }
    }

    @Test func cliReferenceIsTheHelpOfTheBuiltBinary() throws {
        let generated = try TestProcess.run(["bash", "scripts/cli-reference", TestCLI.binary.path])
        try #require(generated.status == 0, "scripts/cli-reference failed: \(generated.stderr)")
        let committed = try String(contentsOf: TestCLI.repository.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        guard committed != generated.stdout else { return }
        let a = committed.components(separatedBy: "\n"), b = generated.stdout.components(separatedBy: "\n")
        let at = DocWalkthrough.firstDifference(a, b)
        Issue.record("""
            docs/cli.md differs from the --help of the built decoy at its line \(at + 1); \(Self.advice).
            docs/cli.md: \(at < a.count ? a[at] : "(end of file)")
            --help:      \(at < b.count ? b[at] : "(end of output)")
            """)
    }
}
