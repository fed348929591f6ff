public import DecoyModel

/// What a run will simulate: the experiment's arms resolved against their populations, and the
/// postings in canonical order (replicate, then arm in config order, then posting index).
public struct ExperimentPlan: Sendable {
    public let config: ExperimentConfig
    public let arms: [ArmPlan]

    public init(_ config: ExperimentConfig) {
        self.config = config
        self.arms = config.arms.enumerated().map { index, spec in
            ArmPlan(index: index, spec: spec, population: config.population(of: spec))
        }
    }

    /// The seed of every stream; a config with a response model always has one (the loader
    /// requires it), and an observed config draws nothing.
    public var seed: UInt64 { config.seed ?? 0 }

    /// Postings in one replicate.
    public var postingsPerReplicate: Int { arms.reduce(0) { $0 + $1.spec.postings } }

    /// Postings of the whole run.
    public var postingCount: Int { postingsPerReplicate * config.replicates }

    /// Local hour of day (0 ≤ h < 24, in the offset of `start`) when a posting goes live.
    public func goLiveLocalHour(_ goLive: Double) -> Double {
        let micros = config.start.microseconds + Int64(config.start.utcOffsetSeconds) * 1_000_000 + Units.micros(hours: goLive)
        let day: Int64 = 86_400_000_000
        return Units.hours(micros: ((micros % day) + day) % day)
    }

    /// The contact intensity of a posting, or `nil` for an arm without a response model.
    public func intensity(of posting: PostingPlan) -> PostingIntensity? {
        guard let response = arms[posting.arm].spec.response else { return nil }
        return PostingIntensity(response, goLiveLocalHour: response.diurnal == nil ? 0 : goLiveLocalHour(posting.goLive))
    }

    /// Every posting of the run, in canonical order, computed from its index on demand: a plan
    /// of a hundred million postings holds no array of them.
    public var postings: PostingSequence { PostingSequence(plan: self) }

    /// The posting at `index` in canonical order (0 ≤ index < ``postingCount``).
    /// - Complexity: O(arms).
    public func posting(at index: Int) -> PostingPlan {
        precondition(index >= 0 && index < postingCount, "posting index \(index) outside 0..<\(postingCount)")
        let perReplicate = postingsPerReplicate
        var within = index % perReplicate
        for arm in arms {
            if within < arm.spec.postings {
                return PostingPlan(replicate: index / perReplicate + 1, arm: arm.index, index: within,
                                   goLive: arm.spec.schedule.goLive(ofPosting: within))
            }
            within -= arm.spec.postings
        }
        preconditionFailure("posting index \(index) past the arms")
    }

    /// Postings of an arm averaged exactly, at most this many; beyond, see ``meanCount(ofArm:horizon:)``.
    public static let exactMeanPostings = 4_096

    /// Expected contacts per posting of arm `arm` over `horizon` hours (with its removal rate),
    /// averaged over the arm's postings, or `nil` for an arm without a response model.
    ///
    /// Postings of one arm differ only by their local go-live hour, and only with `diurnal`.
    /// Without it, one posting's mean is every posting's. With it, up to ``exactMeanPostings``
    /// postings are averaged one by one; beyond, the go-live times of posting k repeat with
    /// period P = 24 h / gcd(every, 24 h) (in microseconds), so the P distinct times are averaged
    /// with their exact multiplicities when P ≤ ``exactMeanPostings``, and otherwise ``exactMeanPostings``
    /// evenly spaced postings stand for all (a bounded approximation, for summaries and the size
    /// guard only; simulated events never use it).
    /// - Complexity: O(min(postings, ``exactMeanPostings``)) mean-count integrals.
    public func meanCount(ofArm arm: Int, horizon: Double) -> Double? {
        let plan = arms[arm]
        guard let response = plan.spec.response else { return nil }
        let removal = plan.spec.lifetime?.removalRate ?? 0
        let n = plan.spec.postings
        func mean(ofPosting k: Int) -> Double {
            PostingIntensity(response, goLiveLocalHour: response.diurnal == nil ? 0 : goLiveLocalHour(plan.spec.schedule.goLive(ofPosting: k)))
                .meanCount(horizon: horizon, removalRate: removal)
        }
        if response.diurnal == nil { return mean(ofPosting: 0) }
        if n <= Self.exactMeanPostings {
            return (0..<n).reduce(0.0) { $0 + mean(ofPosting: $1) } / Double(n)
        }
        let day: Int64 = 86_400_000_000
        let every = Units.micros(hours: plan.spec.schedule.every) % day
        func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }
        let period = every == 0 ? 1 : Int(day / gcd(day, every))
        if period <= Self.exactMeanPostings {
            var total = 0.0
            for j in 0..<period {
                let copies = n / period + (j < n % period ? 1 : 0)
                total += Double(copies) * mean(ofPosting: j)
            }
            return total / Double(n)
        }
        let samples = Self.exactMeanPostings
        var total = 0.0
        for i in 0..<samples { total += mean(ofPosting: Int((Double(i) + 0.5) * Double(n) / Double(samples))) }
        return total / Double(samples)
    }
}

