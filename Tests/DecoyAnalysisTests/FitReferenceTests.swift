import Foundation
import Testing
@testable import DecoyAnalysis

/// `fit` against R's optim on the same likelihood (Fixtures/make_fit_reference.R on
/// Fixtures/fit_data.csv: 30 postings, 3 579 contacts, some windows cut short).
@Suite struct FitReferenceTests {
    static func fixture(_ name: String) throws -> [[String]] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func data() throws -> (windows: [Double], times: [[Double]]) {
        let rows = try fixture("fit_data")
        return (rows.map { Double($0[1])! }, rows.map { $0[2].isEmpty ? [] : $0[2].split(separator: ";").map { Double($0)! } })
    }

    static func reference(_ model: String) throws -> [(parameter: String, estimate: Double, se: Double, logL: Double)] {
        try fixture("fit_reference").filter { $0[0] == model }.map { ($0[1], Double($0[2])!, Double($0[3])!, Double($0[4])!) }
    }

    @Test(arguments: [IntensityFit.Model.poisson, .exponentialDecay])
    func estimatesAndStandardErrorsMatchOptim(model: IntensityFit.Model) throws {
        let (windows, times) = try Self.data()
        let fit = IntensityFit(model, windows: windows, times: times)
        let expected = try Self.reference(model.rawValue)
        try #require(expected.count == fit.parameters.count)
        #expect(fit.converged)
        for ((name, estimate), ((_, se), row)) in zip(fit.parameters, zip(fit.standardErrors, expected)) {
            #expect(name == row.parameter)
            #expect(abs(estimate - row.estimate) < 1e-6 * row.estimate, "\(name): \(estimate) vs R \(row.estimate)")
            // Both Hessians are by finite differences: agreement to 0.1%.
            #expect(abs(try #require(se) - row.se) < 1e-3 * row.se, "\(name) se: \(String(describing: se)) vs R \(row.se)")
        }
        #expect(abs(fit.logLikelihood - expected[0].logL) < 1e-8 * abs(expected[0].logL))
        #expect(abs(fit.aic - (2 * Double(expected.count) - 2 * expected[0].logL)) < 1e-7 * abs(fit.aic))
    }

    /// On exponential data the power law runs off to its exponential limit (scale and exponent
    /// grow together), where it is not identified; the maximum itself must still be reached.
    @Test func powerLawReachesTheSameMaximumAsOptim() throws {
        let (windows, times) = try Self.data()
        let fit = IntensityFit(.powerLaw, windows: windows, times: times)
        let r = try Self.reference("power-law")[0].logL
        #expect(fit.logLikelihood > r - 1e-3, "log L \(fit.logLikelihood) vs R \(r)")
    }

    /// A baseline fitted at its boundary is a rounding residue, not an estimate: the emitted
    /// block writes the 0 it estimates, and the block still validates.
    @Test func aBoundaryBaselineIsEmittedAsZero() throws {
        let (windows, times) = try Self.data()
        var fit = IntensityFit(.exponentialDecay, windows: windows, times: times)
        let index = try #require(fit.parameters.firstIndex { $0.0 == "baseline" })
        fit.parameters[index].1 = 1.3853909360989821e-17
        let block = try #require(ArmFits.configFragment(fit, arm: "decoy"))
        #expect(block.contains("      baseline: 0/h"), "\(block)")
        #expect(!block.contains("e-17"))
        fit.parameters[index].1 = 0.0025
        #expect(try #require(ArmFits.configFragment(fit, arm: "decoy")).contains("      baseline: 0.0025/h"))
    }
}
