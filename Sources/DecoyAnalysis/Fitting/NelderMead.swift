/// Nelder–Mead simplex minimisation (Nelder and Mead, Computer Journal 7:308–313, 1965) with
/// the standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½).
enum NelderMead {
    struct Result {
        var point: [Double]
        var value: Double
        var converged: Bool
        var evaluations: Int
    }

    /// Minimises `f` from `start`, with initial steps `step` per coordinate, until the simplex's
    /// values differ by less than `tolerance` (relative) and its points by less than `tolerance`.
    static func minimize(_ f: ([Double]) -> Double, start: [Double], step: [Double], tolerance: Double = 1e-12, maxEvaluations: Int = 20_000) -> Result {
        let n = start.count
        var simplex = [start]
        for i in 0..<n {
            var p = start
            p[i] += step[i]
            simplex.append(p)
        }
        var values = simplex.map(f)
        var evaluations = n + 1
        func value(_ p: [Double]) -> Double {
            evaluations += 1
            let v = f(p)
            return v.isNaN ? .infinity : v
        }
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            let spread = abs(values[n] - values[0])
            let size = (1...n).map { i in zip(simplex[i], simplex[0]).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
            if spread <= tolerance * (abs(values[0]) + tolerance), size <= tolerance * max(1, simplex[0].map(abs).max() ?? 1) {
                return Result(point: simplex[0], value: values[0], converged: true, evaluations: evaluations)
            }
            let centroid = (0..<n).map { j in simplex[0..<n].reduce(0) { $0 + $1[j] } / Double(n) }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = value(reflected)
            if fr < values[0] {
                let expanded = along(-2), fe = value(expanded)
                if fe < fr { simplex[n] = expanded; values[n] = fe } else { simplex[n] = reflected; values[n] = fr }
            } else if fr < values[n - 1] {
                simplex[n] = reflected
                values[n] = fr
            } else {
                let contracted = fr < values[n] ? along(-0.5) : along(0.5)
                let fc = value(contracted)
                if fc < min(fr, values[n]) {
                    simplex[n] = contracted
                    values[n] = fc
                } else {
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = value(simplex[i])
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return Result(point: simplex[best], value: values[best], converged: false, evaluations: evaluations)
    }
}
