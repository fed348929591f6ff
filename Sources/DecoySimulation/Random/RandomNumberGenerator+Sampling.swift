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

extension RandomNumberGenerator {
    /// A Poisson variate of any mean: sequential inversion (``nextPoisson(mean:)``) below 10, and
    /// above it Hörmann's transformed rejection with squeeze, PTRS ("The transformed rejection
    /// method for generating Poisson random variables", Insurance: Mathematics and Economics
    /// 12:39–45, 1993), which is exact and takes about 1.1 pairs of uniforms whatever the mean.
    /// (``nextPoisson(mean:)`` stays as it is for the event simulator, whose streams are fixed.)
    public mutating func nextPoissonCount(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 10 { return nextPoisson(mean: mean) }
        let root = mean.squareRoot()
        let b = 0.931 + 2.53 * root
        let a = -0.059 + 0.02483 * b
        let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
        let vr = 0.9277 - 3.6224 / (b - 2)
        let logMean = Foundation.log(mean)
        while true {
            let u = nextUnit() - 0.5
            let v = nextUnit()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07, v <= vr { return Int(k) }
            if k < 0 || (us < 0.013 && v > us) { continue }
            let (logFactorial, _) = Foundation.lgamma(k + 1)
            if Foundation.log(v) + Foundation.log(inverseAlpha) - Foundation.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial {
                return Int(k)
            }
        }
    }
}
