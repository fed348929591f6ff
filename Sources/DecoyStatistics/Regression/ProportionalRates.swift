import Foundation

/// The proportional-rates model of recurrent contacts since going live (Andersen and Gill,
/// Annals of Statistics 10:1100–1120, 1982), fitted by partial likelihood, with postings as clusters.
///
/// Time s is hours since a posting went live; posting i is at risk on (0, Cᵢ] (its observation
/// window: removal is censoring) and its contacts arrive with intensity λᵢ(s) = λ₀ₖ(s) · exp(βᵀxᵢ),
/// k its stratum, λ₀ₖ an unspecified baseline. β̂ maximises the partial likelihood
///
///     log L(β) = Σ over contacts j [ βᵀx₍ⱼ₎ − log Σ_{i at risk at sⱼ, same stratum} exp(βᵀxᵢ) ]
///
/// with Efron's or Breslow's handling of contacts at one instant (``Ties``), by Newton–Raphson
/// from β = 0 with step halving. Its variances:
/// - naive: I(β̂)⁻¹, the inverse observed information;
/// - robust (Lin, Wei, Yang and Ying, JRSS-B 62:711–730, 2000): I⁻¹ (Σᵢ ÛᵢÛᵢᵀ) I⁻¹ with Ûᵢ posting
///   i's score residual ∫ (xᵢ − x̄(s)) dM̂ᵢ(s), the sandwich with postings as clusters that stays
///   valid when contacts of one posting are correlated (bursts, repeat contactors);
/// - jackknife over postings (Lipsitz and Parzen, Biometrics 52:291–298, 1996):
///   (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ with β̂₍₋g₎ refitted without posting g, which the
///   robust variance approximates to first order and which is far less biased with few postings.
///
/// The numbers equal R survival's `coxph(Surv(start, stop, event) ~ x + strata(k) + cluster(posting),
/// ties = "efron")` (or `"breslow"`) on the counting-process rows (0, t₁], (t₁, t₂], …, (t_last, Cᵢ]
/// of each posting: coefficients, `naive.var`, `var` (robust), `loglik` and `score`, to 1e-10
/// (tests: simulated data, and R's `cgd` and `bladder2` recurrent-event data sets). The score
/// residuals are R's (`agscore3`), Efron's included. Contacts of one posting at one instant are
/// tied contacts of that posting (R cannot represent them; decoy counts each).
///
/// - Complexity: preparing the data sorts the contact times once; each Newton step is
///   O(P·p² + B·p²) for P postings, p coefficients and B risk-set blocks — contacts between two
///   consecutive window ends that are not tied at an instant form one block, so B ≤ 2P + the
///   number of tied instants, however many contacts there are.
public struct ProportionalRates: Sendable {
    /// Postings, their covariates, windows, contacts and strata.
    public struct Data: Sendable, Equatable {
        /// xᵢ, one vector of the same length p ≥ 1 per posting.
        public var covariates: [[Double]]
        /// Cᵢ, the end of each posting's observation window, in hours.
        public var windows: [Double]
        /// Each posting's contact times in hours, ascending, each in [0, Cᵢ].
        public var times: [[Double]]
        /// Each posting's stratum (any integers); all 0 for one baseline.
        public var strata: [Int]

        public init(covariates: [[Double]], windows: [Double], times: [[Double]], strata: [Int]? = nil) {
            precondition(covariates.count == windows.count && times.count == windows.count, "one covariate vector, window and list of times per posting")
            let p = covariates.first?.count ?? 0
            precondition(covariates.allSatisfy { $0.count == p }, "every posting has the same number of covariates")
            precondition(strata.map { $0.count == windows.count } ?? true, "one stratum per posting")
            self.covariates = covariates
            self.windows = windows
            self.times = times
            self.strata = strata ?? Array(repeating: 0, count: windows.count)
        }
    }

