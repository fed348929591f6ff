import DecoyModel
import Foundation

extension RandomStream {
    /// The stream of posting `index` of arm `arm` in simulated experiment `simulation` of a power
    /// analysis: label `decoy/v1/power` (the design as configured) or `decoy/v1/power-null` (both
    /// arms given the null arm's response), then the seed, the simulation and the posting index,
    /// then the arm's name, as ``posting(seed:replicate:arm:index:)`` lays them out.
    public static func power(seed: UInt64, null: Bool, simulation: Int, arm: String, index: Int) -> Xoshiro256StarStar {
        make(label: null ? "decoy/v1/power-null" : "decoy/v1/power", seed: seed, numbers: [UInt64(simulation), UInt64(index)], name: arm)
    }
}

/// What a test needs to know of each simulated posting.
public struct PostingNeeds: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The number of contacts in the window.
    public static let count = PostingNeeds(rawValue: 1)
    /// The time of the first contact.
    public static let firstContact = PostingNeeds(rawValue: 2)
    /// Every contact time.
    public static let times = PostingNeeds(rawValue: 4)
}

/// One posting as a power analysis sees it: its window and what the test needs of its contacts.
public struct SampledPosting: Sendable, Equatable {
    /// The observation window in hours (the horizon, or earlier removal).
    public var window: Double
    /// Contacts in the window (when counts or times were asked for).
    public var count: Int
    /// The first contact's time in hours, `nil` without contact (when asked for).
    public var firstContact: Double?
    /// Every contact time in hours, ascending (when asked for; empty otherwise, even where they
    /// were drawn to count the contacts).
    public var times: [Double]

    public init(window: Double, count: Int = 0, firstContact: Double? = nil, times: [Double] = []) {
        self.window = window
        self.count = count
        self.firstContact = firstContact
        self.times = times
    }
}

/// Draws postings of one arm exactly in distribution, simulating only what a test needs.
///
/// From each posting's own stream: first the takedown time (as ``PostingSimulator``), then
/// - without self-excitation, counts alone: N(C) ~ Poisson(M(C)), M the background cumulative
///   intensity and C the window (a Poisson process's count on [0, C]), one variate;
/// - the first contact alone: M⁻¹(E) for a unit exponential E, no contact when it is past C; for
///   `hawkes` too, since the first contact is always a background one (children follow parents);
/// - every contact time, or counts of a `hawkes` arm: the event simulator's
///   ``PostingIntensity/sample(until:using:)``.
/// Counts and first contacts are then drawn independently of each other, so ask for both only
/// through `times` when a test needs them together.
public struct ArmSampler: Sendable {
    public let needs: PostingNeeds
    let removalRate: Double
    let horizon: Double
    let intensities: [PostingIntensity]
    let profiles: [BackgroundProfile]
    /// The profile of each posting index below `postings`.
    let profileOfPosting: [Int]
    let selfExciting: Bool

    /// - Parameters:
    ///   - arm: the arm's index in `plan`; postings 0..<postings of it can be drawn.
    public init(plan: ExperimentPlan, arm: Int, postings: Int, needs: PostingNeeds) {
        let armPlan = plan.arms[arm]
        self.needs = needs
        horizon = plan.config.horizon
        removalRate = armPlan.spec.lifetime?.removalRate ?? 0
        guard let response = armPlan.spec.response else {
            intensities = []
            profiles = []
            profileOfPosting = []
            selfExciting = false
            return
        }
        if case let .hawkes(_, branching, _) = response.model { selfExciting = branching > 0 } else { selfExciting = false }
        // Postings of one arm differ only by the local hour they go live at, and only with `diurnal`.
        var byHour: [Double: Int] = [:]
        var intensities: [PostingIntensity] = [], profiles: [BackgroundProfile] = []
        var profileOfPosting: [Int] = []
        profileOfPosting.reserveCapacity(postings)
        for k in 0..<postings {
            let hour = response.diurnal == nil ? 0 : plan.goLiveLocalHour(armPlan.spec.schedule.goLive(ofPosting: k))
            if let known = byHour[hour] {
                profileOfPosting.append(known)
                continue
            }
            let intensity = PostingIntensity(response, goLiveLocalHour: hour)
            byHour[hour] = intensities.count
            profileOfPosting.append(intensities.count)
            intensities.append(intensity)
            profiles.append(BackgroundProfile(intensity, horizon: horizon))
        }
        self.intensities = intensities
        self.profiles = profiles
        self.profileOfPosting = profileOfPosting
    }

    /// Whether the arm has a response model (an arm without one never has a contact).
    public var responds: Bool { !intensities.isEmpty }

    /// Expected contacts of posting `k` over the horizon without removal (M(H), or E N(H) for `hawkes`).
    public func meanCount(ofPosting k: Int) -> Double {
        responds ? intensities[profileOfPosting[k]].meanCumulative(at: horizon) : 0
    }

    /// Posting `k` drawn from `rng` (its own stream).
    public func sample(posting k: Int, using rng: inout some RandomNumberGenerator) -> SampledPosting {
        var window = horizon
        if removalRate > 0 { window = min(horizon, rng.nextExponential() / removalRate) }
        var result = SampledPosting(window: window)
        guard responds else { return result }
        let profile = profileOfPosting[k]
        if needs.contains(.times) || (needs.contains(.count) && selfExciting) {
            let times = intensities[profile].sample(until: window, using: &rng)
            result.count = times.count
            result.firstContact = times.first
            // A count of a `hawkes` arm is drawn through its times, which are then let go: an
            // experiment of many postings holds what its test reads, not every contact.
            if needs.contains(.times) { result.times = times }
            return result
        }
        if needs.contains(.count) {
            let mass = window < horizon ? profiles[profile].cumulative(at: window) : profiles[profile].total
            result.count = rng.nextPoissonCount(mean: mass)
        }
        if needs.contains(.firstContact) {
            result.firstContact = profiles[profile].time(reaching: rng.nextExponential(), before: window)
        }
        return result
    }
}
