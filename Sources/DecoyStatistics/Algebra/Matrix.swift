/// A small dense matrix of doubles, stored row by row: the algebra of a regression with a
/// handful of coefficients (information matrices, sandwiches, their inverses).
///
/// Meant for dimensions up to a few dozen: every operation is the textbook O(n³) or O(n²) loop.
public struct Matrix: Sendable, Equatable, Hashable {
    public let rows: Int
    public let columns: Int
    /// The entries, row by row: entry (i, j) is `elements[i * columns + j]`.
    public private(set) var elements: [Double]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "a matrix has non-negative dimensions")
        self.rows = rows
        self.columns = columns
        elements = Array(repeating: 0, count: rows * columns)
    }

    /// A matrix from its rows, all of one length.
    public init(_ rows: [[Double]]) {
        let columns = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == columns }, "every row of a matrix has the same length")
        self.rows = rows.count
        self.columns = columns
        elements = rows.flatMap { $0 }
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    /// The p × p outer product v vᵀ.
    public static func outer(_ v: [Double]) -> Matrix {
        var m = Matrix(rows: v.count, columns: v.count)
        m.addOuter(v)
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// The diagonal entries.
    public var diagonal: [Double] { (0..<min(rows, columns)).map { self[$0, $0] } }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t[j, i] = self[i, j] } }
        return t
    }

    /// Adds `scale` · v vᵀ (v of length `rows`, a square matrix).
    public mutating func addOuter(_ v: [Double], scale: Double = 1) {
        precondition(rows == columns && v.count == rows, "addOuter needs a square matrix of the vector's length")
        for i in 0..<rows {
            let vi = scale * v[i]
            for j in 0..<columns { elements[i * columns + j] += vi * v[j] }
        }
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "matrix sum of unequal shapes")
        var c = a
        for k in c.elements.indices { c.elements[k] += b.elements[k] }
        return c
    }

    public static func * (scale: Double, a: Matrix) -> Matrix {
        var c = a
        for k in c.elements.indices { c.elements[k] *= scale }
        return c
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "matrix product of \(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let aik = a[i, k]
                if aik == 0 { continue }
                for j in 0..<b.columns { c.elements[i * b.columns + j] += aik * b[k, j] }
            }
        }
        return c
    }

    /// The product with a vector.
    public static func * (a: Matrix, v: [Double]) -> [Double] {
        precondition(a.columns == v.count, "matrix–vector product of \(a.rows)×\(a.columns) and \(v.count)")
        return (0..<a.rows).map { i in (0..<a.columns).reduce(0) { $0 + a[i, $1] * v[$1] } }
    }
}

extension Matrix {
    /// The Cholesky factor L (lower triangular, L Lᵀ = self) of a symmetric positive definite
    /// matrix, or `nil` when a pivot is not above `tolerance` times the largest diagonal entry
    /// (the matrix is singular or not positive definite to working precision).
    ///
    /// The tolerance plays the role of R survival's `toler.chol` (`.Machine$double.eps^0.75`).
    public func cholesky(tolerance: Double = 1.8189894035458565e-12) -> Matrix? {
        precondition(rows == columns, "Cholesky needs a square matrix")
        let n = rows
        var l = Matrix(rows: n, columns: n)
        let scale = diagonal.map(abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return nil }
        for j in 0..<n {
            var pivot = self[j, j]
            for k in 0..<j { pivot -= l[j, k] * l[j, k] }
            guard pivot > tolerance * scale else { return nil }
            let root = pivot.squareRoot()
            l[j, j] = root
            for i in (j + 1)..<max(j + 1, n) {
                var sum = self[i, j]
                for k in 0..<j { sum -= l[i, k] * l[j, k] }
                l[i, j] = sum / root
            }
        }
        return l
    }

    /// The solution x of self · x = b for a symmetric positive definite matrix, by its Cholesky
    /// factor; `nil` when the matrix is not positive definite.
    public func solve(_ b: [Double]) -> [Double]? {
        guard let l = cholesky() else { return nil }
        return Self.solve(cholesky: l, b)
    }

    /// The inverse of a symmetric positive definite matrix, `nil` when it is not one.
    public var inverse: Matrix? {
        guard let l = cholesky() else { return nil }
        var inverse = Matrix(rows: rows, columns: columns)
        for j in 0..<columns {
            var unit = Array(repeating: 0.0, count: rows)
            unit[j] = 1
            let x = Self.solve(cholesky: l, unit)
            for i in 0..<rows { inverse[i, j] = x[i] }
        }
        // Symmetric by construction; average the rounding away so it is exactly symmetric.
        for i in 0..<rows {
            for j in (i + 1)..<max(i + 1, columns) {
                let mean = (inverse[i, j] + inverse[j, i]) / 2
                inverse[i, j] = mean
                inverse[j, i] = mean
            }
        }
        return inverse
    }

    /// Forward and back substitution with L Lᵀ.
    static func solve(cholesky l: Matrix, _ b: [Double]) -> [Double] {
        let n = l.rows
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i, k] * y[k] }
            y[i] /= l[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, n) { y[i] -= l[k, i] * y[k] }
            y[i] /= l[i, i]
        }
        return y
    }
}
