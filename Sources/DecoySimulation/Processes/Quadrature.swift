import Foundation

/// Adaptive Gauss–Kronrod (7-point Gauss, 15-point Kronrod) integration.
///
/// Nodes and weights are those tabulated in QUADPACK (Piessens et al., 1983). An interval is
/// split in two until the Kronrod–Gauss difference is below the tolerance, which on smooth
/// integrands bounds the error far more tightly than the tolerance itself.
public enum Quadrature {
    static let kronrodNodes: [Double] = [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.000000000000000000000000000000000,
    ]
    static let kronrodWeights: [Double] = [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ]
    /// Gauss weights of the nodes with odd index above (1, 3, 5) and of the centre.
    static let gaussWeights: [Double] = [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327,
    ]

    /// ∫ₐᵇ f(x) dx to within `relativeTolerance` of the result (or `absoluteTolerance`).
    public static func integrate(
        _ a: Double, _ b: Double, relativeTolerance: Double = 1e-12, absoluteTolerance: Double = 1e-300,
        _ f: (Double) -> Double
    ) -> Double {
        guard b > a else { return 0 }
        var total = 0.0
        var stack: [(Double, Double, Int)] = [(a, b, 0)]
        let whole = rule(a, b, f).kronrod
        let target = max(absoluteTolerance, relativeTolerance * abs(whole))
        while let (lo, hi, depth) = stack.popLast() {
            let (k, g) = rule(lo, hi, f)
            if abs(k - g) <= target * (hi - lo) / (b - a) || depth >= 50 {
                total += k
            } else {
                let mid = (lo + hi) / 2
                stack.append((mid, hi, depth + 1))
                stack.append((lo, mid, depth + 1))
            }
        }
        return total
    }

    static func rule(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> (kronrod: Double, gauss: Double) {
        let centre = (a + b) / 2, half = (b - a) / 2
        let fc = f(centre)
        var kronrod = fc * kronrodWeights[7]
        var gauss = fc * gaussWeights[3]
        for i in 0..<7 {
            let dx = half * kronrodNodes[i]
            let pair = f(centre - dx) + f(centre + dx)
            kronrod += kronrodWeights[i] * pair
            if i % 2 == 1 { gauss += gaussWeights[i / 2] * pair }
        }
        return (kronrod * half, gauss * half)
    }
}
