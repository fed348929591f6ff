import Foundation
import Testing
@testable import DecoyStatistics

/// The F tail against R and the joint Wald test against forms worked by hand.
struct WaldTestTests {
    /// R 4.2.2: `sprintf("%.17g", pf(f, d1, d2, lower.tail = FALSE))`.
    @Test(arguments: [
        (3.2, 2.0, 17.0, 0.066142566666421362), (0.5, 1.0, 4.0, 0.51851851851851827), (40.0, 3.0, 9.5, 1.0475707574026596e-05),
        (1e-3, 5.0, 30.0, 0.99999989422480162), (250.0, 2.0, 120.0, 1.6120310139436321e-43),
    ])
    func fTailEqualsR(f: Double, d1: Double, d2: Double, expected: Double) {
        let p = SpecialFunctions.fSurvival(f, d1, d2)
        #expect(abs(p - expected) <= 1e-12 * expected, "pf(\(f), \(d1), \(d2)) = \(p), R \(expected)")
    }

    @Test func fTailAtItsEnds() {
        #expect(SpecialFunctions.fSurvival(0, 2, 3) == 1)
        #expect(SpecialFunctions.fSurvival(.infinity, 2, 3) == 0)
    }

    /// b = (1, 2), V = [[1, ½], [½, 2]]: V⁻¹ = (1/1.75)[[2, −½], [−½, 1]], so W = bᵀV⁻¹b = 16/7; χ²(2)
    /// has tail e^(−W/2); Hotelling with G = 10 gives F = W·8/(9·2) = 64/63 on (2, 8), whose tail
    /// is (1 + 2F/8)^(−4) = (79/63)^(−4).
    @Test func twoCoefficientsWorkedByHand() throws {
        let v = Matrix([[1, 0.5, 9], [0.5, 2, 9], [9, 9, 50]])
        let estimate = [1.0, 2.0, 7.0]
        let chi = try #require(WaldTest(estimate: estimate, variance: v, coefficients: [0, 1], reference: .chiSquare))
        #expect(abs(chi.statistic - 16.0 / 7) < 1e-14)
        #expect(abs(chi.p - Foundation.exp(-8.0 / 7)) < 1e-14)
        #expect(chi.fStatistic == nil && chi.dimension == 2)
        let hotelling = try #require(WaldTest(estimate: estimate, variance: v, coefficients: [0, 1], reference: .hotelling(clusters: 10)))
        #expect(abs(hotelling.fStatistic! - 64.0 / 63) < 1e-14)
        #expect(hotelling.denominatorDegreesOfFreedom == 8)
        #expect(abs(hotelling.p - Foundation.pow(79.0 / 63, -4)) < 1e-14)
    }

    /// One coefficient: χ²(1) is the two-sided z test, Hotelling's F(1, G − 1) the two-sided t on G − 1.
    @Test func oneCoefficientIsTheZOrTTest() throws {
        let v = Matrix([[0.09]])
        let z = 0.5 / 0.3
        let chi = try #require(WaldTest(estimate: [0.5], variance: v, coefficients: [0], reference: .chiSquare))
        #expect(abs(chi.p - 2 * SpecialFunctions.normalCDF(-z)) < 1e-13)
        let f = try #require(WaldTest(estimate: [0.5], variance: v, coefficients: [0], reference: .hotelling(clusters: 7)))
        #expect(abs(f.p - 2 * SpecialFunctions.studentTCDF(-z, degreesOfFreedom: 6)) < 1e-13)
    }

    @Test func undefinedWithoutDegreesOfFreedomOrAPositiveDefiniteCovariance() {
        #expect(WaldTest(estimate: [1, 1], variance: Matrix([[1, 0], [0, 1]]), coefficients: [0, 1], reference: .hotelling(clusters: 2)) == nil)
        #expect(WaldTest(estimate: [1, 1], variance: Matrix([[1, 1], [1, 1]]), coefficients: [0, 1], reference: .chiSquare) == nil)
        #expect(WaldTest(estimate: [1], variance: Matrix([[1]]), coefficients: [], reference: .chiSquare) == nil)
    }
}
