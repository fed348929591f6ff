public import DecoyStatistics
import Foundation

/// The ratio of two arms' contact intensities among postings still live at the same age: the
/// proportional-rates model (``ProportionalRates``) with the arm as its one covariate, removal as
/// censoring, postings as clusters (docs/statistics.md, `compare`'s headline).
///
/// s = hours since a posting went live; posting i is at risk on (0, Cᵢ] and
/// λᵢ(s) = λ₀(s)·exp(β·xᵢ), xᵢ = 1 in the first arm. Because both arms are compared at the same
/// ages, an arm whose ads are taken down early is not credited with the high rate of a fresh ad,
/// as contacts per posting-hour would credit it when the response decays.
///
/// Inference on β̂ (Wald, on the log scale; ratio = e^β̂):
/// - ``IntervalMethod/classic``: the robust (Lin–Wei–Yang–Ying) standard error and normal
///   quantiles: R's `coxph(Surv(start, stop, event) ~ arm + cluster(posting))`, its `robust se`,
///   `exp(confint(fit))` and `Pr(>|z|)`, to 1e-10;
/// - ``IntervalMethod/corrected`` (default): the jackknife over postings (Lipsitz and Parzen,
///   Biometrics 52:291–298, 1996), √((G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)²) with each β̂₍₋g₎ refitted without
///   posting g, and Student's t with G − 1 degrees of freedom (G postings in both arms), the
///   reference Cameron and Miller (J Human Resources 50:317–372, 2015) and MacKinnon, Nielsen and
///   Webb (J Econometrics 232:272–299, 2023) give this cluster jackknife. The robust sandwich is
///   biased down with few clusters: its test rejects identical arms far more often than α at 5
///   postings per arm; the type I study in docs/statistics.md shows both.
///   In R: `sqrt((G-1)/G * sum((b_g - b)^2))` over `coef(coxph(…, subset = posting != g))`, with
///   `qt(0.975, G - 1)` and `2 * pt(-abs(b / se), G - 1)`.
public struct ProportionalRatesComparison: Sendable, Equatable {
    /// e^β̂, the first arm's intensity over the second's, with its interval.
    public var ratio: Estimate
    /// The two-sided p of β = 0.
    public var p: Double?
    /// The standard error of β̂ (robust or jackknife).
    public var logStandardError: Double?
    /// The t reference's degrees of freedom (corrected), `nil` for the normal reference.
    public var degreesOfFreedom: Double?
    /// Why the comparison is undefined, when it is.
    public var undefined: String?
    /// Where its level is known not to hold: arms of very unequal size with few postings in the smaller.
    public var warning: String?

    public init(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) {
        let test = Self.test(a, b, settings: settings)
        ratio = Estimate(test.beta.map { Foundation.exp($0) }, lower: nil, upper: nil)
        p = test.p
        logStandardError = test.standardError
        degreesOfFreedom = test.degreesOfFreedom
        undefined = test.undefined
        warning = Self.imbalance(a, b, settings: settings)
        guard let beta = test.beta, let se = test.standardError, test.p != nil else {
            // Undefined: no number stands in for it.
            ratio.value = nil
            return
        }
        let quantile = degreesOfFreedom.map { SpecialFunctions.studentTQuantile(0.5 + settings.confidence / 2, degreesOfFreedom: $0) }
            ?? SpecialFunctions.normalQuantile(0.5 + settings.confidence / 2)
        ratio.lower = Foundation.exp(beta - quantile * se)
        ratio.upper = Foundation.exp(beta + quantile * se)
    }

    /// β̂, its standard error, the reference's degrees of freedom and the two-sided p: everything
    /// but the interval (what a power simulation needs; the comparison adds the interval).
    public struct Test: Sendable, Equatable {
        public var beta: Double?
        public var standardError: Double?
        public var degreesOfFreedom: Double?
        public var p: Double?
        public var undefined: String?
    }

