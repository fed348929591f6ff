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
