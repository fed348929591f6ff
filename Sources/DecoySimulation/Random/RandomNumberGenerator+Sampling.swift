import Foundation

extension RandomNumberGenerator {
    /// A uniform double in [0, 1): the top 53 bits of one output times 2⁻⁵³.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard exponential variate by inversion, −log(1 − U) with U from ``nextUnit()``.
    public mutating func nextExponential() -> Double {
        -Foundation.log1p(-nextUnit())
    }

    /// An index drawn with the given cumulative probabilities (ascending, the last ≈ 1):
    /// the first `k` with U < cumulative[k], or the last index.
    public mutating func nextIndex(cumulative: [Double]) -> Int {
        let u = nextUnit()
        for (index, bound) in cumulative.enumerated() where u < bound { return index }
        return cumulative.count - 1
    }

    /// A uniform integer in 0..<count: ⌊U · count⌋.
    public mutating func nextIndex(count: Int) -> Int {
        min(count - 1, Int(nextUnit() * Double(count)))
    }
}

extension RandomNumberGenerator {
    /// A Poisson variate with the given mean by sequential inversion of one uniform
    /// (for the small means of branching ratios; O(mean) steps).
    public mutating func nextPoisson(mean: Double) -> Int {
        let u = nextUnit()
        var probability = Foundation.exp(-mean)
        var cumulative = probability
        var k = 0
        while u >= cumulative, k < 10_000 {
            k += 1
            probability *= mean / Double(k)
            cumulative += probability
            if probability == 0 { break }
        }
        return k
    }

    /// A standard normal variate by the Box–Muller transform of two uniforms (cosine branch):
    /// √(−2 log(1 − U₁)) · cos(2π U₂).
    public mutating func nextNormal() -> Double {
        let radius = (-2 * Foundation.log1p(-nextUnit())).squareRoot()
        return radius * Foundation.cos(2 * Double.pi * nextUnit())
    }

    /// A Gamma(shape, 1) variate: Marsaglia and Tsang (ACM TOMS 26:363–372, 2000) for shape ≥ 1,
    /// and Gamma(shape + 1) · U^(1/shape) below 1.
    public mutating func nextGamma(shape: Double) -> Double {
        if shape < 1 {
            let boosted = nextGamma(shape: shape + 1)
            return boosted * Foundation.pow(nextUnit(), 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUnit()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if Foundation.log(u) < 0.5 * x * x + d * (1 - v + Foundation.log(v)) { return d * v }
        }
    }
}
