/// Walker's alias method in Vose's construction (IEEE TSE 17:972–975, 1991): an index with
/// probability proportional to its weight in O(1) — one uniform picks a column, a second
/// chooses between the column and its alias.
public struct AliasTable: Sendable {
    let probability: [Double]
    let alias: [Int32]

    /// - Precondition: weights are non-negative, finite and not all zero.
    public init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        precondition(n > 0 && total > 0 && total.isFinite, "alias table needs positive total weight")
        var scaled = weights.map { $0 * Double(n) / total }
        var probability = [Double](repeating: 1, count: n)
        var alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for (i, w) in scaled.enumerated() { if w < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            probability[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for i in large + small { probability[i] = 1; alias[i] = Int32(i) }
        self.probability = probability
        self.alias = alias
    }

    public var count: Int { probability.count }

    /// Draws an index: column ⌊U₁ · n⌋, kept when U₂ < its probability, else its alias.
    public func sample(using rng: inout some RandomNumberGenerator) -> Int {
        let column = rng.nextIndex(count: probability.count)
        return rng.nextUnit() < probability[column] ? column : Int(alias[column])
    }
}
