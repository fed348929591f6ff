import DecoyTestSupport
import Foundation
import Testing

/// A value typed in the wrong place may be a contact identifier: no message of any command repeats
/// a phone number or an e-mail address given as a flag's value, a run reference or a file name.
@Suite struct TypedValueEchoTests {
    let cli: TestCLI

    static let identifiers = ["+33612345678", "+33 6 12 34 56 78", "jane.doe@example.org", "0033612345678"]

    init() throws {
        cli = try TestCLI()
        try cli.write("c.yaml", TestCLI.twoArmConfig)
        let run = try cli.decoy("run", "c.yaml", "--quiet")
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Every place a command takes a value, with `V` standing for the typed value.
    static let commands: [[String]] = {
        var result: [[String]] = [
            ["power", "c.yaml", "--arms", "V,b", "--postings", "2", "--sims", "5"],
            ["power", "c.yaml", "--arms", "a,b", "--null-arm", "V", "--postings", "2", "--sims", "5"],
            ["compare", "1", "--arms", "V,b"], ["report", "1", "--arms", "V,b"], ["report", "1", "--arms", "V"],
            ["fit", "1", "--arm", "V"], ["export", "1", "--table", "V"],
            ["bench", "--contacts", "V"], ["quickstart", "--grid", "V"],
            ["merge", "V"], ["merge", "runs", "V"], ["merge", "sweep", "V"], ["merge", "power", "V"], ["merge", "runs", "V", "--into", "x.sqlite"], ["import", "V", "--events", "V"], ["validate", "V"], ["run", "V"],
            ["run", "c.yaml", "--set", "V"], ["run", "c.yaml", "--set", "arms.a.postings=V"], ["run", "c.yaml", "--set", "V=3"],
            ["run", "c.yaml", "--seed", "V"], ["run", "c.yaml", "--shard", "V"], ["run", "c.yaml", "--jobs", "V"],
            ["sweep", "c.yaml", "--grid", "V"], ["sweep", "c.yaml", "--grid", "seed=V"],
            ["regress", "1", "--terms", "V"], ["regress", "1", "--terms", "arm", "--reference", "arm=V"],
            ["regress", "1", "--terms", "arm", "--strata", "V"], ["regress", "1", "--terms", "arm", "--factor", "V"],
        ]
        for flag in ["--postings", "--max-postings", "--shard", "--alpha", "--ratio", "--sims", "--test", "--precision",
                     "--target", "--jobs", "--terms", "--draws"] {
            result.append(["power", "c.yaml", "--arms", "a,b", flag, "V"])
        }
        for command in ["show", "delete", "rerun", "resume", "population", "report", "curves", "compare", "fit", "export", "regress"] {
            result.append([command, "V"])
        }
        for flag in ["--metric", "--by", "--until", "--confidence", "--grid", "--interval"] { result.append(["curves", "1", flag, "V"]) }
        for flag in ["--grid", "--confidence", "--against", "--terms"] { result.append(["report", "1", flag, "V"]) }
        for flag in ["--at", "--draws", "--seed", "--confidence"] { result.append(["compare", "1", "--arms", "a,b", flag, "V"]) }
        for flag in ["--replicates", "--postings", "--confidence"] { result.append(["coverage", "c.yaml", flag, "V"]) }
        return result
    }()

    @Test(arguments: identifiers)
    func noMessageRepeatsAnIdentifier(identifier: String) throws {
        let digits = identifier.filter(\.isNumber)
        for template in Self.commands {
            let arguments = template.map { $0.replacingOccurrences(of: "V", with: identifier) }
            let result = try cli.decoy(arguments: arguments + ["--db", "t.sqlite"])
            let printed = result.stderr + (result.status == 0 ? "" : result.stdout)
            #expect(!printed.contains(identifier), "\(template): \(printed)")
            if digits.count >= 6 {
                #expect(!printed.filter(\.isNumber).contains(digits.suffix(8)), "\(template): \(printed)")
            }
            if identifier.contains("@") { #expect(!printed.contains("example.org"), "\(template): \(printed)") }
        }
    }

    @Test func aRefusedValueIsDescribedByItsLength() throws {
        let result = try cli.decoy("power", "c.yaml", "--arms", "a,b", "--test", "+33612345678", "--db", "t.sqlite")
        #expect(result.status == 64)
        #expect(result.stderr.contains("--test"), "\(result.stderr)")
        #expect(result.stderr.contains("12 characters"), "\(result.stderr)")
    }
}