    /// The fitted model.
    public struct Fit: Sendable, Equatable {
        /// β̂, one per covariate (log rate ratios).
        public var coefficients: [Double]
        /// I(β̂), the observed information.
        public var information: Matrix
        /// I(β̂)⁻¹ (R's `naive.var`).
        public var naiveVariance: Matrix
        /// I⁻¹ (Σᵢ ÛᵢÛᵢᵀ) I⁻¹, postings as clusters (R's `var` with `cluster(posting)`).
        public var robustVariance: Matrix
        /// Ûᵢ, each posting's score residual at β̂ (R's `residuals(fit, type = "score")`, summed per posting).
        public var scoreResiduals: [[Double]]
        /// log L(β̂) (R's `loglik[2]`).
        public var logLikelihood: Double
        /// log L(0) (R's `loglik[1]`).
        public var nullLogLikelihood: Double
        /// The score test of β = 0, U(0)ᵀ I(0)⁻¹ U(0) (R's `score`).
        public var scoreStatistic: Double
        /// Newton steps taken.
        public var iterations: Int
    }

    /// Why the model could not be fitted.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// There is no contact at all.
        case noContacts
        /// The information is not positive definite: a covariate is constant among the postings
        /// at risk at every contact, or covariates are collinear.
        case singular
        /// The partial likelihood grows without bound along this coefficient (the estimate is
        /// infinite: every contact of the risk sets comes from one side).
        case infinite(coefficient: Int)
        /// Newton–Raphson did not settle.
        case notConverged(iterations: Int, lastStep: Double)