    public static func test(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) -> Test {
        var result = Test()
        func undefined(_ reason: String) -> Test { result.undefined = reason; return result }
        guard a.postings > 0, b.postings > 0 else { return undefined("an arm has no postings") }
        guard a.contacts + b.contacts > 0 else { return undefined("neither arm has a contact") }
        guard a.contacts > 0 else { return undefined("arm \(a.name) has no contact, so the ratio is 0") }
        guard b.contacts > 0 else { return undefined("arm \(b.name) has no contact, so the ratio is infinite") }
        if settings.intervals == .corrected, a.postings < 2 || b.postings < 2 {
            return undefined("the jackknife needs at least 2 postings in each arm")
        }
        let model = Self.model(a, b, ties: settings.ties)
        let se: Double
        switch settings.intervals {
        case .classic:
            let fit: ProportionalRates.Fit
            do { fit = try model.fit() } catch { return undefined("the model cannot be fitted: \(error)") }
            result.beta = fit.coefficients[0]
            se = fit.robustVariance[0, 0].squareRoot()
        case .corrected:
            // The jackknife needs the estimate, not the fit's variances.
            let beta: [Double]
            do { beta = try model.estimate() } catch { return undefined("the model cannot be fitted: \(error)") }
            result.beta = beta[0]
            let leftOut: [[Double]]
            do { leftOut = try model.leaveOneOut(around: beta) } catch {
                return undefined("leaving one posting out leaves an arm without contact (all its contacts come from one posting), so the jackknife is undefined")
            }
            se = ProportionalRates.jackknifeVariance(leftOut, around: beta)[0, 0].squareRoot()
            result.degreesOfFreedom = Double(a.postings + b.postings - 1)
        }
        let beta = result.beta!
        result.standardError = se
        // A standard error at rounding level is no estimate: every posting fits exactly.
        guard se > 1e-9 * max(1, abs(beta)), se.isFinite else {
            return undefined("the standard error is 0: the postings' contacts fit the arms exactly, so there is no spread to estimate it from")
        }
        let z = -abs(beta) / se
        result.p = result.degreesOfFreedom.map { 2 * SpecialFunctions.studentTCDF(z, degreesOfFreedom: $0) } ?? 2 * SpecialFunctions.normalCDF(z)
        return result
    }

    /// The model with the arm as covariate (1 in the first arm), from contact times, or from
    /// counts when every window is the same and no times were drawn.
    static func model(_ a: ArmSample, _ b: ArmSample, ties: Ties) -> ProportionalRates {
        let covariates = Array(repeating: [1.0], count: a.postings) + Array(repeating: [0.0], count: b.postings)
        if let timesA = a.times, let timesB = b.times {
            return ProportionalRates(ProportionalRates.Data(covariates: covariates, windows: a.windows + b.windows, times: timesA + timesB),
                                     ties: ties)
        }
        let window = a.windows.first ?? 0
        precondition(a.everyWindowIs(window) && b.everyWindowIs(window), "unequal windows need the contact times")
        return ProportionalRates(covariates: covariates, counts: a.counts + b.counts)
    }

    public var outcome: ArmTest.Outcome {
        ArmTest.Outcome(p: p, effect: ratio.value, undefined: undefined)
    }

    /// A warning where one arm has fewer than 10 postings and the other at least 3 times as many:
    /// there the jackknife's test rejects identical arms more often than α (6–8% at 3 or 5
    /// postings against 3 or 5 times as many, 8–14% at 2 or 3 against 10 times as many, Poisson
    /// arms), while the randomization test holds its level.
    static func imbalance(_ a: ArmSample, _ b: ArmSample, settings: ComparisonSettings) -> String? {
        let small = min(a.postings, b.postings), large = max(a.postings, b.postings)
        guard settings.intervals == .corrected, small > 0, small < 10, large >= 3 * small else { return nil }
        return "the arms are unbalanced (\(a.postings) postings against \(b.postings)): with so few in the smaller arm this test rejects identical arms more often than α; the randomization test holds its level here"
    }
}
