import Foundation
import Testing
@testable import DecoyStatistics

/// The proportional-rates fitter against R survival's `coxph(Surv(start, stop, event) ~ … +
/// cluster(posting))`: Fixtures/make_proportional_rates_reference.R on simulated postings with
/// removal, tied contacts across postings, a posting without contact and a contact at a window's
/// end, and on R's own recurrent-event data sets `cgd` (128 patients, infections) and `bladder2`
/// (85 patients, tumour recurrences), with Efron's and Breslow's ties, an extra covariate and
/// strata. Every number to 1e-10.
@Suite struct ProportionalRatesReferenceTests {
    struct Posting { var x1: Double, x2: Double, stratum: Int, window: Double, times: [Double] }

    static func datasets() throws -> [String: [Posting]] {
        var postings: [String: [(String, Posting)]] = [:]
        for row in try CurveReferenceTests.fixture("proportional_rates_postings") {
            postings[row[0], default: []].append((row[1], Posting(x1: Double(row[2])!, x2: Double(row[3])!, stratum: Int(row[4])!,
                                                                 window: Double(row[5])!, times: [])))
        }
        for row in try CurveReferenceTests.fixture("proportional_rates_contacts") {
            let index = try #require(postings[row[0]]?.firstIndex { $0.0 == row[1] })
            postings[row[0]]![index].1.times.append(Double(row[2])!)
        }
        return postings.mapValues { $0.map(\.1) }
    }

    static func data(_ postings: [Posting], model: String) -> ProportionalRates.Data {
        ProportionalRates.Data(
            covariates: postings.map { model == "arm+x2" ? [$0.x1, $0.x2] : [$0.x1] }, windows: postings.map(\.window),
            times: postings.map(\.times), strata: model == "arm+strata" ? postings.map(\.stratum) : nil)
    }

