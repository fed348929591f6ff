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
        try cli.write("c.yaml", TestCLI.twoArmConfig)
        let result = try cli.decoy(arguments: ["coverage", "c.yaml"] + flags)
        #expect(result.status == 64, "\(flags): \(result.stderr)")
        #expect(result.stderr.contains("a coverage study holds every") && result.stderr.contains(what), "\(flags): \(result.stderr)")
        #expect(!result.stderr.contains("33612345678"))
    }

    /// A report's page is bounded: a grid finer than 5,000 points per curve is refused before any
    /// work, and a run whose own grid is that fine is drawn on a coarser one.
    @Test func reportPagesAreBounded() throws {
        let cli = try TestCLI()
        try cli.write("long.yaml", """
            version: 1
            name: long
            seed: 7
            start: 2024-01-01T00:00:00Z
            horizon: 1000h
            grid: 6m
            arms:
              - name: a
                postings: 3
                response: {model: poisson, rate: 0.1/h}
              - name: b
                postings: 3
                response: {model: poisson, rate: 0.1/h}
            """)
        #expect(try cli.decoy("run", "long.yaml", "--quiet").status == 0)
        let fine = try cli.decoy("report", "1", "--grid", "2s", "--out", "fine.html")
        #expect(fine.status == 1 && fine.stderr.contains("at most 5000 points per curve"), "\(fine.stderr)")
        #expect(!cli.exists("fine.html"))
        let whole = try cli.decoy("report", "1", "--out", "whole.html")
        #expect(whole.status == 0, "\(whole.stderr)")
        let size = try FileManager.default.attributesOfItem(atPath: cli.path("whole.html"))[.size] as? Int ?? 0
        #expect(size > 0 && size < 20_000_000, "\(size) bytes")
    }
}
