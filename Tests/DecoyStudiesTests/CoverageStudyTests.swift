import DecoyModel
import DecoyStatistics
import DecoyTestSupport
import DecoyStudies
import Foundation
import Testing

/// The coverage the README reports, pinned: a seeded study of 300 replicates per design must fall
/// within 4.5 binomial standard errors of the coverage measured on 10,000 replicates
/// (`scripts/coverage-study.sh`), σ = √(p(1−p)/300) counted per replicate (the checks of one
/// replicate are correlated, so this is the conservative count). 4.5σ leaves a false alarm
/// about once in 150,000 runs per cell while still catching a correction that goes missing:
/// at 5 postings the classic mcf interval covers about 85%, 12σ below the corrected 95%.
@Suite struct CoverageStudyTests {
    static let replicates = 300

    /// Coverage measured with 10,000 replicates, both arms averaged: (metric, postings) → p (the
    /// mcf difference, read where both arms are supported with the jackknife, on 2,000).
    static let measured: [String: [String: [Int: Double]]] = [
        "poisson": [
            "mcf": [5: 0.952, 10: 0.951], "rate": [5: 0.959, 10: 0.955], "ttfc": [5: 0.974, 10: 0.968],
            "rate ratio": [5: 0.951, 10: 0.950], "mcf difference": [5: 0.965, 10: 0.960],
        ],
        "decay-removal": [
            "mcf": [5: 0.939, 10: 0.945], "rate": [5: 0.940, 10: 0.953], "ttfc": [5: 0.974, 10: 0.968],
            "rate ratio": [5: 0.959, 10: 0.962], "mcf difference": [5: 0.958, 10: 0.958],
        ],
        "hawkes": [
            "mcf": [5: 0.950, 10: 0.950], "rate": [5: 0.956, 10: 0.952], "ttfc": [5: 0.973, 10: 0.967],
            "rate ratio": [5: 0.952, 10: 0.949], "mcf difference": [5: 0.965, 10: 0.958],
        ],
        "hawkes-bursty": [
            "mcf": [5: 0.951, 10: 0.949], "rate": [5: 0.951, 10: 0.945], "ttfc": [5: 0.974, 10: 0.968],
            "rate ratio": [5: 0.948, 10: 0.948], "mcf difference": [5: 0.962, 10: 0.950],
        ],
    ]

    static func study(_ design: String, postings: [Int], method: IntervalMethod) throws -> CoverageStudy {
        let path = TestCLI.repository.appendingPathComponent("experiments/coverage/\(design).yaml").path
        let loaded = try ConfigLoader.load(path: path, overrides: [
            Override(path: ["replicates"], value: String(replicates), origin: "test"),
            Override(path: ["seed"], value: "20261201", origin: "test"),
        ])
        return try CoverageStudy.run(loaded, postings: postings, method: method, jobs: 2)
    }

    @Test(arguments: ["poisson", "decay-removal", "hawkes", "hawkes-bursty"])
    func correctedIntervalsCoverAsMeasured(design: String) throws {
        let study = try Self.study(design, postings: [5, 10], method: .corrected)
        let expected = try #require(Self.measured[design])
        var checked = 0
        for cell in study.cells {
            guard let p = expected[cell.metric]?[cell.postings] else { continue }
            let sigma = (p * (1 - p) / Double(Self.replicates)).squareRoot()
            #expect(abs(cell.coverage - p) <= 4.5 * sigma, "\(design) \(cell.arm) \(cell.metric) n=\(cell.postings): \(cell.coverage) vs \(p) ± \(4.5 * sigma)")
            checked += 1
        }
        #expect(checked == 2 * (3 * 2 + 2))  // two posting counts × (mcf, rate, ttfc of two arms + two comparisons)
    }

    /// The classic (R) mcf interval at 5 postings covers about 85% (measured 83–85% on 10,000
    /// replicates), the corrected one 94–96%: the correction is what the default buys.
    @Test func classicMeanCumulativeIntervalUndercoversAtFivePostings() throws {
        let study = try Self.study("hawkes", postings: [5], method: .classic)
        for cell in study.cells where cell.metric == "mcf" {
            let p = 0.85, sigma = (p * (1 - p) / Double(Self.replicates)).squareRoot()
            #expect(abs(cell.coverage - p) <= 4.5 * sigma, "\(cell.arm): \(cell.coverage)")
        }
    }

    /// Under short bursts (hawkes-bursty.yaml) the classic exact Poisson rate-bin interval covers
    /// about 77% (measured 76.6–77.3% at 5 and 10 postings on 10,000 replicates): it ignores the
    /// clustering that the corrected cluster-robust interval accounts for.
    @Test func classicRateBinUndercoversUnderBursts() throws {
        let study = try Self.study("hawkes-bursty", postings: [10], method: .classic)
        let cells = study.cells.filter { $0.metric == "rate" }
        #expect(cells.count == 2)
        for cell in cells {
            let p = 0.77, sigma = (p * (1 - p) / Double(Self.replicates)).squareRoot()
            #expect(abs(cell.coverage - p) <= 4.5 * sigma, "\(cell.arm): \(cell.coverage)")
        }
    }
}
