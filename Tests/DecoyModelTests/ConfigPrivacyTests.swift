import Foundation
import Testing
@testable import DecoyModel

/// A config's text, its path and every value it names are stored with each run and exported, so
/// a phone number or e-mail address anywhere in them is refused at its place, without repeating
/// it; labels that a spreadsheet would run as formulas are refused too.
@Suite struct ConfigPrivacyTests {
    static let base = ConfigLoaderTests.valid

    func issues(replacingLine line: Int, with replacement: String) -> [ConfigIssue] {
        ConfigLoaderTests().issues(replacingLine: line, with: replacement)
    }

    @Test(arguments: [
        (3, "description: call +33 6 12 34 56 78 for details", "description", "phone number"),
        (3, "description: write to jane.doe@example.org", "description", "e-mail address"),
        (3, "description: posted 2016-11-04 09:00, see 2016-11-05", nil, nil),
        (16, "    attributes: { platform: '+33612345678', section: erotica }", "arms[0].attributes.platform", "phone number"),
        (16, "    attributes: { platform: '=cmd|calc', section: erotica }", "arms[0].attributes.platform", "formula"),
        (16, "    attributes: { platform: '-2', section: erotica }", nil, nil),
        (13, "  - name: '33612345678'", "arms[0].name", "phone number"),
        (25, "    channels: { '336123456789': 0.5, sms: 0.4, email: 0.1 }", "arms[0].channels", "phone number"),
        (3, "description: \"an \\u202E override\"", "description", "U+202E"),
        (3, "description: test # call +33612345678", "", "comment"),
    ] as [(Int, String, String?, String?)])
    func identifiersAreRefusedAtTheirPlace(line: Int, text: String, path: String?, message: String?) throws {
        let found = issues(replacingLine: line, with: text)
        guard let path, let message else {
            #expect(found.isEmpty, "\(found)")
            return
        }
        let issue = try #require(found.first, "accepted: \(text)")
        #expect(issue.path == path, "\(issue)")
        #expect(issue.message.contains(message), "\(issue.message)")
        for secret in ["33612345678", "36123456789", "jane.doe", "cmd|calc"] {
            #expect(!issue.message.contains(secret), "\(issue.message)")
        }
    }

    @Test func aConfigWhosePathHoldsAPhoneNumberIsRefusedUnnamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("decoy-privacy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("+33612345678.yaml").path
        try Self.base.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ConfigLoader.load(path: path)
            Issue.record("accepted a config whose path holds a phone number")
        } catch {
            #expect("\(error)".contains("file name"), "\(error)")
            #expect(!"\(error)".contains("33612345678"), "\(error)")
        }
    }

    @Test(arguments: ["=cmd|' /C calc'!A0", "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
    func formulaLabelsAreRefusedOnImportAndNeutralisedOnExport(label: String) {
        #expect(ObservedData.labelProblem(label) != nil)
        #expect(TypedValue.formulaProblem(label) != nil)
    }

    @Test(arguments: ["-2", "+3.5", "adult", "2016-11-04"])
    func numbersAndOrdinaryLabelsAreNotFormulas(label: String) {
        #expect(TypedValue.formulaProblem(label) == nil)
    }

    @Test func scrubbingReplacesTypedIdentifiersAndTheirDigits() {
        let message = "no arm `+33612345678`; found 33612345678.0 and jane@example.org"
        let scrubbed = TypedValue.scrubbed(message, typed: ["--arms", "+33612345678,b", "--to", "jane@example.org"])
        #expect(!scrubbed.contains("33612345678") && !scrubbed.contains("jane@"), "\(scrubbed)")
        #expect(scrubbed.contains("no arm") && scrubbed.contains("12 characters"), "\(scrubbed)")
    }
}