    static func close(_ a: Double, _ b: String, _ tolerance: Double = 1e-10) -> Bool {
        guard let b = Double(b) else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    @Test(arguments: ["sim1", "sim2", "sim3", "sim4", "cgd", "bladder2"], ["arm", "arm+x2", "arm+strata"])
    func fitEqualsCoxph(dataset: String, model: String) throws {
        let postings = try #require(try Self.datasets()[dataset])
        let reference = try CurveReferenceTests.fixture("proportional_rates_reference").filter { $0[0] == dataset && $0[1] == model }
        for ties in Ties.allCases {
            let rows = reference.filter { $0[2] == ties.rawValue }
            try #require(rows.count == (model == "arm+x2" ? 2 : 1))
            let model = ProportionalRates(Self.data(postings, model: model), ties: ties)
            let fit = try model.fit()
            let jackknife = ProportionalRates.jackknifeVariance(try model.leaveOneOut(fit), around: fit.coefficients)
            let z = SpecialFunctions.normalQuantile(0.975)
            for (j, row) in rows.enumerated() {
                let place = "\(dataset) \(row[1]) \(ties.rawValue) \(row[3])"
                let coef = fit.coefficients[j], se = fit.naiveVariance[j, j].squareRoot(), robust = fit.robustVariance[j, j].squareRoot()
                #expect(Self.close(coef, row[4]), "\(place) coef \(coef) vs \(row[4])")
                #expect(Self.close(se, row[5]), "\(place) se \(se) vs \(row[5])")
                #expect(Self.close(robust, row[6]), "\(place) robust se \(robust) vs \(row[6])")
                #expect(Self.close(coef / robust, row[7]), "\(place) z")
                #expect(Self.close(2 * SpecialFunctions.normalCDF(-abs(coef / robust)), row[8]), "\(place) p")
                #expect(Self.close(exp(coef - z * robust), row[9]), "\(place) lower")
                #expect(Self.close(exp(coef + z * robust), row[10]), "\(place) upper")
                #expect(Self.close(fit.logLikelihood, row[11]), "\(place) loglik \(fit.logLikelihood) vs \(row[11])")
                #expect(Self.close(fit.scoreStatistic, row[12]), "\(place) score test \(fit.scoreStatistic) vs \(row[12])")
                #expect(Self.close(jackknife[j, j].squareRoot(), row[13]), "\(place) jackknife se \(jackknife[j, j].squareRoot()) vs \(row[13])")
            }
        }
    }

    /// Breslow's and Efron's likelihoods agree where no two contacts share an instant.
    @Test func tiesDoNotMatterWithoutTies() throws {
        let data = ProportionalRates.Data(
            covariates: [[1], [1], [0], [0], [1]], windows: [10, 4, 9, 10, 2.5],
            times: [[0.5, 1.25, 9], [0.75, 3.9], [0.1, 2, 2.2], [6], []])
        let efron = try ProportionalRates(data, ties: .efron).fit(), breslow = try ProportionalRates(data, ties: .breslow).fit()
        #expect(efron == breslow)
    }

    @Test func anArmWithoutContactsHasAnInfiniteRatio() {
        let data = ProportionalRates.Data(covariates: [[1], [1], [0], [0]], windows: [10, 10, 10, 10], times: [[1, 2], [3], [], []])
        #expect(throws: ProportionalRates.Failure.self) { try ProportionalRates(data).fit() }
        let none = ProportionalRates.Data(covariates: [[1], [0]], windows: [10, 10], times: [[], []])
        #expect(throws: ProportionalRates.Failure.noContacts) { try ProportionalRates(none).fit() }
    }

    /// With equal windows the model's estimate is the log ratio of the arms' mean counts.
    @Test func equalWindowsGiveTheRatioOfMeanCounts() throws {
        let data = ProportionalRates.Data(
            covariates: [[1], [1], [1], [0], [0]], windows: [24, 24, 24, 24, 24],
            times: [[1, 2, 3], [4.5], [0.25, 7, 8, 9], [2.5, 6], [11]])
        let fit = try ProportionalRates(data, ties: .breslow).fit()
        #expect(abs(fit.coefficients[0] - log((8.0 / 3) / (3.0 / 2))) < 1e-12)
    }
}

/// Minute-resolution field data: several contacts of one posting at one instant.
@Suite struct WithinPostingTiesTests {
    /// Efron's correction is for postings tied at an instant; a posting's further contacts there
    /// follow its first. The estimate then equals the one on the same data with those further
    /// contacts a moment later (what R must be given), and stays defined where five contacts of
    /// one posting share a minute with fewer postings at risk.
    @Test func aPostingsContactsAtOneInstantDoNotBreakEfron() throws {
        let windows = [2.0, 2, 2, 2]
        let tied: [[Double]] = [[1.0 / 60, 1.0 / 60, 1.0 / 60, 1.0 / 60, 1.0 / 60], [10.0 / 60], [1.0 / 60], [20.0 / 60, 40.0 / 60]]
        let apart: [[Double]] = [[1.0 / 60, 1.0 / 60 + 1e-9, 1.0 / 60 + 2e-9, 1.0 / 60 + 3e-9, 1.0 / 60 + 4e-9], [10.0 / 60], [1.0 / 60], [20.0 / 60, 40.0 / 60]]
        let covariates: [[Double]] = [[1], [1], [0], [0]]
        for ties in Ties.allCases {
            let fit = try ProportionalRates(ProportionalRates.Data(covariates: covariates, windows: windows, times: tied), ties: ties).fit()
            let reference = try ProportionalRates(ProportionalRates.Data(covariates: covariates, windows: windows, times: apart), ties: ties).fit()
            #expect(abs(fit.coefficients[0] - reference.coefficients[0]) < 1e-9, "\(ties): \(fit.coefficients) vs \(reference.coefficients)")
            #expect(fit.robustVariance[0, 0].isFinite && fit.robustVariance[0, 0] > 0)
        }
    }
}
