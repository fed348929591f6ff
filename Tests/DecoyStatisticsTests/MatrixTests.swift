import Testing
@testable import DecoyStatistics

/// The small dense algebra the proportional-rates model needs, against values worked by hand.
@Suite struct MatrixTests {
    /// A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [−1, 2, 1]].
    static let a = Matrix([[4, 2, -2], [2, 10, 5], [-2, 5, 6]])

    @Test func choleskyRecoversTheFactor() throws {
        let l = try #require(Self.a.cholesky())
        #expect(l == Matrix([[2, 0, 0], [1, 3, 0], [-1, 2, 1]]))
        #expect(l * l.transposed == Self.a)
    }

    @Test func solveAndInverseInvert() throws {
        // A x = b for x = (1, −2, 3): b = (4 − 4 − 6, 2 − 20 + 15, −2 − 10 + 18).
        let x = try #require(Self.a.solve([-6, -3, 6]))
        for (value, expected) in zip(x, [1.0, -2, 3]) { #expect(abs(value - expected) < 1e-14) }
        let inverse = try #require(Self.a.inverse)
        let identity = inverse * Self.a
        for i in 0..<3 { for j in 0..<3 { #expect(abs(identity[i, j] - (i == j ? 1 : 0)) < 1e-14) } }
        #expect(inverse == inverse.transposed)
    }

    @Test func singularOrIndefiniteMatricesHaveNoFactor() {
        #expect(Matrix([[1, 2], [2, 4]]).cholesky() == nil)
        #expect(Matrix([[1, 3], [3, 1]]).inverse == nil)
        #expect(Matrix([[0, 0], [0, 0]]).solve([1, 1]) == nil)
    }

    @Test func outerProductsAndProducts() {
        var m = Matrix.outer([1, 2])
        m.addOuter([3, -1], scale: 2)
        #expect(m == Matrix([[19, -4], [-4, 6]]))
        #expect(Matrix([[1, 2], [3, 4]]) * [1, -1] == [-1, -1])
        #expect((2 * Matrix.identity(2) + Matrix([[0, 1], [1, 0]])).diagonal == [2, 2])
    }
}
