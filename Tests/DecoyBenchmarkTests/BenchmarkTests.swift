import DecoyModel
import DecoyStore
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyBenchmark
import DecoyTestSupport
import DecoyWorkflows

/// `decoy bench` measures the library's real paths; these tests check what it reports, not how fast.
@Suite struct BenchmarkTests {
    /// The workload's size is chosen from its expected contacts per posting: the exponential decay
    /// 150/h halving every 3.6 h over 0.5/h gives 150·3.6/ln 2·(1 − 2^(−48/3.6)) + 0.5·48 contacts in 48 h.
    @Test func postingsFollowFromTheExpectedContactsPerPosting() throws {
        let perPosting = 150 * 3.6 / log(2) * (1 - pow(2, -48 / 3.6)) + 0.5 * 48
        // The workload file read by the library's own mean function gives the closed form.
        let oneTimes = try ExperimentRunner(loaded: Benchmark.config(postings: 1), configPath: nil).expectedContacts
        #expect(abs(oneTimes - perPosting) <= 1e-9 * perPosting, "\(oneTimes) contacts a posting, expected \(perPosting)")
        let thousand = try ExperimentRunner(loaded: Benchmark.config(postings: 1000), configPath: nil).expectedContacts
        #expect(abs(thousand - 1000 * perPosting) <= 1e-9 * thousand)
        #expect(try Benchmark.postings(forContacts: 1_000_000) == Int((1_000_000 / perPosting).rounded()))
        #expect(try Benchmark.postings(forContacts: 1) == 1)
    }

    /// Simulating without storing produces the same events, by digest, as a stored run.
    @Test func simulateOnlyProducesTheStoredRunsEvents() throws {
        let cli = try TestCLI()
        let loaded = try Benchmark.config(postings: 3)
        let runner = ExperimentRunner(loaded: loaded, configPath: nil, jobs: 2)
        let simulated = try runner.simulateOnly()
        let stored = try runner.run(into: try Database(path: cli.folder.appendingPathComponent("b.sqlite").path, create: true))
        #expect(simulated.digest == stored.digest && simulated.contacts == stored.contacts && simulated.postings == 3)
    }

    @Test func benchReportsEveryStepAndJobCountAsCSV() throws {
        let cli = try TestCLI()
        let result = try cli.decoy("bench", "--contacts", "2k", "--jobs", "1,2", "--repeats", "1", "--dir", cli.folder.path, "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines.first == ["step", "contacts", "postings", "jobs", "seconds", "contacts_per_second", "peak_mib"])
        let rows = lines.dropFirst()
        #expect(rows.map { "\($0[0])/\($0[3])" } == [
            "simulate/1", "run/1", "curves-mcf-rate/1", "curves-ttfc/1", "export/1", "simulate/2", "run/2",
        ])
        for row in rows {
            #expect(row[2] == "2", "2,000 contacts are 2 postings of about 803")
            #expect(Int(row[1])! > 500 && Int(row[1])! < 4000)
            #expect(Double(row[4])! > 0)
        }
        // Every repeat ran and was cleaned up: only the test's own files remain.
        let left = try FileManager.default.contentsOfDirectory(atPath: cli.folder.path).filter { $0.hasPrefix("bench-") }
        #expect(left.isEmpty, "\(left)")
    }

    @Test func badArgumentsAreRefusedWithTheValueFound() throws {
        let cli = try TestCLI()
        for (arguments, message) in [
            (["--contacts", "lots"], "found a value of 4 characters"),
            (["--jobs", "0"], "found a value of 1 character"),
            (["--steps", "exprot"], "did you mean `export`?"),
            (["--dir", "/no/such/folder"], "no such folder"),
        ] {
            let result = try cli.decoy(arguments: ["bench"] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }
}
