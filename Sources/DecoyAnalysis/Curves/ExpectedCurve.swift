import DecoyModel
import DecoySimulation
import DecoyStatistics
import Foundation

/// The model's mean of the `mcf` estimand for a simulated run, from its verified config.
struct ExpectedCurve {
    let plan: ExperimentPlan

    init(plan: ExperimentPlan) { self.plan = plan }

    init(_ run: RunDescription) throws(AnalysisError) {
        guard run.source == .simulated else { throw AnalysisError.noModel(run: run.id, reason: "holds observed data") }
        guard let model = run.model else { throw AnalysisError.noModel(run: run.id, reason: "was read without its config") }
        plan = ExperimentPlan(model)
    }

    /// E μ(t) = ∫₀ᵗ Σᵢ 1{s ≤ Cᵢ} mᵢ(s) / Y(s) ds: the mean of the `mcf` estimand given the windows.
    ///
    /// Between consecutive window ends the set at risk is fixed, so the integral is a sum over
    /// those intervals of Σ_{i at risk} (Eᵢ N(b) − Eᵢ N(a)) / Y. Postings that share an arm and (with
    /// diurnal factors) a local go-live time share an intensity and are counted together.
    ///
    /// `events` are the contacts observed up to each grid time, reported beside the expectation.
    func curve(postings: [PostingDescription], windows: [Double], events: [Int], at grid: [Double]) -> [CurvePoint] {
        var groupKeys: [String: Int] = [:]
        var intensities: [PostingIntensity?] = []
        var groupOf: [Int] = []
        for posting in postings {
            let arm = plan.arms[posting.arm]
            let plan = PostingPlan(replicate: posting.replicate, arm: posting.arm, index: posting.index, goLive: arm.spec.schedule.goLive(ofPosting: posting.index))
            let intensity = self.plan.intensity(of: plan)
            let key = "\(posting.arm)|\(intensity?.goLiveLocalHour ?? 0)"
            if let existing = groupKeys[key] {
                groupOf.append(existing)
            } else {
                groupKeys[key] = intensities.count
                groupOf.append(intensities.count)
                intensities.append(intensity)
            }
        }
        let until = grid.last ?? 0
        let breakpoints = Set(grid + windows.filter { $0 < until }).filter { $0 > 0 }.sorted()
        let order = windows.indices.sorted { windows[$0] < windows[$1] }
        var atRisk = [Int](repeating: 0, count: intensities.count)
        for g in groupOf { atRisk[g] += 1 }
        var total = postings.count
        var ended = 0
        var previous = [Double](repeating: 0, count: intensities.count)
        var value = 0.0
        var valueAt: [Double: Double] = [0: 0]
        for point in breakpoints {
            // On (previous point, point] the postings at risk are those whose window reaches `point`.
            while ended < order.count, windows[order[ended]] < point {
                atRisk[groupOf[order[ended]]] -= 1
                total -= 1
                ended += 1
            }
            var increment = 0.0
            for g in intensities.indices {
                let current = intensities[g]?.meanCumulative(at: point) ?? 0
                increment += Double(atRisk[g]) * (current - previous[g])
                previous[g] = current
            }
            if total > 0 { value += increment / Double(total) }
            valueAt[point] = value
        }
        let sortedWindows = windows.sorted()
        return grid.enumerated().map { g, t in
            let atRiskNow = sortedWindows.count - (sortedWindows.firstIndex { $0 >= t } ?? sortedWindows.count)
            return CurvePoint(t: t, estimate: valueAt[t] ?? value, lower: nil, upper: nil, atRisk: Double(atRiskNow), events: events[g])
        }
    }
}
