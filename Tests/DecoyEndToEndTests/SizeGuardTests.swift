import DecoyTestSupport
import Foundation
import Testing

/// Absurd sizes are refused before anything is allocated, with the limit named, instead of
/// aborting while allocating terabytes.
@Suite struct SizeGuardTests {
    @Test(arguments: [
        (["--replicates", "99999999999999"], "postings"),
        (["--postings", "33612345678"], "postings"),
        (["--postings", "100000000"], "postings"),
        (["--postings", "2000000", "--replicates", "2"], "postings"),
        (["--postings", "40", "--replicates", "50000", "--set", "arms.a.response.rate=50/h"], "contacts"),
    ])
    func coverageRefusesStudiesThatCannotFit(flags: [String], what: String) throws {
        let cli = try TestCLI()
        try cli.write("c.yaml", """
            version: 1
            name: c
            seed: 7
            start: 2024-01-01T00:00:00Z
            horizon: 24h
            arms:
              - name: a
                postings: 10
                response: {model: poisson, rate: 2/h}
              - name: b
                postings: 10
                response: {model: poisson, rate: 2/h}
            """)
        let result = try cli.decoy(arguments: ["coverage", "c.yaml"] + flags)
        #expect(result.status == 64, "\(flags): \(result.stderr)")
        #expect(result.stderr.contains("a coverage study holds every") && result.stderr.contains(what), "\(flags): \(result.stderr)")
        #expect(!result.stderr.contains("33612345678"))
    }
}