extension ExperimentPlan {
    /// The K-th (1-based) of N contiguous slices of the canonical posting order, balanced by
    /// expected work: posting i weighs 1 + its arm's expected contacts (``meanCount(ofArm:horizon:)``,
    /// with removal), and slice K ends at the first posting whose running weight reaches K/N of
    /// the total. Every slice boundary is a pure function of the plan; a merge checks that the
    /// slices it joins are contiguous, whatever machine computed them.
    /// - Complexity: O(arms · log postings).
    public func shardRange(index k: Int, of n: Int) -> Range<Int> {
        precondition(n >= 1 && k >= 1 && k <= n, "shard \(k) of \(n)")
        let weights = arms.map { 1 + (meanCount(ofArm: $0.index, horizon: config.horizon) ?? 0) }
        let perReplicate = zip(arms, weights).reduce(0.0) { $0 + Double($1.0.spec.postings) * $1.1 }
        // Running weight of the postings before canonical position i.
        func before(_ i: Int) -> Double {
            let replicate = i / max(1, postingsPerReplicate)
            var within = i - replicate * postingsPerReplicate
            var total = Double(replicate) * perReplicate
            for (arm, w) in zip(arms, weights) {
                let taken = min(within, arm.spec.postings)
                total += Double(taken) * w
                within -= taken
            }
            return total
        }
        let whole = before(postingCount)
        func boundary(_ j: Int) -> Int {
            if j == 0 { return 0 }
            if j == n { return postingCount }
            let target = whole * Double(j) / Double(n)
            var low = 0, high = postingCount
            while low < high {
                let mid = low + (high - low) / 2
                if before(mid) < target { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return boundary(k - 1)..<boundary(k)
    }
}

/// The postings of a plan in canonical order, as a collection indexed by canonical position;
/// each element is computed by ``ExperimentPlan/posting(at:)``.
public struct PostingSequence: RandomAccessCollection, Sendable {
    let plan: ExperimentPlan
    public var startIndex: Int { 0 }
    public var endIndex: Int { plan.postingCount }
    public subscript(position: Int) -> PostingPlan { plan.posting(at: position) }
}

/// One arm with its resolved population.
public struct ArmPlan: Sendable {
    /// Position of the arm in the config.
    public let index: Int
    public let spec: ArmSpec
    public let population: PopulationSpec
    /// Running sums of the channel probabilities, for drawing a channel.
    public let channelCumulative: [Double]

    init(index: Int, spec: ArmSpec, population: PopulationSpec) {
        self.index = index
        self.spec = spec
        self.population = population
        var sum = 0.0
        self.channelCumulative = spec.channels.map { sum += $0.probability; return sum }
    }
}

/// One posting of a run.
public struct PostingPlan: Sendable, Equatable {
    /// Replicate, 1-based.
    public let replicate: Int
    /// Position of the posting's arm in the config.
    public let arm: Int
    /// Index of the posting within its arm, 0-based (posting k goes live at offset + k · every).
    public let index: Int
    /// Hours after the experiment's start that the posting goes live.
    public let goLive: Double

    public init(replicate: Int, arm: Int, index: Int, goLive: Double) {
        self.replicate = replicate
        self.arm = arm
        self.index = index
        self.goLive = goLive
    }
}
