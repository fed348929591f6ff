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
/// residuals are R's (`agscore3`), Efron's included. Several contacts of one posting at one
/// instant (minute-resolution field data) cannot be rows of R's counting process; here the
/// posting's first contact there ties, under Efron, with the other postings' at that instant and
/// the rest count as contacts alone at it — what R gives when they are entered a moment apart.
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
    /// The covariates flattened, posting by posting: xᵢⱼ is `x[i * dimension + j]`.
    let x: [Double]
    /// Each covariate's range over the postings.
    let ranges: [Double]
    /// Postings share few distinct covariate vectors (an arm, a platform): each posting's
    /// vector's index, and the distinct vectors flattened, so that exp(βᵀx) is computed once each.
    let pattern: [Int]
    let patternX: [Double]
    /// Each posting's number of contacts.
    let contactsOf: [Int]
    let strata: [Stratum]
    /// Where each posting's contacts went: its contacts alone at their instant in each group
    /// of its stratum, and its contacts at tied instants.
    let memberships: Memberships
    /// One posting's contacts while the model is arranged.
    struct Membership: Sendable {
        var stratum = -1
        var singles: [(group: Int, count: Int)] = []
    }
    /// Every posting's ``Membership`` in flat arrays: posting i's contacts alone at their instant
    /// are `counts[start[i]..<start[i + 1]]` in groups `groups[…]` (ascending) of stratum `stratum[i]`.
    struct Memberships: Sendable {
        var stratum: [Int]
        var start: [Int]
        var groups: [Int]
        var counts: [Int]

        init(_ list: [Membership]) {
            stratum = list.map(\.stratum)
            start = [0]
            groups = []
            counts = []
            for member in list {
                for single in member.singles {
                    groups.append(single.group)
                    counts.append(single.count)
                }
                start.append(groups.count)
            }
        }

        /// Postings of one group each (the counts model): posting i's contacts in group 0 of its stratum.
        init(stratum: [Int], counts postingCounts: [Int]) {
            self.stratum = stratum
            start = [0]
            groups = []
            counts = []
            for count in postingCounts {
                if count > 0 {
                    groups.append(0)
                    counts.append(count)
                }
                start.append(groups.count)
            }
        }
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

    /// Arranges the data for fitting (`threads` find each stratum's tied instants at once; the
    /// model does not depend on it).
    public init(_ data: Data, ties: Ties = .efron, threads: Int = 1) {
        self.ties = ties
        covariates = data.covariates
        let flat = data.covariates.flatMap { $0 }
        x = flat
        let width = data.covariates.first?.count ?? 0
        ranges = Self.ranges(flat, dimension: width)
        let (patternOf, patternFlat) = Self.patterns(flat, dimension: width)
        pattern = patternOf
        patternX = patternFlat
        postings = data.windows.count
        dimension = width
        precondition(width >= 1 || postings == 0, "at least one covariate")
        var membership = Array(repeating: Membership(), count: postings)
        var arranged: [Stratum] = []
        var total = 0
        var byStratum: [Int: [Int]] = [:]
        for i in 0..<postings { byStratum[data.strata[i], default: []].append(i) }
        let keys = byStratum.keys.sorted()
        var tiedByStratum = [[Double]](repeating: [], count: keys.count)
        if ties == .efron {
            if threads > 1, keys.count > 1 {
                let slots = Slots<[Double]>(count: keys.count)
                let members = keys.map { byStratum[$0]! }
                DispatchQueue.concurrentPerform(iterations: keys.count) { k in
                    slots.set(k, Self.tiedInstants(members[k], times: data.times))
                }
                tiedByStratum = keys.indices.map { slots.get($0) ?? [] }
            } else {
                tiedByStratum = keys.map { Self.tiedInstants(byStratum[$0]!, times: data.times) }
            }
        }
        for key in keys {
            let members = byStratum[key]!
            let order = members.sorted { (data.windows[$0], $0) < (data.windows[$1], $1) }
            let sortedWindows = order.map { data.windows[$0] }
            // Instants at which contacts of two or more postings tie (Efron only). Contacts of one
            // posting at one instant are not tied with each other: the posting stays at risk
            // through them, so its first one there ties with the other postings' and the rest
            // count as contacts alone at the instant (as if a moment apart, the way R would need
            // them given).
            let tiedInstants = tiedByStratum[arranged.count]
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
                    if !tiedInstants.isEmpty, Self.contains(tiedInstants, t), tiedCounts[t] == nil {
                        tiedCounts[t] = 1
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
                membership[i].singles = membership[i].singles.map { (position[old[$0.group]!]!, $0.count) }.sorted { $0.group < $1.group }
            }
            arranged.append(Stratum(order: order, groups: groups))
        }
        strata = arranged
        contactsOf = data.times.map(\.count)
        memberships = Memberships(membership)
        contacts = total
    }

    /// The instants at which contacts of two or more of `members` tie, ascending. Every contact
    /// time of the stratum is sorted (a radix sort of the times' bit patterns, which order
    /// non-negative doubles); a time met twice is a candidate, and a candidate is tied when two
    /// postings have a contact there (not one posting twice), which each posting's sorted times
    /// tell by binary search.
    static func tiedInstants(_ members: [Int], times: [[Double]]) -> [Double] {
        var keys: [UInt64] = []
        keys.reserveCapacity(members.reduce(0) { $0 + times[$1].count })
        for i in members { for t in times[i] { keys.append((t + 0).bitPattern) } }
        radixSort(&keys)
        var candidates: [Double] = []
        var k = 1
        while k < keys.count {
            if keys[k] == keys[k - 1], candidates.last.map({ $0.bitPattern != keys[k] }) ?? true {
                candidates.append(Double(bitPattern: keys[k]))
            }
            k += 1
        }
        guard !candidates.isEmpty else { return [] }
        // Postings with a contact at each candidate: walk each posting's times against the
        // candidates (both ascending), counting a posting once per instant.
        var holders = [Int](repeating: 0, count: candidates.count)
        for i in members {
            let own = times[i]
            var c = 0, j = 0
            while c < candidates.count, j < own.count {
                if own[j] < candidates[c] {
                    j += 1
                } else if own[j] > candidates[c] {
                    // Jump to the first candidate at or after this time (binary search).
                    var low = c + 1, high = candidates.count
                    while low < high {
                        let mid = (low + high) / 2
                        if candidates[mid] < own[j] { low = mid + 1 } else { high = mid }
                    }
                    c = low
                } else {
                    holders[c] += 1
                    c += 1
                    while j < own.count, own[j] == candidates[c - 1] { j += 1 }
                }
            }
        }
        return zip(candidates, holders).filter { $0.1 > 1 }.map(\.0)
    }

    /// Results written from several threads, each at its own index.
    final class Slots<Value: Sendable>: @unchecked Sendable {
        private var stored: [Value?]
        private let lock = NSLock()
        init(count: Int) { stored = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Value) { lock.withLock { stored[index] = value } }
        func get(_ index: Int) -> Value? { lock.withLock { stored[index] } }
    }

    /// Sorts `keys` ascending: a least-significant-digit radix sort in six passes of 11 bits
    /// (2,048 buckets, so the counts stay in cache), passes whose digit never varies skipped; O(n).
    static func radixSort(_ keys: inout [UInt64]) {
        let n = keys.count
        guard n > 1 else { return }
        var keysOut = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2_049)
        var inOut = false    // whether the sorted keys are in `keysOut`
        keys.withUnsafeMutableBufferPointer { k0 in
            keysOut.withUnsafeMutableBufferPointer { k1 in
                counts.withUnsafeMutableBufferPointer { counts in
                    for pass in 0..<6 {
                        let shift = UInt64(pass * 11)
                        let (source, target) = inOut ? (k1, k0) : (k0, k1)
                        for k in 0..<counts.count { counts[k] = 0 }
                        for k in 0..<n { counts[Int(truncatingIfNeeded: (source[k] >> shift) & 0x7FF) &+ 1] &+= 1 }
                        // Skip a pass whose digit is the same in every key (times share their high bits).
                        if counts[Int(truncatingIfNeeded: (source[0] >> shift) & 0x7FF) &+ 1] == n { continue }
                        for k in 1..<counts.count { counts[k] &+= counts[k &- 1] }
                        for k in 0..<n {
                            let digit = Int(truncatingIfNeeded: (source[k] >> shift) & 0x7FF)
                            let to = counts[digit]
                            counts[digit] = to &+ 1
                            target[to] = source[k]
                        }
                        inOut.toggle()
                    }
                }
            }
        }
        if inOut { swap(&keys, &keysOut) }
    }

    /// The model of postings that all share one window, when only each posting's number of
    /// contacts is known: every contact then sees the whole risk set of its stratum, and with no
    /// two contacts at one instant (continuous times) the partial likelihood depends on the
    /// counts alone. Equal to ``init(_:ties:)`` on the times with no ties.
    public init(covariates: [[Double]], counts: [Int], strata: [Int]? = nil) {
        precondition(covariates.count == counts.count, "one covariate vector per count")
        ties = .breslow
        self.covariates = covariates
        let flat = covariates.flatMap { $0 }
        x = flat
        let width = covariates.first?.count ?? 0
        ranges = Self.ranges(flat, dimension: width)
        let (patternOf, patternFlat) = Self.patterns(flat, dimension: width)
        pattern = patternOf
        patternX = patternFlat
        postings = counts.count
        dimension = width
        var stratumOf = Array(repeating: 0, count: counts.count)
        var arranged: [Stratum] = []
        let keys = strata.map { Set($0).sorted() } ?? [0]
        for key in keys {
            let members = strata.map { strata in counts.indices.filter { strata[$0] == key } } ?? Array(counts.indices)
            var group = Group(leaving: 0, single: [], singleCount: 0, singleX: Array(repeating: 0, count: width), tied: [])
            for i in members where counts[i] > 0 {
                group.single.append((i, counts[i]))
                group.singleCount += counts[i]
                for j in 0..<width { group.singleX[j] += Double(counts[i]) * covariates[i][j] }
            }
            for i in members { stratumOf[i] = arranged.count }
            arranged.append(Stratum(order: members, groups: [group]))
        }
        self.strata = arranged
        contactsOf = counts
        memberships = Memberships(stratum: stratumOf, counts: counts)
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

    /// Each posting's covariate pattern and the distinct patterns, from the flattened covariates.
    static func patterns(_ x: [Double], dimension p: Int) -> ([Int], [Double]) {
        let n = p > 0 ? x.count / p : 0
        var flat: [Double] = []
        var pattern = Array(repeating: 0, count: n)
        // A few patterns (arms, a platform) are found fastest by looking at each; many by hashing.
        var index: [ArraySlice<Double>: Int] = [:]
        for i in 0..<n {
            let row = x[(i * p)..<(i * p + p)]
            if index.isEmpty {
                var found = -1
                for k in 0..<(flat.count / p) where flat[(k * p)..<(k * p + p)] == row {
                    found = k
                    break
                }
                if found >= 0 { pattern[i] = found; continue }
                if flat.count / p < 16 {
                    pattern[i] = flat.count / p
                    flat.append(contentsOf: row)
                    continue
                }
                for k in 0..<(flat.count / p) { index[flat[(k * p)..<(k * p + p)]] = k }
            }
            if let known = index[row] { pattern[i] = known; continue }
            pattern[i] = flat.count / p
            index[row] = pattern[i]
            flat.append(contentsOf: row)
        }
        return (pattern, flat)
    }

    /// Each covariate's range, from the flattened covariates.
    static func ranges(_ x: [Double], dimension p: Int) -> [Double] {
        guard p > 0 else { return [] }
        var low = Array(repeating: Double.infinity, count: p), high = Array(repeating: -Double.infinity, count: p)
        for (k, value) in x.enumerated() {
            low[k % p] = min(low[k % p], value)
            high[k % p] = max(high[k % p], value)
        }
        return zip(low, high).map { $1 >= $0 ? $1 - $0 : 0 }
    }

    func fit(start: [Double]?, excluding excluded: Int?, maximumIterations: Int, residuals: Bool) throws(Failure) -> Fit {
        let p = dimension
        guard contacts - (excluded.map { contactsOf[$0] } ?? 0) > 0 else { throw .noContacts }
        var work = Workspace(postings: postings, dimension: p)
        let zero = Array(repeating: 0.0, count: p)
        let nullLogLikelihood = work.run { accumulate(zero, excluding: excluded, into: $0) }
        var nullScore = work.scoreVector, nullInformation = work.informationMatrix
        let u0 = nullScore
        guard Self.solve(&nullInformation, &nullScore, p) else { throw .singular }
        let scoreStatistic = zip(u0, nullScore).reduce(0) { $0 + $1.0 * $1.1 }
        let solution = try newton(start: start ?? zero, excluding: excluded, maximumIterations: maximumIterations, finalInformation: true, work: &work)
        let information = Matrix(rows: p, columns: p, elements: work.informationMatrix)
        guard let naive = information.inverse else { throw .singular }
        var meat = Matrix(rows: p, columns: p)
        var scores: [[Double]] = []
        if residuals {
            scores = scoreResiduals(solution.beta)
            for u in scores { meat.addOuter(u) }
        }
        return Fit(coefficients: solution.beta, information: information, naiveVariance: naive, robustVariance: naive * meat * naive,
                   scoreResiduals: scores, logLikelihood: solution.logLikelihood, nullLogLikelihood: nullLogLikelihood,
                   scoreStatistic: scoreStatistic, iterations: solution.iterations)
    }

    /// Newton–Raphson with step halving from `start`. With `finalInformation`, `work` holds U and
    /// I at β̂ on return; without, a last step below 10⁻⁷ is taken without evaluating the
    /// likelihood after it (quadratic convergence leaves β̂ exact to about 10⁻¹⁴), as a jackknife's
    /// refits need only β̂.
    func newton(start: [Double], excluding excluded: Int?, maximumIterations: Int, finalInformation: Bool = false,
                work: inout Workspace) throws(Failure) -> (beta: [Double], logLikelihood: Double, iterations: Int) {
        let p = dimension
        guard contacts - (excluded.map { contactsOf[$0] } ?? 0) > 0 else { throw .noContacts }
        var outcome: (converged: Bool, singular: Bool, logLikelihood: Double, iterations: Int, lastStep: Double)
            = (false, false, 0, 0, .infinity)
        work.run { w in
            for k in 0..<p { w[w.beta + k] = start[k] }
            var logLikelihood = accumulate(w, excluding: excluded)
            var iterations = 0
            while iterations < maximumIterations {
                iterations += 1
                for k in 0..<p { w[w.step + k] = w[w.score + k] }
                for k in 0..<(p * p) { w[w.factor + k] = w[w.information + k] }
                guard Self.solve(w.buffer, factor: w.factor, vector: w.step, p) else {
                    outcome = (false, true, logLikelihood, iterations, .infinity)
                    return
                }
                var largest = 0.0, size = 0.0
                for k in 0..<p {
                    largest = max(largest, abs(w[w.step + k]))
                    size = max(size, abs(w[w.beta + k] + w[w.step + k]))
                }
                if !finalInformation, largest <= 1e-7 * (1 + size) {
                    for k in 0..<p { w[w.beta + k] += w[w.step + k] }
                    outcome = (true, false, logLikelihood, iterations, largest)
                    return
                }
                var scale = 1.0
                for k in 0..<p { w[w.next + k] = w[w.beta + k] + w[w.step + k] }
                var trial = accumulate(w, at: w.next, excluding: excluded)
                // Step halving when the likelihood falls (or overflows), as R's agfit does.
                while !(trial.isFinite && trial >= logLikelihood - 1e-12 * abs(logLikelihood)), scale > 1e-6 {
                    scale /= 2
                    for k in 0..<p { w[w.next + k] = w[w.beta + k] + scale * w[w.step + k] }
                    trial = accumulate(w, at: w.next, excluding: excluded)
                }
                let change = abs(trial - logLikelihood)
                for k in 0..<p { w[w.beta + k] = w[w.next + k] }
                logLikelihood = trial
                if scale * largest <= 1e-11 * (1 + size) || (change == 0 && scale == 1) {
                    outcome = (true, false, logLikelihood, iterations, scale * largest)
                    return
                }
                outcome = (false, false, logLikelihood, iterations, scale * largest)
            }
        }
        let beta = work.betaVector
        guard outcome.converged else {
            if beta.map(abs).max() ?? 0 > 20 { throw .infinite(coefficient: Self.largest(beta)) }
            if outcome.singular { throw .singular }
            throw .notConverged(iterations: outcome.iterations, lastStep: outcome.lastStep)
        }
        // A likelihood that keeps rising along a coefficient stops changing in double precision
        // long before the coefficient stops growing: a ratio beyond e²⁵ over the covariate's
        // range is that, not an estimate.
        // Over the postings fitted: a refit without an outlying posting has a narrower range.
        if (0..<p).contains(where: { abs(beta[$0]) * ranges[$0] > 25 }) {
            let fitted = excluded.map { g in Self.ranges(x.enumerated().filter { $0.offset / p != g }.map(\.element), dimension: p) } ?? ranges
            for j in 0..<p where abs(beta[j]) * fitted[j] > 25 { throw .infinite(coefficient: j) }
        }
        return (beta, outcome.logLikelihood, outcome.iterations)
    }

    /// Solves A x = b in place for a small symmetric positive definite A (row-major, p × p) by
    /// Cholesky; `b` becomes x. `false` when A is not positive definite to working precision
    /// (pivots below 1.8e-12 of the largest diagonal entry, R's `toler.chol`).
    static func solve(_ a: inout [Double], _ b: inout [Double], _ p: Int) -> Bool {
        var buffer = a + b
        let solved = buffer.withUnsafeMutableBufferPointer { solve($0, factor: 0, vector: p * p, p) }
        for k in 0..<p { b[k] = buffer[p * p + k] }
        return solved
    }

    /// ``solve(_:_:_:)`` on a buffer: A at offset `factor`, b at offset `vector`.
    static func solve(_ m: UnsafeMutableBufferPointer<Double>, factor a: Int, vector b: Int, _ p: Int) -> Bool {
        if p == 1 {
            guard m[a] > 0, m[a].isFinite else { return false }
            m[b] /= m[a]
            return true
        }
        var scale = 0.0
        for j in 0..<p { scale = max(scale, abs(m[a + j * p + j])) }
        guard scale > 0, scale.isFinite else { return false }
        for j in 0..<p {
            var pivot = m[a + j * p + j]
            for k in 0..<j { pivot -= m[a + j * p + k] * m[a + j * p + k] }
            guard pivot > 1.8189894035458565e-12 * scale else { return false }
            let root = pivot.squareRoot()
            m[a + j * p + j] = root
            for i in (j + 1)..<max(j + 1, p) {
                var sum = m[a + i * p + j]
                for k in 0..<j { sum -= m[a + i * p + k] * m[a + j * p + k] }
                m[a + i * p + j] = sum / root
            }
        }
        for i in 0..<p {
            for k in 0..<i { m[b + i] -= m[a + i * p + k] * m[b + k] }
            m[b + i] /= m[a + i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(i + 1, p) { m[b + i] -= m[a + k * p + i] * m[b + k] }
            m[b + i] /= m[a + i * p + i]
        }
        return true
    }

    static func largest(_ beta: [Double]) -> Int {
        beta.indices.max { abs(beta[$0]) < abs(beta[$1]) } ?? 0
    }

    /// Scratch space of one fit in one buffer, so that a Newton step allocates nothing and
    /// touches one array: each part at its offset.
    struct Workspace {
        var storage: [Double]
        let p: Int
        let weight: Int, patternWeight: Int, s1: Int, s2: Int, e1: Int, e2: Int
        /// U and I (row-major) of the last accumulation.
        let score: Int, information: Int
        /// Newton's current point, step, trial point and the factor of I.
        let beta: Int, step: Int, next: Int, factor: Int

        init(postings: Int, dimension p: Int) {
            self.p = p
            var offset = 0
            func take(_ count: Int) -> Int { defer { offset += count }; return offset }
            weight = take(postings)
            patternWeight = take(postings)
            s1 = take(p)
            s2 = take(p * p)
            e1 = take(p)
            e2 = take(p * p)
            score = take(p)
            information = take(p * p)
            beta = take(p)
            step = take(p)
            next = take(p)
            factor = take(p * p)
            storage = Array(repeating: 0, count: offset)
        }

        /// The buffer with the offsets, for the duration of `body`.
        struct View {
            let buffer: UnsafeMutableBufferPointer<Double>
            let weight: Int, patternWeight: Int, s1: Int, s2: Int, e1: Int, e2: Int
            let score: Int, information: Int, beta: Int, step: Int, next: Int, factor: Int

            subscript(index: Int) -> Double {
                get { buffer[index] }
                nonmutating set { buffer[index] = newValue }
            }
        }

        mutating func run<R>(_ body: (View) -> R) -> R {
            let (weight, patternWeight, s1, s2, e1, e2) = (self.weight, self.patternWeight, self.s1, self.s2, self.e1, self.e2)
            let (score, information, beta, step, next, factor) = (self.score, self.information, self.beta, self.step, self.next, self.factor)
            return storage.withUnsafeMutableBufferPointer { buffer in
                body(View(buffer: buffer, weight: weight, patternWeight: patternWeight, s1: s1, s2: s2, e1: e1, e2: e2, score: score,
                          information: information, beta: beta, step: step, next: next, factor: factor))
            }
        }

        var scoreVector: [Double] { Array(storage[score..<(score + p)]) }
        var informationMatrix: [Double] { Array(storage[information..<(information + p * p)]) }
        var betaVector: [Double] { Array(storage[beta..<(beta + p)]) }
    }

    /// log L at β (given as an array), leaving U and I in the workspace.
    func accumulate(_ beta: [Double], excluding excluded: Int?, into w: Workspace.View) -> Double {
        for k in 0..<dimension { w[w.next + k] = beta[k] }
        return accumulate(w, at: w.next, excluding: excluded)
    }

    /// log L at the workspace's current point.
    func accumulate(_ w: Workspace.View, excluding excluded: Int?) -> Double {
        accumulate(w, at: w.beta, excluding: excluded)
    }

    /// log L at the β stored at offset `at` of the workspace, leaving U and I there.
    func accumulate(_ w: Workspace.View, at beta: Int, excluding excluded: Int?) -> Double {
        let p = dimension
        let m = w.buffer
        let u = w.score, info = w.information, s1 = w.s1, s2 = w.s2, e1 = w.e1, e2 = w.e2
        var loglik = 0.0
        let excludedStratum = excluded.map { memberships.stratum[$0] } ?? -1
        let excludedSingles = excluded.map { memberships.start[$0]..<memberships.start[$0 + 1] } ?? 0..<0
        let patterns = patternX.count / max(p, 1)
        for a in 0..<p { m[u + a] = 0 }
        for k in 0..<(p * p) { m[info + k] = 0 }
        patternX.withUnsafeBufferPointer { patternX in
            for c in 0..<patterns {
                var eta = 0.0
                for a in 0..<p { eta += patternX[c * p + a] * m[beta + a] }
                m[w.patternWeight + c] = Foundation.exp(eta)
            }
            for k in strata.indices {
                var cursor = excludedSingles.lowerBound
                // Groups come by descending `leaving`: each risk set holds the one before it, so
                // the risk sums grow by the postings that join (only additions, no cancellation).
                var s0 = 0.0
                for a in 0..<p { m[s1 + a] = 0 }
                for j in 0..<(p * p) { m[s2 + j] = 0 }
                let order = strata[k].order
                var added = order.count
                for g in strata[k].groups.indices {
                    let leaving = strata[k].groups[g].leaving
                    while added > leaving {
                        added -= 1
                        let i = order[added]
                        if i == excluded { continue }
                        let c = pattern[i]
                        let weight = m[w.patternWeight + c]
                        s0 += weight
                        for a in 0..<p {
                            let wa = weight * patternX[c * p + a]
                            m[s1 + a] += wa
                            for b in 0..<p { m[s2 + a * p + b] += wa * patternX[c * p + b] }
                        }
                    }
                    // Contacts alone at their instant: each sees the whole risk set.
                    var d = strata[k].groups[g].singleCount
                    var own = 0
                    if k == excludedStratum {
                        while cursor < excludedSingles.upperBound, memberships.groups[cursor] < g { cursor += 1 }
                        if cursor < excludedSingles.upperBound, memberships.groups[cursor] == g { own = memberships.counts[cursor] }
                        d -= own
                    }
                    if d > 0 {
                        let dd = Double(d)
                        var linear = 0.0
                        for a in 0..<p {
                            var sx = strata[k].groups[g].singleX[a]
                            if own > 0, let excluded { sx -= Double(own) * x[excluded * p + a] }
                            linear += sx * m[beta + a]
                            let ma = m[s1 + a] / s0
                            m[u + a] += sx - dd * ma
                            for b in 0..<p { m[info + a * p + b] += dd * (m[s2 + a * p + b] / s0 - ma * m[s1 + b] / s0) }
                        }
                        loglik += linear - dd * Foundation.log(s0)
                    }
                    // Efron: the instants with two or more contacts.
                    for instant in strata[k].groups[g].tied {
                        var e0 = 0.0, count = 0
                        for a in 0..<p { m[e1 + a] = 0 }
                        for j in 0..<(p * p) { m[e2 + j] = 0 }
                        for (i, c) in instant where i != excluded {
                            let weight = Double(c) * m[w.patternWeight + pattern[i]]
                            count += c
                            e0 += weight
                            for a in 0..<p {
                                let xa = x[i * p + a]
                                loglik += Double(c) * xa * m[beta + a]
                                m[u + a] += Double(c) * xa
                                m[e1 + a] += weight * xa
                                for b in 0..<p { m[e2 + a * p + b] += weight * xa * x[i * p + b] }
                            }
                        }
                        for r in 0..<count {
                            let f = Double(r) / Double(count)
                            let t0 = s0 - f * e0
                            loglik -= Foundation.log(t0)
                            for a in 0..<p {
                                let ma = (m[s1 + a] - f * m[e1 + a]) / t0
                                m[u + a] -= ma
                                for b in 0..<p {
                                    let mb = (m[s1 + b] - f * m[e1 + b]) / t0
                                    m[info + a * p + b] += (m[s2 + a * p + b] - f * m[e2 + a * p + b]) / t0 - ma * mb
                                }
                            }
                        }
                    }
                }
            }
        }
        return loglik
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

    /// β̂ alone, by the same Newton–Raphson as ``fit(start:maximumIterations:)`` (what a jackknife
    /// needs of the whole data, without the variances).
    public func estimate(maximumIterations: Int = 50) throws(Failure) -> [Double] {
        var work = Workspace(postings: postings, dimension: dimension)
        return try newton(start: Array(repeating: 0, count: dimension), excluding: nil, maximumIterations: maximumIterations, finalInformation: true,
                          work: &work).beta
    }

    /// β̂₍₋g₎ for every posting g: the model refitted without it, from `fit`'s estimate.
    /// - Parameter threads: refits run on this many threads; the estimates do not depend on it.
    /// - Throws: the failure of the first posting whose refit fails (leaving a posting out can
    ///   leave a coefficient infinite, for instance when it held the only contacts of one side).
    public func leaveOneOut(_ fit: Fit, threads: Int = 1) throws(Failure) -> [[Double]] {
        try leaveOneOut(around: fit.coefficients, threads: threads)
    }

    /// β̂₍₋g₎ for every posting g, each refitted from `beta`.
    public func leaveOneOut(around beta: [Double], threads: Int = 1) throws(Failure) -> [[Double]] {
        let stripes = max(1, min(threads, postings / 64))
        if stripes == 1 {
            var estimates: [[Double]] = []
            estimates.reserveCapacity(postings)
            var work = Workspace(postings: postings, dimension: dimension)
            for g in 0..<postings {
                estimates.append(try newton(start: beta, excluding: g, maximumIterations: 50, work: &work).beta)
            }
            return estimates
        }
        // Contiguous slices of the postings, one workspace each; each slot written by one thread.
        let slots = Slots<Result<[Double], Failure>>(count: postings)
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            var work = Workspace(postings: postings, dimension: dimension)
            for g in (postings * stripe / stripes)..<(postings * (stripe + 1) / stripes) {
                do throws(Failure) { slots.set(g, .success(try newton(start: beta, excluding: g, maximumIterations: 50, work: &work).beta)) } catch {
                    slots.set(g, .failure(error))
                    return
                }
            }
        }
        var estimates: [[Double]] = []
        estimates.reserveCapacity(postings)
        for g in 0..<postings {
            switch slots.get(g) {
            case let .success(estimate)?: estimates.append(estimate)
            case let .failure(error)?: throw error
            case nil: preconditionFailure("a stripe stops only at a failure, which comes first")
            }
        }
        return estimates
    }

    /// The jackknife variance (G − 1)/G · Σ_g (β̂₍₋g₎ − β̂)(β̂₍₋g₎ − β̂)ᵀ, G the postings.
    public static func jackknifeVariance(_ estimates: [[Double]], around beta: [Double]) -> Matrix {
        let g = Double(estimates.count), p = beta.count
        var sums = Array(repeating: 0.0, count: p * p)
        for estimate in estimates {
            for a in 0..<p {
                let da = estimate[a] - beta[a]
                for b in 0..<p { sums[a * p + b] += da * (estimate[b] - beta[b]) }
            }
        }
        return Matrix(rows: p, columns: p, elements: sums.map { $0 * (g - 1) / g })
    }
}

extension Matrix {
    init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "a matrix has rows × columns entries")
        self.init(rows: rows, columns: columns)
        for k in elements.indices { self[k / columns, k % columns] = elements[k] }
    }
}
