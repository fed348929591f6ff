/// The log-rank test of equal time-to-first-contact distributions in two groups.
///
/// At each distinct event time with d events among Y at risk (d₁, Y₁ in group 1):
/// O₁ − E₁ = Σ (d₁ − Y₁ d / Y), V = Σ Y₁ Y₂ d (Y − d) / (Y² (Y − 1)); χ² = (O₁ − E₁)² / V on
/// one degree of freedom. Agrees with R `survdiff(Surv(time, status) ~ group)`.
public struct LogRank: Sendable, Equatable {
    public var chiSquare: Double
    public var p: Double
    public var observed: (Double, Double)
    public var expected: (Double, Double)
    /// V, the variance of O₁ − E₁ (0 without a first contact: then the test is undefined).
    public var variance: Double

    public static func == (a: LogRank, b: LogRank) -> Bool {
        a.chiSquare == b.chiSquare && a.p == b.p && a.observed == b.observed && a.expected == b.expected && a.variance == b.variance
    }

    /// Follow-up times and event flags of each group (first contact, or censoring at the window end).
    public init(_ first: (followUp: [Double], contacted: [Bool]), _ second: (followUp: [Double], contacted: [Bool])) {
        var all: [(t: Double, group: Int, event: Bool)] = []
        for (t, e) in zip(first.followUp, first.contacted) { all.append((t, 0, e)) }
        for (t, e) in zip(second.followUp, second.contacted) { all.append((t, 1, e)) }
        all.sort { $0.t < $1.t }
        var atRisk = [first.followUp.count, second.followUp.count]
        var observed = [0.0, 0.0], expected = [0.0, 0.0]
        var variance = 0.0
        var index = 0
        while index < all.count {
            let t = all[index].t
            var d = [0, 0], leaving = [0, 0]
            while index < all.count, all[index].t == t {
                if all[index].event { d[all[index].group] += 1 }
                leaving[all[index].group] += 1
                index += 1
            }
            let y = Double(atRisk[0] + atRisk[1]), total = Double(d[0] + d[1])
            if total > 0 {
                for g in 0..<2 {
                    observed[g] += Double(d[g])
                    expected[g] += Double(atRisk[g]) * total / y
                }
                if y > 1 { variance += Double(atRisk[0]) * Double(atRisk[1]) * total * (y - total) / (y * y * (y - 1)) }
            }
            atRisk[0] -= leaving[0]
            atRisk[1] -= leaving[1]
        }
        let difference = observed[0] - expected[0]
        chiSquare = variance > 0 ? difference * difference / variance : 0
        p = variance > 0 ? SpecialFunctions.chiSquareSurvival(chiSquare, degreesOfFreedom: 1) : 1
        self.observed = (observed[0], observed[1])
        self.expected = (expected[0], expected[1])
        self.variance = variance
    }
}
