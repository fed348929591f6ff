import Foundation

/// ``MeanCumulativeFunction``'s estimate built from postings fed one at a time, in any order, in
/// memory that grows with the postings and the grid but not with the contacts.
///
/// Every window end Cᵢ and grid time is a breakpoint; between consecutive breakpoints the number at
/// risk Y is constant, so the sums M = Σ d/Y and G = Σ d/Y² need only a count of contacts per
/// interval. The robust variance Σᵢ (Aᵢ(u) − G(u))², u = min(t, Cᵢ), with
/// Aᵢ(u) = Σ_{contacts of i at s ≤ u} 1/Y(s), needs G, which is known only at the end; it is
/// Σᵢ (Aᵢ − Ā)² + n (Ā − G)² for the n postings sharing u, and Welford's running mean and sum of
/// squared deviations (Technometrics 4:419–420, 1962) give Ā and Σ (Aᵢ − Ā)² as postings arrive.
/// At each grid time that pools the postings still observed there; a posting whose window has
/// ended joins the pool of its window end, counted at every later grid time.
public struct MeanCumulativeAccumulator: Sendable {
    let grid: [Double]
    let windows: [Double]
    let sortedWindows: [Double]
    /// Grid times and window ends, ascending and distinct; interval j is (breakpoints[j−1], breakpoints[j]].
    let breakpoints: [Double]
    /// 1/Y on each interval (0 where no posting is at risk).
    let inverseAtRisk: [Double]
    /// Distinct window ends, ascending.
    let distinctWindows: [Double]
    var counts: [Int]
    var atGrid: [Welford]
    var atWindow: [Welford]

    /// - Parameters:
    ///   - windows: Cᵢ, each posting's window end in hours; postings are named by their index here.
    ///   - grid: times in hours, ascending.
    public init(windows: [Double], grid: [Double]) {
        self.grid = grid
        self.windows = windows
        sortedWindows = windows.sorted()
        breakpoints = Array(Set(grid).union(windows)).sorted()
        let sortedWindows = self.sortedWindows
        inverseAtRisk = breakpoints.map { point in
            let y = RecurrentEvents.atRisk(point, sortedWindows: sortedWindows)
            return y > 0 ? 1 / Double(y) : 0
        }
        var distinct: [Double] = []
        for w in sortedWindows where distinct.last != w { distinct.append(w) }
        distinctWindows = distinct
        counts = Array(repeating: 0, count: breakpoints.count)
        atGrid = Array(repeating: Welford(), count: grid.count)
        atWindow = Array(repeating: Welford(), count: distinct.count)
    }

    /// Adds posting `index`'s contact times (hours, ascending). Times after its window are ignored.
    public mutating func add(posting index: Int, times: [Double]) {
        let window = windows[index]
        var a = 0.0
        var interval = 0
        var g = 0
        var next = 0
        // Grid times the posting is still observed at: record Aᵢ(t).
        while g < grid.count, grid[g] < window {
            while next < times.count, times[next] <= grid[g] {
                interval = Self.interval(of: times[next], in: breakpoints, from: interval)
                counts[interval] += 1
                a += inverseAtRisk[interval]
                next += 1
            }
            atGrid[g].add(a)
            g += 1
        }
        while next < times.count, times[next] <= window {
            interval = Self.interval(of: times[next], in: breakpoints, from: interval)
            counts[interval] += 1
            a += inverseAtRisk[interval]
            next += 1
        }
        // Aᵢ(Cᵢ) counts at grid times at or after the window's end, if there are any.
        if g < grid.count {
            atWindow[RecurrentEvents.lowerBound(distinctWindows, window)].add(a)
        }
    }

    /// Adds posting `index`'s `count` contacts for an estimate at or after the end of every window
    /// when all windows are the same: then every contact has the same number at risk, so the
    /// estimate and its variance need only the count (the times would change nothing).
    /// - Precondition: every window is the same and no grid time lies before it.
    public mutating func add(posting index: Int, count: Int) {
        let window = windows[index]
        precondition(sortedWindows.first == sortedWindows.last && (grid.first ?? window) >= window,
                     "counts alone need equal windows and grid times at or after them")
        counts[0] += count
        if !grid.isEmpty { atWindow[0].add(Double(count) * inverseAtRisk[0]) }
    }

