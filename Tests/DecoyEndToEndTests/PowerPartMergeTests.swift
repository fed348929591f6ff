import DecoyTestSupport
import Foundation
import Testing

/// Parts of a sharded power analysis: the same bytes for any `--jobs`, and a part edited by hand
/// refused by `merge` with the part's place in the list and the field's path, never a crash.
@Suite struct PowerPartMergeTests {
    /// Two arms of 10 postings, 2 contacts an hour for 24 hours.
    static let config = TestCLI.twoArmConfig

    static let power = ["power", "c.yaml", "--arms", "a,b", "--test", "rate-ratio", "--postings", "2,4", "--sims", "300"]

    /// Writes parts 1 and 2 of 2 (`part-1.json`, `part-2.json`).
    static func parts(_ cli: TestCLI) throws {
        try cli.write("c.yaml", config)
        for k in 1...2 {
            let result = try cli.decoy(arguments: power + ["--shard", "\(k)/2", "--out", "part-\(k).json", "--jobs", "2"])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aPartHasTheSameBytesForAnyNumberOfJobs() throws {
        let cli = try TestCLI()
        try cli.write("c.yaml", Self.config)
        var bytes: [Data] = []
        for jobs in ["1", "2", "3"] {
            let result = try cli.decoy(arguments: Self.power + ["--shard", "1/2", "--out", "jobs-\(jobs).json", "--jobs", jobs])
            #expect(result.status == 0, "\(result.stderr)")
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: cli.path("jobs-\(jobs).json"))))
        }
        #expect(bytes[0] == bytes[1] && bytes[0] == bytes[2])
    }

    /// Hand edits of part 2 and the path `merge` names; each refused with status 1.
    static let edits: [(name: String, edit: @Sendable (inout [String: Any]) -> Void, says: String)] = [
        ("rejections above sims", { tally(&$0, 0) { $0["rejections"] = 400 } }, "part file 2: tallies[0].rejections: expected at most its sims"),
        ("negative failures", { tally(&$0, 1) { $0["failed"] = -5 } }, "part file 2: tallies[1].failed: expected a count from 0 to its sims"),
        ("negative null rejections", { tally(&$0, 0) { $0["null_rejections"] = -1 } }, "part file 2: tallies[0].null_rejections"),
        ("fewer tallies than postings", { $0["tallies"] = Array(($0["tallies"] as! [Any]).prefix(1)) }, "part file 2: tallies: expected one tally per count of postings"),
        ("no shards", { $0["shards"] = 0 }, "part file 2: shards: expected a count from 1 to"),
        ("a shard beyond N", { $0["shard"] = 3 }, "part file 2: shard: expected a shard from 1 to its shards"),
        ("sims tallied far beyond the part's", { tally(&$0, 0) { $0["sims"] = 999_999 } }, "part file 2: tallies[0].sims: expected 150"),
        ("sims of the settings zero", { settings(&$0) { $0["sims"] = 0 } }, "part file 2: settings.sims"),
        ("a postings count out of order", { $0["postings"] = [4, 2] }, "part file 2: postings[1]: expected a count above the one before it"),
        ("a count not a number", { tally(&$0, 0) { $0["rejections"] = "many" } }, "part file 2: tallies[0].rejections: expected a value of type"),
        ("a field missing", { tally(&$0, 0) { $0["failed"] = nil } }, "part file 2: tallies[0].failed: expected the field, which is missing"),
        ("an estimate removed", { tally(&$0, 0) { $0["effect_count"] = ($0["effect_count"] as! Int) + 1 } }, "part file 2: tallies[0].effect"),
        ("a plausible field changed", { $0["tool_version"] = "0.0.0" }, "part file 2: digest: expected the sha256 of the part's content"),
        ("an older format", { $0["format"] = "decoy-power-part/2" }, "part file 2: format: expected decoy-power-part/3"),
    ]

    static func tally(_ part: inout [String: Any], _ i: Int, _ edit: (inout [String: Any]) -> Void) {
        var tallies = part["tallies"] as! [[String: Any]]
        edit(&tallies[i])
        part["tallies"] = tallies
    }

    static func settings(_ part: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var settings = part["settings"] as! [String: Any]
        edit(&settings)
        part["settings"] = settings
    }

    @Test(arguments: edits.indices)
    func anEditedPartIsRefusedByPlaceAndField(edit: Int) throws {
        let cli = try TestCLI()
        try Self.parts(cli)
        var part = try #require(try cli.json(try String(contentsOfFile: cli.path("part-2.json"), encoding: .utf8)) as? [String: Any])
        Self.edits[edit].edit(&part)
        try JSONSerialization.data(withJSONObject: part).write(to: URL(fileURLWithPath: cli.path("+33612345678.json")))
        let merged = try cli.decoy("merge", "power", "part-1.json", "+33612345678.json", "--into", "power.json")
        #expect(merged.status == 1, "\(Self.edits[edit].name): \(merged.stderr)")
        #expect(merged.stderr.hasPrefix("error: \(Self.edits[edit].says)"), "\(Self.edits[edit].name): \(merged.stderr)")
        #expect(!merged.stderr.contains("33612345678") && !cli.exists("power.json"), "\(Self.edits[edit].name): \(merged.stderr)")
    }

    @Test func aCopiedPartIsRefusedAsADuplicateOrForeignSet() throws {
        let cli = try TestCLI()
        try Self.parts(cli)
        try FileManager.default.copyItem(atPath: cli.path("part-1.json"), toPath: cli.path("copy.json"))
        let twice = try cli.decoy("merge", "power", "part-1.json", "part-2.json", "copy.json", "--into", "power.json")
        #expect(twice.status == 1 && twice.stderr.contains("part 1 is given twice (part files 1 and 3)"), "\(twice.stderr)")
        let other = try cli.decoy(arguments: Self.power.map { $0 == "300" ? "400" : $0 } + ["--shard", "2/2", "--out", "other.json"])
        #expect(other.status == 0, "\(other.stderr)")
        let foreign = try cli.decoy("merge", "power", "part-1.json", "other.json", "--into", "power.json")
        #expect(foreign.status == 1 && foreign.stderr.contains("part file 2 is a part of another power analysis (its settings differs"), "\(foreign.stderr)")
        #expect(!cli.exists("power.json"))
        let merged = try cli.decoy("merge", "power", "part-2.json", "part-1.json", "--into", "power.json")
        #expect(merged.status == 0, "\(merged.stderr)")
        let whole = try cli.decoy(arguments: Self.power + ["--format", "json"])
        #expect(try String(contentsOfFile: cli.path("power.json"), encoding: .utf8) == whole.stdout)
    }
}
