import DecoyTestSupport
import Foundation
import Testing

/// Planning never holds every posting: `validate` and the `run` size guard of configs with
/// hundreds of millions of postings finish with bounded memory and the right numbers.
@Suite struct LargePlanTests {
    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws { cli = try TestCLI() }

    /// Runs `decoy` under `/usr/bin/time -f %M`, returning the result and the peak resident
    /// memory in KiB (nil where `/usr/bin/time` is missing; the command then runs directly).
    func measured(_ arguments: [String]) throws -> (TestCLI.Result, Int?) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { return (try cli.decoy(arguments: arguments), nil) }
        let report = cli.folder.appendingPathComponent("rss-\(UUID().uuidString)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M", "-o", report, TestCLI.binary.path] + arguments
        process.currentDirectoryURL = cli.folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let kib = (try? String(contentsOfFile: report, encoding: .utf8)).flatMap { Int($0.split(separator: "\n").last ?? "") }
        return (TestCLI.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                                        stderr: String(decoding: stderr, as: UTF8.self)), kib)
    }

    func arms(_ stdout: String) throws -> [[String: Any]] {
        let json = try #require(try cli.json(stdout) as? [String: Any])
        return try #require(json["arms"] as? [[String: Any]])
    }

    static let boundKiB = 200 * 1024

    @Test(arguments: [["--set", "replicates=100000000"], ["--set", "arms.adult.postings=10000000"]])
    func validateOfAHugePlanIsQuickAndSmall(settings: [String]) throws {
        let small = try arms(try cli.decoy("validate", quickstart, "--format", "json").stdout)
        let (result, kib) = try measured(["validate", quickstart, "--format", "json"] + settings)
        #expect(result.status == 0, "\(result.stderr)")
        let huge = try arms(result.stdout)
        // Without diurnal factors every posting of an arm has the same expectation.
        #expect(huge.map { $0["expected_per_posting_horizon"] as? String } == small.map { $0["expected_per_posting_horizon"] as? String })
        if let kib { #expect(kib < Self.boundKiB, "peak RSS \(kib) KiB") }
    }

    @Test func runGuardRefusesAHugePlanWithoutAllocatingIt() throws {
        let (result, kib) = try measured(["run", quickstart, "--set", "replicates=10000000", "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--allow-large"), "\(result.stderr)")
        #expect(!cli.exists("decoy.sqlite"))
        if let kib { #expect(kib < Self.boundKiB, "peak RSS \(kib) KiB") }
    }

    /// With diurnal factors and a schedule whose go-live times repeat daily, the mean over ten
    /// million postings equals the mean over one day's worth of them.
    @Test func diurnalMeansOfManyPostingsUseTheirDailyPeriod() throws {
        let diurnal = "[" + (0..<24).map { String(0.5 + Double($0 % 6) / 5) }.joined(separator: ", ") + "]"
        let base = ["validate", quickstart, "--format", "json", "--set", "arms.adult.response.diurnal=\(diurnal)", "--set", "arms.adult.schedule.every=1h"]
        let day = try arms(try cli.decoy(arguments: base + ["--set", "arms.adult.postings=24"]).stdout)
        let (result, kib) = try measured(base + ["--set", "arms.adult.postings=10000008"])
        #expect(result.status == 0, "\(result.stderr)")
        let many = try arms(result.stdout)
        let a = try #require(Double(day[0]["expected_per_posting_horizon"] as? String ?? ""))
        let b = try #require(Double(many[0]["expected_per_posting_horizon"] as? String ?? ""))
        #expect(abs(a - b) <= 1e-9 * a, "\(a) vs \(b)")
        if let kib { #expect(kib < Self.boundKiB, "peak RSS \(kib) KiB") }
    }
}
