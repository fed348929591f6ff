import DecoyTestSupport
import Foundation
import Testing

/// Bad command-line input: one clear `error:` line naming the option, what was expected and what
/// was found, and the exit status of its kind (2 for an invalid config value, 64 for a usage error).
@Suite struct InputMessageTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws {
        cli = try TestCLI()
        let run = try cli.decoy("run", cli.quickstartPath, "--quiet")
        #expect(run.status == 0, "\(run.stderr)")
    }

    func fails(_ arguments: [String], status: Int32? = nil, saying expected: [String]) throws {
        let result = try cli.decoy(arguments: arguments)
        #expect(result.status != 0, "\(arguments) was accepted")
        if let status { #expect(result.status == status, "\(arguments): \(result.stderr)") }
        #expect(result.stderr.hasPrefix("error: "), "\(arguments): \(result.stderr)")
        for text in expected { #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)") }
        #expect(!result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
    }

    @Test func aBadSeedIsAnInvalidConfigHoweverItIsGiven() throws {
        for seed in ["-1", "x", "1.5"] {
            try fails(["validate", quickstart, "--seed", seed], status: 2, saying: ["seed", "unsigned", "a value of \(seed.count) character"])
            try fails(["validate", quickstart, "--set", "seed=\(seed)"], status: 2, saying: ["seed", "unsigned"])
            try fails(["sweep", quickstart, "--grid", "seed=1,\(seed)", "--db", "sweep.sqlite"], status: 2, saying: ["seed", "unsigned"])
        }
        try fails(["validate", quickstart, "--replicates", "-1"], status: 2, saying: ["replicates", "at least 1"])
        try fails(["validate", quickstart, "--set", "seed"], status: 2, saying: ["--set", "KEY=VALUE"])
        #expect(!cli.exists("sweep.sqlite"))
    }

    @Test func aNegativeRunIdIsNamed() throws {
        for command in [["curves", "-1"], ["show", "-1"], ["export", "-1", "--table", "events"], ["rerun", "-1"]] {
            try fails(command, status: 1, saying: ["no run of the id given (a value of 2 characters)"])
        }
    }

    @Test func configPathsThatAreNotFilesAreNamed() throws {
        try FileManager.default.createDirectory(at: cli.folder.appendingPathComponent("folder"), withIntermediateDirectories: false)
        try cli.write("empty.yaml", "")
        try fails(["validate", "folder"], status: 2, saying: ["folder:1:1", "is a folder, not a config file"])
        try fails(["validate", "empty.yaml"], status: 2, saying: ["empty.yaml:1:1", "is empty"])
        try fails(["validate", "missing.yaml"], status: 2, saying: ["missing.yaml", "no such file"])
        try fails(["validate", "/dev/null"], status: 2, saying: ["/dev/null:1:1", "is not a regular file"])
    }

    @Test func aGridAxisWithARepeatedValueIsRefused() throws {
        try fails(["sweep", quickstart, "--grid", "arms.adult.postings=100, 100", "--db", "sweep.sqlite"], status: 2,
                  saying: ["--grid:1:", "arms.adult.postings", "one value twice"])
        try fails(["sweep", quickstart, "--grid", "seed=1,2", "--grid", "seed=3", "--db", "sweep.sqlite"], status: 2,
                  saying: ["seed", "twice"])
        #expect(!cli.exists("sweep.sqlite"))
    }

    @Test(arguments: ["0", "-1", "x"])
    func jobsMustBeAtLeastOne(jobs: String) throws {
        let commands: [[String]] = [
            ["run", quickstart, "--db", "other.sqlite"], ["rerun", "1"], ["resume", "1"],
            ["sweep", quickstart, "--grid", "seed=1,2", "--db", "other.sqlite"], ["bench", "--contacts", "2k", "--dir", cli.folder.path],
        ]
        for command in commands {
            try fails(command + ["--jobs", jobs], status: 64, saying: ["--jobs", "a value of \(jobs.count) character"])
        }
        #expect(!cli.exists("other.sqlite"))
    }

    @Test(arguments: ["0.9999999999999999", "1", "0.4", "0", "nan", "-0.5"])
    func confidenceMustHaveAFiniteQuantile(level: String) throws {
        for command in [["curves", "1"], ["compare", "1", "--arms", "adult,control"]] {
            try fails(command + ["--confidence", level], status: 64, saying: ["--confidence", "0.5", "0.999999999", "outside that range"])
        }
    }

    @Test func theHighestAcceptedConfidenceGivesFiniteLimits() throws {
        let result = try cli.decoy("curves", "1", "--confidence", "0.999999999", "--metric", "mcf", "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        let row = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("1,adult,,mcf,2,") })
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        #expect(Double(fields[6]).map { $0 > 0 } == true && Double(fields[7]).map(\.isFinite) == true, "\(row)")
    }

    @Test func curveGridsAreBounded() throws {
        try fails(["curves", "1", "--grid", "0.0000001s"], status: 1, saying: ["--grid", "1 µs"])
        try fails(["curves", "1", "--grid", "0.01s"], status: 1, saying: ["--grid", "100000", "17280001"])
        try fails(["curves", "1", "--until", "100000d"], status: 1, saying: ["--until", "2400000h", "past the run's horizon 48h"])
        let fine = try cli.decoy("curves", "1", "--grid", "2s", "--metric", "rate", "--format", "csv")
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect(fine.stdout.split(separator: "\n").count == 1 + 2 * 86_400)
        let shorter = try cli.decoy("curves", "1", "--until", "24h", "--metric", "mcf", "--format", "csv")
        #expect(shorter.status == 0, "\(shorter.stderr)")
        #expect(shorter.stdout.split(separator: "\n").count == 1 + 2 * 25)
    }

    @Test func validateRefusesTooManySegments() throws {
        try fails(["validate", quickstart, "--set", "horizon=36500d", "--set", "arms.adult.response.bumps={every: 1s}"], status: 2,
                  saying: ["arms[0].response.bumps.every", "segments"])
    }

    @Test func validateRefusesYearsPast9999() throws {
        try fails(["validate", quickstart, "--set", "start=9999-12-31T00:00:00Z"], status: 2,
                  saying: ["arms[0].schedule", "9999-12-31T23:59:59.999999Z"])
    }
}
