public import DecoyStatistics
import DecoySimulation
import Foundation

/// The randomization test of one label term of a regression (by default `arm`), the other terms
/// and the strata held: the model without the term is fitted, each posting's martingale residual
/// under it is its score, and the term's levels are re-assigned among the postings of each block
/// — a stratum crossed with the levels of the other label terms — keeping each block's count of
/// each level (``StratifiedPermutationTest``). It tests the sharp null that the term changes
/// nothing about a posting, its window included; with the arm alone and no strata it is
/// `compare`'s randomization test.
public struct RegressionRandomization: Sendable, Equatable {
    public var term: String
    public var test: StratifiedPermutationTest

    /// The test of `term` (a single label covariate among `settings.terms`).
    public init(_ values: RunValues, term name: String, settings: RegressionSettings,
                randomization: ComparisonSettings.Randomization = .init()) throws(RegressionError) {
        let full = try RegressionDesign(run: values.run, settings: settings)
        let covariates = PostingCovariates(run: values.run, members: full.members)
        guard case let .label(_, codes) = try covariates.values(
            of: name, forceLabel: true, reference: settings.references[name]) else { preconditionFailure("read as a label") }
        let others = settings.terms.filter { !$0.factors.contains(name) }
        let windows = full.members.map { values.run.postings[$0].window }
        let times = full.members.map { values.contacts[$0].map(hours) }
        guard times.contains(where: { !$0.isEmpty }) else { throw .noContacts }
        var eta = [Double](repeating: 0, count: full.members.count)
        if !others.isEmpty {
            var nullSettings = settings
            nullSettings.terms = others
            nullSettings.references = settings.references.filter { $0.key != name }
            let design = try RegressionDesign(run: values.run, settings: nullSettings)
            let model = ProportionalRates(ProportionalRates.Data(covariates: design.rows, windows: windows, times: times, strata: design.strata),
                                          ties: settings.ties)
            let gamma: [Double]
            do { gamma = try model.estimate() } catch { throw .jackknife("the model without \(name) cannot be fitted for its randomization test: \(error)") }
            eta = design.rows.map { row in zip(row, gamma).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        // Blocks: strata × the levels of the other label terms.
        var blockKeys: [[Int]] = full.strata.map { [$0] }
        for term in others where term.factors.count == 1 {
            if case let .label(_, other) = try covariates.values(of: term.factors[0], forceLabel: settings.factors.contains(term.factors[0]), reference: nil) {
                for i in blockKeys.indices { blockKeys[i].append(other[i]) }
            }
        }
        var blockIDs: [[Int]: Int] = [:]
        let blocks = blockKeys.map { key in
            if let id = blockIDs[key] { return id }
            blockIDs[key] = blockIDs.count
            return blockIDs.count - 1
        }
        let scores = MartingaleResiduals.residuals(windows: windows, times: times, linearPredictors: eta, strata: full.strata)
        var generator = RandomStream.randomization(seed: randomization.seed, numbers: randomization.stream + [3])
        term = name
        test = StratifiedPermutationTest(scores: scores, levels: codes, blocks: blocks, enumerationLimit: randomization.enumerationLimit,
                                         draws: randomization.draws, using: &generator)
    }
}
