import DecoyModel
import DecoyTestSupport
import Foundation
import Testing

/// `curves --metric expected` through the binary.
@Suite struct ExpectedCurveCommandTests {
    @Test func quickstartExpectedCurveIsTheIntegratedIntensity() throws {
        let cli = try TestCLI()
        try cli.decoy("run", cli.quickstartPath, "--quiet")
        let result = try cli.decoy("curves", "1", "--metric", "expected,unique", "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let at2 = try #require(rows.first { $0[1] == "adult" && $0[3] == "expected" && $0[4] == "2" })
        // Λ(2) = 150 · 3.6/ln 2 · (1 − 2^(−2/3.6)) + 0.5 · 2
        let hand = 150 * 3.6 / M_LN2 * (1 - pow(2, -2 / 3.6)) + 1
        #expect(abs(Double(at2[5])! - hand) < 1e-9 * hand)
        #expect(at2[6].isEmpty && at2[7].isEmpty)
        // Distinct contactors per posting can only be fewer than contacts.
        let unique = try #require(rows.last { $0[1] == "adult" && $0[3] == "unique" })
        #expect(Double(unique[5])! > 0 && Int(unique[9])! > 0)
    }

    @Test func misspelledMetricIsRejected() throws {
        let cli = try TestCLI()
        try cli.decoy("run", cli.quickstartPath, "--quiet")
        let result = try cli.decoy("curves", "1", "--metric", "expcted")
        #expect(result.status == 64 && result.stderr.contains("unknown metric (a value of 7 characters)"))
    }
}