    /// μ(t), its robust standard error and interval at each grid time, as
    /// ``MeanCumulativeFunction/estimate(_:at:confidence:interval:method:)`` defines them.
    public func estimate(confidence: Double = 0.95, interval: IntervalKind = .log, method: IntervalMethod = .corrected) -> [CurvePoint] {
        let n = Double(windows.count)
        let z: Double?
        switch method {
        case .classic: z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        case .corrected: z = n > 1 ? SpecialFunctions.studentTQuantile(0.5 + confidence / 2, degreesOfFreedom: n - 1) : nil
        }
        return standardErrors(method: method).map { point in
            var point = point
            (point.lower, point.upper) = MeanCumulativeFunction.interval(point.estimate ?? 0, point.standardError, z, interval)
            return point
        }
    }

    /// μ(t) and its robust standard error at each grid time, without intervals (no quantile is
    /// computed: for simulations that test many times).
    public func standardErrors(method: IntervalMethod = .corrected) -> [CurvePoint] {
        // Running sums up to and including each breakpoint.
        var mean = [Double](repeating: 0, count: breakpoints.count)
        var square = [Double](repeating: 0, count: breakpoints.count)
        var events = [Int](repeating: 0, count: breakpoints.count)
        var m = 0.0, q = 0.0, e = 0
        for j in breakpoints.indices {
            let d = Double(counts[j]), inverse = inverseAtRisk[j]
            m += d * inverse
            q += d * inverse * inverse
            e += counts[j]
            mean[j] = m
            square[j] = q
            events[j] = e
        }
        func at(_ t: Double) -> Int { RecurrentEvents.lowerBound(breakpoints, t) }

        let n = Double(windows.count)
        // Classic: R survival's robust variance (with a normal quantile). Corrected: the CR1
        // factor n/(n−1) for n clusters (every posting adds one term to the sum, also after its
        // window ended) (with Student's t on n − 1 degrees of freedom); undefined for one posting.
        let factor: Double?
        switch method {
        case .classic: factor = 1
        case .corrected: factor = n > 1 ? n / (n - 1) : nil
        }
        var ended = 0.0
        var nextWindow = 0
        return grid.enumerated().map { g, t in
            // Postings whose windows ended at or before t, pooled by window end.
            while nextWindow < distinctWindows.count, distinctWindows[nextWindow] <= t {
                ended += atWindow[nextWindow].squaredDistance(to: square[at(distinctWindows[nextWindow])])
                nextWindow += 1
            }
            let j = at(t)
            let variance = atGrid[g].squaredDistance(to: square[j]) + ended
            return CurvePoint(
                t: t, estimate: mean[j], standardError: factor.map { (variance * $0).squareRoot() }, lower: nil, upper: nil,
                atRisk: Double(RecurrentEvents.atRisk(t, sortedWindows: sortedWindows)), events: events[j])
        }
    }

    /// The interval (index of its right end) holding `s`, searching forward from `start`: the
    /// times of one posting ascend, so the search is usually one comparison, else a gallop.
    @inline(__always)
    static func interval(of s: Double, in breakpoints: [Double], from start: Int) -> Int {
        if start < breakpoints.count, s <= breakpoints[start], start == 0 || s > breakpoints[start - 1] { return start }
        var low = start < breakpoints.count && s > breakpoints[start] ? start + 1 : 0
        var step = 1
        var high = low
        while high < breakpoints.count, breakpoints[high] < s {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, breakpoints.count)
        while low < high {
            let mid = (low + high) / 2
            if breakpoints[mid] < s { low = mid + 1 } else { high = mid }
        }
        return min(low, breakpoints.count - 1)
    }
}

/// Welford's running count, mean and sum of squared deviations.
struct Welford: Sendable {
    var count = 0.0
    var mean = 0.0
    var squares = 0.0

    @inline(__always)
    mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / count
        squares += delta * (x - mean)
    }

    /// Σ (xᵢ − c)² over the values added.
    func squaredDistance(to c: Double) -> Double {
        let offset = mean - c
        return squares + count * offset * offset
    }
}