        public var description: String {
            switch self {
            case .noContacts: "there is no contact"
            case .singular: "the information matrix is singular (a covariate does not vary among the postings at risk)"
            case let .infinite(coefficient): "coefficient \(coefficient + 1) is infinite (all contacts come from one side)"
            case let .notConverged(iterations, lastStep): "the fit did not converge in \(iterations) iterations (last step \(lastStep))"
            }
        }
    }

    public let ties: Ties
    /// p, the number of coefficients.
    public let dimension: Int
    /// The number of postings.
    public let postings: Int
    let covariates: [[Double]]
    let strata: [Stratum]
    /// Where each posting's contacts went: its contacts alone at their instant in each group
    /// of its stratum, and its contacts at tied instants.
    let memberships: [Membership]
    struct Membership: Sendable {
        var stratum = -1
        var singles: [(group: Int, count: Int)] = []
        var tied = 0
    }
    let contacts: Int

    /// One stratum's postings and contacts arranged in risk-set blocks.
    struct Stratum: Sendable {
        /// The stratum's postings by ascending window.
        var order: [Int]
        /// Contacts grouped by risk set, by descending `leaving`.
        var groups: [Group]
    }

    /// The contacts that share one risk set: the stratum's postings `order[leaving...]`.
    struct Group: Sendable {
        /// How many of the stratum's postings (in window order) have left before these contacts.
        var leaving: Int
        /// Postings and counts of contacts alone at their instant (every contact under Breslow).
        var single: [(posting: Int, count: Int)]
        /// Σ count, and Σ count · x over `single`.
        var singleCount: Int
        var singleX: [Double]
        /// Efron: the instants with two or more contacts, each its postings and counts.
        var tied: [[(posting: Int, count: Int)]]
    }

    /// Arranges the data for fitting.
    public init(_ data: Data, ties: Ties = .efron) {
        self.ties = ties
        covariates = data.covariates
        postings = data.windows.count
        let width = data.covariates.first?.count ?? 0
        dimension = width
        precondition(width >= 1 || postings == 0, "at least one covariate")
        var membership = Array(repeating: Membership(), count: postings)
        var arranged: [Stratum] = []
        var total = 0
        var byStratum: [Int: [Int]] = [:]
        for i in 0..<postings { byStratum[data.strata[i], default: []].append(i) }
        for key in byStratum.keys.sorted() {
            let members = byStratum[key]!
            let order = members.sorted { (data.windows[$0], $0) < (data.windows[$1], $1) }
            let sortedWindows = order.map { data.windows[$0] }
            // Instants with two or more contacts (Efron only).
            var tiedInstants: [Double] = []
            if ties == .efron {
                var all: [Double] = []
                all.reserveCapacity(members.reduce(0) { $0 + data.times[$1].count })
                for i in members { all.append(contentsOf: data.times[i]) }
                all.sort()
                var k = 1
                while k < all.count {
                    if all[k] == all[k - 1] {
                        tiedInstants.append(all[k])
                        while k < all.count, all[k] == tiedInstants[tiedInstants.count - 1] { k += 1 }
                    } else {
                        k += 1
                    }
                }
            }
            // leaving → group; instant → (group, tie index).
            var groupOf: [Int: Int] = [:]
            var groups: [Group] = []
            var tieSlot: [Double: (group: Int, tie: Int)] = [:]
            func group(_ leaving: Int) -> Int {
                if let g = groupOf[leaving] { return g }
                groups.append(Group(leaving: leaving, single: [], singleCount: 0, singleX: Array(repeating: 0, count: width), tied: []))
                groupOf[leaving] = groups.count - 1
                return groups.count - 1
            }
            for i in members {
                membership[i].stratum = arranged.count
                var tiedCounts: [Double: Int] = [:]    // instant → contacts of i there
                var leaving = 0, run = 0
                func flush() {
                    guard run > 0 else { return }
                    let g = group(leaving)
                    groups[g].single.append((i, run))
                    groups[g].singleCount += run
                    for j in 0..<width { groups[g].singleX[j] += Double(run) * data.covariates[i][j] }
                    membership[i].singles.append((g, run))
                    run = 0
                }
                for t in data.times[i] {
                    // Postings with a window before t have left; times ascend, so advance.
                    if leaving < sortedWindows.count, sortedWindows[leaving] < t {
                        flush()
                        while leaving < sortedWindows.count, sortedWindows[leaving] < t { leaving += 1 }
                    }
                    total += 1
                    if !tiedInstants.isEmpty, Self.contains(tiedInstants, t) {
                        tiedCounts[t, default: 0] += 1
                        membership[i].tied += 1
                        if tieSlot[t] == nil {
                            let g = group(leaving)
                            groups[g].tied.append([])
                            tieSlot[t] = (g, groups[g].tied.count - 1)
                        }
                    } else {
                        run += 1
                    }
                }
                flush()
                for (t, count) in tiedCounts.sorted(by: { $0.key < $1.key }) {
                    let slot = tieSlot[t]!
                    groups[slot.group].tied[slot.tie].append((i, count))
                }
            }
            groups.sort { $0.leaving > $1.leaving }
            // Memberships point at groups by their index before sorting: renumber.
            let position = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($0.element.leaving, $0.offset) })
            let old = Dictionary(uniqueKeysWithValues: groupOf.map { ($0.value, $0.key) })
            for i in members {
                membership[i].singles = membership[i].singles.map { (position[old[$0.group]!]!, $0.count) }
            }
            arranged.append(Stratum(order: order, groups: groups))
        }
        strata = arranged
        memberships = membership
        contacts = total
    }

    /// The model of postings that all share one window, when only each posting's number of
    /// contacts is known: every contact then sees the whole risk set of its stratum, and with no
    /// two contacts at one instant (continuous times) the partial likelihood depends on the
    /// counts alone. Equal to ``init(_:ties:)`` on the times with no ties.
    public init(covariates: [[Double]], counts: [Int], strata: [Int]? = nil) {
        precondition(covariates.count == counts.count, "one covariate vector per count")
        ties = .breslow
        self.covariates = covariates
        postings = counts.count
        let width = covariates.first?.count ?? 0
        dimension = width
        let strata = strata ?? Array(repeating: 0, count: counts.count)
        var membership = Array(repeating: Membership(), count: counts.count)
        var arranged: [Stratum] = []
        for key in Set(strata).sorted() {
            let members = counts.indices.filter { strata[$0] == key }
            var group = Group(leaving: 0, single: [], singleCount: 0, singleX: Array(repeating: 0, count: width), tied: [])
            for i in members where counts[i] > 0 {
                group.single.append((i, counts[i]))
                group.singleCount += counts[i]
                for j in 0..<width { group.singleX[j] += Double(counts[i]) * covariates[i][j] }
                membership[i].singles = [(0, counts[i])]
            }
            for i in members { membership[i].stratum = arranged.count }
            arranged.append(Stratum(order: members, groups: [group]))
        }
        self.strata = arranged
        memberships = membership
        contacts = counts.reduce(0, +)
    }

    static func contains(_ sorted: [Double], _ value: Double) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }

    /// Fits the model: Newton–Raphson from `start` (default 0), without posting `excluded`.
    public func fit(start: [Double]? = nil, maximumIterations: Int = 50) throws(Failure) -> Fit {
        try fit(start: start, excluding: nil, maximumIterations: maximumIterations, residuals: true)
    }

    func fit(start: [Double]?, excluding excluded: Int?, maximumIterations: Int, residuals: Bool) throws(Failure) -> Fit {
        let p = dimension
        let excludedContacts = excluded.map { e in memberships[e].singles.reduce(memberships[e].tied) { $0 + $1.count } } ?? 0
        guard contacts - excludedContacts > 0 else { throw .noContacts }
        var beta = start ?? Array(repeating: 0, count: p)
        var state = accumulate(beta, excluding: excluded)
        let null = start == nil ? state : accumulate(Array(repeating: 0, count: p), excluding: excluded)
        guard let nullScore = Matrix(rows: p, columns: p, elements: null.information).solve(null.score) else { throw .singular }
        let scoreStatistic = zip(null.score, nullScore).reduce(0) { $0 + $1.0 * $1.1 }
        var iterations = 0
        var lastStep = Double.infinity
        var converged = false
        while iterations < maximumIterations {
            iterations += 1
            guard let step = Matrix(rows: p, columns: p, elements: state.information).solve(state.score) else {
                if beta.map(abs).max() ?? 0 > 20 { throw .infinite(coefficient: Self.largest(beta)) }
                throw .singular
            }
            var scale = 1.0
            var next = zip(beta, step).map { $0 + $1 }
            var trial = accumulate(next, excluding: excluded)
            // Step halving when the likelihood falls (or overflows), as R's agfit does.
            while !(trial.logLikelihood.isFinite && trial.logLikelihood >= state.logLikelihood - 1e-12 * abs(state.logLikelihood)), scale > 1e-6 {
                scale /= 2
                next = zip(beta, step).map { $0 + scale * $1 }
                trial = accumulate(next, excluding: excluded)
            }
            lastStep = zip(next, beta).map { abs($0 - $1) }.max() ?? 0
            let change = abs(trial.logLikelihood - state.logLikelihood)
            beta = next
            state = trial
            if lastStep <= 1e-11 * (1 + (beta.map(abs).max() ?? 0)) || (change == 0 && scale == 1) {
                converged = true
                break
            }
        }
        guard converged else {
            if beta.map(abs).max() ?? 0 > 20 { throw .infinite(coefficient: Self.largest(beta)) }
            throw .notConverged(iterations: iterations, lastStep: lastStep)
        }
        // A likelihood that keeps rising along a coefficient stops changing in double precision
        // long before the coefficient stops growing: a ratio beyond e²⁵ over the covariate's
        // range is that, not an estimate.
        for j in 0..<p {
            let values = covariates.map { $0[j] }
            let range = (values.max() ?? 0) - (values.min() ?? 0)
            if abs(beta[j]) * range > 25 { throw .infinite(coefficient: j) }
        }
        let information = Matrix(rows: p, columns: p, elements: state.information)
        guard let naive = information.inverse else { throw .singular }
        var meat = Matrix(rows: p, columns: p)
        var scores: [[Double]] = []
        if residuals {
            scores = scoreResiduals(beta)
            for u in scores { meat.addOuter(u) }
        }
        return Fit(coefficients: beta, information: information, naiveVariance: naive, robustVariance: naive * meat * naive,
                   scoreResiduals: scores, logLikelihood: state.logLikelihood, nullLogLikelihood: null.logLikelihood,
                   scoreStatistic: scoreStatistic, iterations: iterations)
    }

    static func largest(_ beta: [Double]) -> Int {
        beta.indices.max { abs(beta[$0]) < abs(beta[$1]) } ?? 0
    }

    /// log L, U and I (row-major) at β.
    struct State {
        var logLikelihood: Double
        var score: [Double]
        var information: [Double]
    }

    func accumulate(_ beta: [Double], excluding excluded: Int?) -> State {
        let p = dimension
        var loglik = 0.0
        var u = Array(repeating: 0.0, count: p)
        var info = Array(repeating: 0.0, count: p * p)
        var s1 = Array(repeating: 0.0, count: p), s2 = Array(repeating: 0.0, count: p * p)
        var e1 = Array(repeating: 0.0, count: p), e2 = Array(repeating: 0.0, count: p * p)
        let eta = covariates.map { x in zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        // The excluded posting's contacts in each group of its stratum.
        var excludedSingles: [Int: Int] = [:]
        var excludedStratum = -1
        if let excluded {
            for (g, count) in memberships[excluded].singles { excludedSingles[g, default: 0] += count }
            excludedStratum = memberships[excluded].stratum
        }
        for (k, stratum) in strata.enumerated() {
            var s0 = 0.0
            for j in 0..<p { s1[j] = 0 }
            for j in 0..<(p * p) { s2[j] = 0 }
            var added = stratum.order.count
            for (g, group) in stratum.groups.enumerated() {
                while added > group.leaving {
                    added -= 1
                    let i = stratum.order[added]
                    if i == excluded { continue }
                    let w = Foundation.exp(eta[i]), x = covariates[i]
                    s0 += w
                    for a in 0..<p {
                        s1[a] += w * x[a]
                        for b in 0..<p { s2[a * p + b] += w * x[a] * x[b] }
                    }
                }
                // Contacts alone at their instant: each sees the whole risk set.
                var d = group.singleCount
                var sx = group.singleX
                if k == excludedStratum, let excluded, let own = excludedSingles[g] {
                    // Tied instants skip the excluded posting below.
                    d -= own
                    for a in 0..<p { sx[a] -= Double(own) * covariates[excluded][a] }
                }
                if d > 0 {
                    let dd = Double(d)
                    loglik += zip(sx, beta).reduce(0) { $0 + $1.0 * $1.1 } - dd * Foundation.log(s0)
                    for a in 0..<p {
                        let ma = s1[a] / s0
                        u[a] += sx[a] - dd * ma
                        for b in 0..<p { info[a * p + b] += dd * (s2[a * p + b] / s0 - ma * s1[b] / s0) }
                    }
                }
                // Efron: the instants with two or more contacts.
                for instant in group.tied {
                    var e0 = 0.0, count = 0
                    for j in 0..<p { e1[j] = 0 }
                    for j in 0..<(p * p) { e2[j] = 0 }
                    for (i, c) in instant where i != excluded {
                        let w = Double(c) * Foundation.exp(eta[i]), x = covariates[i]
                        count += c
                        e0 += w
                        loglik += Double(c) * eta[i]
                        for a in 0..<p {
                            u[a] += Double(c) * x[a]
                            e1[a] += w * x[a]
                            for b in 0..<p { e2[a * p + b] += w * x[a] * x[b] }
                        }
                    }
                    for r in 0..<count {
                        let f = Double(r) / Double(count)
                        let t0 = s0 - f * e0
                        loglik -= Foundation.log(t0)
                        for a in 0..<p {
                            let ma = (s1[a] - f * e1[a]) / t0
                            u[a] -= ma
                            for b in 0..<p {
                                let mb = (s1[b] - f * e1[b]) / t0
                                info[a * p + b] += (s2[a * p + b] - f * e2[a * p + b]) / t0 - ma * mb
                            }
                        }
                    }
                }
            }
        }
        return State(logLikelihood: loglik, score: u, information: info)
    }

    /// Each posting's score residual at β (R's `agscore3`, Efron's and Breslow's).
    func scoreResiduals(_ beta: [Double]) -> [[Double]] {
        let p = dimension
        var residual = Array(repeating: Array(repeating: 0.0, count: p), count: postings)
        let eta = covariates.map { x in zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        for stratum in strata {
            // Hazard jumps and x̄-weighted jumps of each group, by descending `leaving`.
            var hazard = Array(repeating: 0.0, count: stratum.groups.count)
            var xHazard = Array(repeating: Array(repeating: 0.0, count: p), count: stratum.groups.count)
            var s0 = 0.0
            var s1 = Array(repeating: 0.0, count: p)
            var added = stratum.order.count
            for (g, group) in stratum.groups.enumerated() {
                while added > group.leaving {
                    added -= 1
                    let i = stratum.order[added]
                    let w = Foundation.exp(eta[i])
                    s0 += w
                    for a in 0..<p { s1[a] += w * covariates[i][a] }
                }
                if group.singleCount > 0 {
                    let d = Double(group.singleCount)
                    hazard[g] += d / s0
                    for a in 0..<p { xHazard[g][a] += s1[a] / s0 * d / s0 }
                    for (i, c) in group.single {
                        for a in 0..<p { residual[i][a] += Double(c) * (covariates[i][a] - s1[a] / s0) }
                    }
                }
                for instant in group.tied {
                    var e0 = 0.0, count = 0
                    var e1 = Array(repeating: 0.0, count: p)
                    for (i, c) in instant {
                        let w = Double(c) * Foundation.exp(eta[i])
                        count += c
                        e0 += w
                        for a in 0..<p { e1[a] += w * covariates[i][a] }
                    }
                    var mh1 = 0.0
                    var mh2 = Array(repeating: 0.0, count: p), mh3 = Array(repeating: 0.0, count: p)
                    for r in 0..<count {
                        let f = Double(r) / Double(count)
                        let t0 = s0 - f * e0, h = 1 / t0
                        hazard[g] += h
                        mh1 += h * f
                        for a in 0..<p {
                            let mean = (s1[a] - f * e1[a]) / t0
                            xHazard[g][a] += mean * h
                            mh2[a] += mean * h * f
                            mh3[a] += mean / Double(count)
                        }
                    }
                    for (i, c) in instant {
                        let w = Foundation.exp(eta[i])
                        for a in 0..<p {
                            residual[i][a] += Double(c) * ((covariates[i][a] - mh3[a]) + w * (covariates[i][a] * mh1 - mh2[a]))
                        }
                    }
                }
            }
            // Each posting is at risk at the groups whose `leaving` is at most its place in the
            // window order: accumulate from the earliest risk sets.
            var cumulative = 0.0
            var xCumulative = Array(repeating: 0.0, count: p)
            var g = stratum.groups.count - 1
            for (position, i) in stratum.order.enumerated() {
                while g >= 0, stratum.groups[g].leaving <= position {
                    cumulative += hazard[g]
                    for a in 0..<p { xCumulative[a] += xHazard[g][a] }
                    g -= 1
                }
                let w = Foundation.exp(eta[i])
                for a in 0..<p { residual[i][a] -= w * (covariates[i][a] * cumulative - xCumulative[a]) }
            }
        }
        return residual
    }

    /// β̂₍₋g₎ for every posting g: the model refitted without it, from `fit`'s estimate.
    /// - Throws: the first refit's failure (leaving a posting out can leave a coefficient
    ///   infinite, for instance when it held the only contacts of one side).
    public func leaveOneOut(_ fit: Fit) throws(Failure) -> [[Double]] {
        var estimates: [[Double]] = []
        estimates.reserveCapacity(postings)
        for g in 0..<postings {
            estimates.append(try self.fit(start: fit.coefficients, excluding: g, maximumIterations: 50, residuals: false).coefficients)
        }
        return estimates
    }

    /// The jackknife variance (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ, G the postings.
    public static func jackknifeVariance(_ estimates: [[Double]], around beta: [Double]) -> Matrix {
        let g = Double(estimates.count)
        var variance = Matrix(rows: beta.count, columns: beta.count)
        for estimate in estimates { variance.addOuter(zip(estimate, beta).map { $0 - $1 }, scale: (g - 1) / g) }
        return variance
    }
}

extension Matrix {
    init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "a matrix has rows × columns entries")
        self.init(rows: rows, columns: columns)
        for k in elements.indices { self[k / columns, k % columns] = elements[k] }
    }
}
