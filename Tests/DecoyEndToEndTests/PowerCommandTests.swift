import DecoyTestSupport
import Foundation
import Testing

/// `decoy power` through the binary: the JSON object, determinism across threads, located
/// errors, and an output file that never replaces a database.
@Suite struct PowerCommandTests {
    @Test func jsonCarriesThePointsTheAnswerAndTheProvenance() throws {
        let cli = try TestCLI()
        let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--test", "exact-poisson",
                                   "--postings", "1,2,4", "--sims", "200", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try cli.json(result.stdout) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { $0["postings"] as? Int } == [1, 2, 4])
        for key in ["postings", "postings_b", "sims", "rejections", "failed", "power", "lower", "upper", "median_effect",
                    "type_one_error", "type_one_lower", "type_one_upper", "formula_power"] {
            #expect(points[0][key] != nil, "points lack \(key)")
        }
        #expect(object["smallest_postings"] as? Int == 1)
        #expect(object["smallest_postings_lower_bound"] != nil && object["formula_smallest_postings"] as? Int == 1)
        #expect((object["config_sha256"] as? String)?.count == 64)
        #expect(object["seed"] as? String == "20161104" && object["test"] as? String == "exact-poisson" && object["alpha"] as? Double == 0.05)
        #expect(object["tool_version"] as? String != nil)
        // Not a terminal: no progress on standard error.
        #expect(result.stderr.isEmpty)
        // Hawkes or removal: no closed form, null where there is none.
        let hawkes = try cli.decoy("power", TestCLI.repository.appendingPathComponent("experiments/vivastreet-france.yaml").path,
                                   "--arms", "top-of-list,standard", "--postings", "2", "--sims", "20", "--format", "json")
        let other = try #require(try cli.json(hawkes.stdout) as? [String: Any])
        #expect(other["formula_smallest_postings"] is NSNull)
        #expect((other["points"] as? [[String: Any]])?.first?["formula_power"] is NSNull)
    }

    /// A point whose test is mostly undefined, or whose type I error is shown to exceed α, is no
    /// answer: it is never the smallest n, and its warning is in the table, the JSON and the CSV.
    @Test func pointsThatAreNoAnswerAreNeverTheSmallestN() throws {
        let cli = try TestCLI()
        // Rate ratio on the quickstart at n = 2: the control arm mostly has no contact.
        let undefined = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--test", "rate-ratio",
                                      "--postings", "2,3", "--sims", "200", "--format", "json")
        #expect(undefined.status == 0, "\(undefined.stderr)")
        let object = try #require(try cli.json(undefined.stdout) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect((points[0]["power"] as? Double ?? 0) >= 0.8)
        #expect((points[0]["warnings"] as? String)?.contains("undefined in") == true, "\(points[0])")
        #expect(object["smallest_postings"] is NSNull, "\(object)")
        #expect((object["warnings"] as? [String])?.contains { $0.contains("is no answer") } == true, "\(object["warnings"] ?? "")")
        // The exact test on self-exciting arms: its type I error is far above α.
        let hawkes = try cli.decoy("power", TestCLI.repository.appendingPathComponent("experiments/vivastreet-france.yaml").path,
                                   "--arms", "top-of-list,standard", "--test", "exact-poisson", "--postings", "2,4", "--sims", "200", "--format", "csv")
        #expect(hawkes.status == 0, "\(hawkes.stderr)")
        let header = hawkes.stdout.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
        #expect(header.last == "warnings", "\(header)")
        let rows = TestCLI.rows(hawkes.stdout)
        #expect(rows.count == 2 && rows.allSatisfy { $0.last?.contains("type I error above alpha") == true }, "\(rows)")
        let table = try cli.decoy("power", TestCLI.repository.appendingPathComponent("experiments/vivastreet-france.yaml").path,
                                  "--arms", "top-of-list,standard", "--test", "exact-poisson", "--postings", "2,4", "--sims", "200", "--format", "table")
        #expect(table.stdout.contains("smallest n with power ≥ 0.8: none among the points that are an answer"), "\(table.stdout)")
    }

    @Test func aShardPartIsJSONWhateverTheFormat() throws {
        let cli = try TestCLI()
        let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--postings", "2", "--sims", "20",
                                   "--shard", "1/2", "--format", "csv")
        #expect(result.status == 64 && result.stderr.contains("--shard writes a part"), "\(result.stderr)")
    }

    @Test func theTableIsTheSameBytesForAnyJobs() throws {
        let cli = try TestCLI()
        func csv(_ jobs: String) throws -> String {
            let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--postings", "2,3,5", "--sims", "300",
                                       "--jobs", jobs, "--format", "csv", "--seed", "8")
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        let one = try csv("1")
        #expect(one == (try csv("2")))
        #expect(TestCLI.rows(one).count == 3)
    }

    @Test func badRequestsAreLocatedErrors() throws {
        let cli = try TestCLI()
        let cases: [([String], String)] = [
            (["--arms", "adult,sofa"], "--arms: the config has no arm of that name (a value of 4 characters); expected one of `adult`, `control`"),
            (["--arms", "adult"], "--arms expects two arm names, first,second, found a value of 5 characters"),
            (["--arms", "adult,adult"], "--arms: expected two different arms, found one name twice"),
            (["--arms", "adult,control", "--ratio", "0"], "--ratio expects a number of postings of the second arm per posting of the first, > 0"),
            (["--arms", "adult,control", "--alpha", "1"], "--alpha expects a level in (0, 1) such as 0.05"),
            (["--arms", "adult,control", "--alpha", "abc"], "a value of 3 characters, not repeated here) is invalid for '--alpha <alpha>'"),
            (["--arms", "adult,control", "--sims", "-1"], "--sims expects a count from 1 to 10000000"),
            (["--arms", "adult,control", "--jobs", "-1"], "--jobs expects a number of threads of at least 1"),
            (["--arms", "adult,control", "--format", "xml"], "Please provide one of 'table', 'csv' or 'json'"),
            (["--arms", "adult,control", "--postings", "1000000", "--sims", "100000"], "posting draws at the largest n, more than the 1e+11"),
            (["--arms", "adult,control", "--target", "1"], "--target expects a power in (0, 1)"),
            (["--arms", "adult,control", "--sims", "0"], "--sims expects a count from 1 to 10000000"),
            (["--arms", "adult,control", "--postings", "2,,4"], "a value of 4 characters, not repeated here) is invalid for '--postings <list>'"),
            (["--arms", "adult,control", "--postings", "2,0"], "--postings expects counts from 1 to 1000000 such as `5,10,20`"),
            (["--arms", "adult,control", "--max-postings", "0"], "--max-postings expects a count from 1 to 1000000"),
            (["--arms", "adult,control", "--postings", "2", "--max-postings", "9"], "--postings and --max-postings: give one of them"),
            (["--arms", "adult,control", "--test", "t-test"], "a value of 6 characters, not repeated here) is invalid for '--test <test>'. Please provide one of the following:\n  - proportional-rates"),
            (["--arms", "adult,control", "--draws", "99"], "--draws expects from 999 to 10000000 draws"),
            (["--arms", "adult,control", "--null-arm", "couch"], "--null-arm: the config has no arm of that name (a value of 5 characters)"),
            (["--arms", "adult,control", "--precision", "0"], "--precision expects a half-width in (0, 0.5)"),
        ]
        for (arguments, message) in cases {
            let result = try cli.decoy(arguments: ["power", cli.quickstartPath] + arguments)
            #expect(result.status == 64, "\(arguments): exit \(result.status)")
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test func outNeverReplacesADatabase() throws {
        let cli = try TestCLI()
        try cli.decoy("run", cli.quickstartPath, "--quiet", "--db", cli.path("study.sqlite"))
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.path("study.sqlite")))
        // Not the default database, but an SQLite file all the same.
        let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--sims", "10", "--out", cli.path("study.sqlite"))
        #expect(result.status != 0 && result.stderr.contains("it is an SQLite database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("study.sqlite"))) == before)
        let written = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--sims", "10", "--postings", "2", "--out", cli.path("power.json"))
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try cli.json(String(contentsOfFile: cli.path("power.json"), encoding: .utf8)) is [String: Any])
    }

    @Test func helpExitsZeroOnStandardOutput() throws {
        let cli = try TestCLI()
        for arguments in [["--help"], ["power", "--help"], ["help", "fit"]] {
            let result = try cli.decoy(arguments: arguments)
            #expect(result.status == 0 && result.stdout.contains("USAGE: decoy") && result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }
}
