public import DecoyStatistics
import Foundation

/// The proportional-rates model with several covariates (docs/statistics.md, `regress`): arm, attributes,
/// per-posting values and their interactions, optionally a baseline per stratum, postings as
/// clusters — R's `coxph(Surv(start, stop, event) ~ terms + strata(s) + cluster(posting))`.
///
/// Inference, per coefficient (Wald, log scale, ratio = e^β̂) and per term (joint Wald test of its
/// coefficients, ``WaldTest``):
/// - ``IntervalMethod/classic``: the robust (Lin–Wei–Yang–Ying) covariance with normal quantiles
///   and χ²(q) for a term: R's `robust se`, `Pr(>|z|)`, `exp(confint(fit))`, and
///   `b %*% solve(V, b)` over the term's coefficients, to 1e-10;
/// - ``IntervalMethod/corrected`` (default): the jackknife covariance over postings, Student's t
///   on G − 1 degrees of freedom per coefficient and Hotelling's F on (q, G − q) per term — the
///   same small-sample inference as `compare`'s proportional-rates ratio (see
///   ``ProportionalRatesComparison``), of which a model with the arm alone is the special case.
public struct ProportionalRatesRegression: Sendable, Equatable {
    /// One coefficient.
    public struct Coefficient: Sendable, Equatable {
        public var term: String
        /// The level contrasted with the reference, `nil` for a number.
        public var level: String?
        /// β̂, the log rate ratio (per unit of a number).
        public var coefficient: Double
        /// e^β̂ with its interval.
        public var ratio: Estimate
        public var standardError: Double
        public var p: Double
    }

    /// The joint test that a term's coefficients are all zero.
    public struct TermTest: Sendable, Equatable {
        public var term: String
        public var test: WaldTest
    }

    public var coefficients: [Coefficient]
    public var tests: [TermTest]
    /// The postings, contacts and strata analysed.
    public var postings: Int
    public var contacts: Int
    public var strata: Int
    public var ties: Ties
    public var intervals: IntervalMethod
    public var confidence: Double
    /// The t reference's degrees of freedom (corrected); `nil` under the normal reference.
    public var degreesOfFreedom: Double?
    /// Newton steps of the fit.
    public var iterations: Int
    /// The reference level of every label covariate among the terms.
    public var references: [(covariate: String, level: String)]
    /// The randomization test of one label term, where asked for (``RegressionRandomization``).
    public var randomization: RegressionRandomization?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.coefficients == rhs.coefficients && lhs.tests == rhs.tests && lhs.postings == rhs.postings && lhs.contacts == rhs.contacts
            && lhs.strata == rhs.strata && lhs.ties == rhs.ties && lhs.intervals == rhs.intervals && lhs.confidence == rhs.confidence
            && lhs.degreesOfFreedom == rhs.degreesOfFreedom && lhs.iterations == rhs.iterations
            && lhs.references.elementsEqual(rhs.references, by: { $0 == $1 }) && lhs.randomization == rhs.randomization
    }

    /// Fits the model of `settings` to a run's values.
    public init(_ values: RunValues, settings: RegressionSettings) throws(RegressionError) {
        let design = try RegressionDesign(run: values.run, settings: settings)
        let times = design.members.map { values.contacts[$0].map(hours) }
        try self.init(design: design, windows: design.members.map { values.run.postings[$0].window }, times: times,
                      references: Self.references(values.run, design: design, settings: settings), settings: settings)
    }

    /// Fits the model of `design` to its postings' windows and contact times (hours).
    public init(design: RegressionDesign, windows: [Double], times: [[Double]], references: [(covariate: String, level: String)] = [],
                settings: RegressionSettings) throws(RegressionError) {
        let contacts = times.reduce(0) { $0 + $1.count }
        guard contacts > 0 else { throw .noContacts }
        let model = ProportionalRates(
            ProportionalRates.Data(covariates: design.rows, windows: windows, times: times, strata: design.strata), ties: settings.ties,
            threads: settings.threads)
        func failure(_ error: ProportionalRates.Failure) -> RegressionError {
            switch error {
            case .noContacts: .noContacts
            case .singular: .collinear("a term")
            case let .infinite(j): .infinite(design.name(of: j))
            case let .notConverged(iterations, lastStep): .notConverged(iterations: iterations, lastStep: lastStep)
            }
        }
        let fit: ProportionalRates.Fit
        do { fit = try model.fit() } catch { throw failure(error) }
        let beta = fit.coefficients
        let g = design.rows.count
        let variance: Matrix
        switch settings.intervals {
        case .classic:
            variance = fit.robustVariance
            degreesOfFreedom = nil
        case .corrected:
            let leftOut: [[Double]]
            do { leftOut = try model.leaveOneOut(fit, threads: settings.threads) } catch {
                let which: String = if case let .infinite(j) = error { design.name(of: j) } else { "a term" }
                throw .jackknife(
                    "leaving one posting out leaves \(which) inestimable (for a level, its contacts all come from one posting; for a number, one posting alone separates the others), so the jackknife over postings is undefined")
            }
            variance = ProportionalRates.jackknifeVariance(leftOut, around: beta)
            degreesOfFreedom = Double(g - 1)
        }
        let quantile = degreesOfFreedom.map { SpecialFunctions.studentTQuantile(0.5 + settings.confidence / 2, degreesOfFreedom: $0) }
            ?? SpecialFunctions.normalQuantile(0.5 + settings.confidence / 2)
        var coefficients: [Coefficient] = []
        for (j, column) in design.columns.enumerated() {
            let se = variance[j, j].squareRoot()
            // A standard error at rounding level is no estimate: every posting fits exactly.
            guard se > 1e-9 * max(1, abs(beta[j])), se.isFinite, beta[j].isFinite else {
                throw .jackknife("\(design.name(of: j)): its standard error is 0 or undefined (the postings' contacts fit the model exactly, so there is no spread to estimate it from)")
            }
            let bounds = [beta[j] - quantile * se, beta[j], beta[j] + quantile * se].map { Foundation.exp($0) }
            guard bounds.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw .jackknife("\(design.name(of: j)): its ratio or interval is beyond the range of a double (e^\(String(format: "%.3g", beta[j])) ± \(String(format: "%.3g", quantile * se))); rescale the covariate (e.g. per 1,000 or in standard deviations)")
            }
            let z = -abs(beta[j]) / se
            let p = degreesOfFreedom.map { 2 * SpecialFunctions.studentTCDF(z, degreesOfFreedom: $0) } ?? 2 * SpecialFunctions.normalCDF(z)
            coefficients.append(Coefficient(
                term: column.term, level: column.level, coefficient: beta[j],
                ratio: Estimate(Foundation.exp(beta[j]), lower: Foundation.exp(beta[j] - quantile * se), upper: Foundation.exp(beta[j] + quantile * se)),
                standardError: se, p: p))
        }
        var tests: [TermTest] = []
        for (t, term) in settings.terms.enumerated() {
            let reference: WaldTest.Reference = settings.intervals == .classic ? .chiSquare : .hotelling(clusters: g)
            guard let test = WaldTest(estimate: beta, variance: variance, coefficients: design.termColumns[t], reference: reference) else {
                throw .jackknife("term \(term): the covariance of its coefficients is singular, so it has no joint test")
            }
            tests.append(TermTest(term: term.description, test: test))
        }
        self.coefficients = coefficients
        self.tests = tests
        postings = g
        self.contacts = contacts
        strata = max(1, design.strataLevels.count)
        ties = settings.ties
        intervals = settings.intervals
        confidence = settings.confidence
        iterations = fit.iterations
        self.references = references
    }

    /// The reference level of each label covariate among the terms, as the design coded it.
    static func references(_ run: RunDescription, design: RegressionDesign, settings: RegressionSettings) -> [(covariate: String, level: String)] {
        let covariates = PostingCovariates(run: run, members: design.members)
        var names: [String] = []
        for term in settings.terms { for name in term.factors where !names.contains(name) { names.append(name) } }
        return names.compactMap { name in
            guard case let .label(levels, _)? = try? covariates.values(
                of: name, forceLabel: settings.factors.contains(name), reference: settings.references[name]) else { return nil }
            return (name, levels[0])
        }
    }
}
