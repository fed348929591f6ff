public import DecoyModel
public import DecoyStatistics
import DecoyStore
import Foundation

/// `decoy compare`: two arms of a run set side by side (SPEC §6).
public struct ArmComparison: Sendable {
    /// One arm's summary.
    public struct Arm: Sendable {
        public var name: String
        public var postings: Int
        public var contacts: Int
        /// Posting-hours observed.
        public var postingHours: Double
        /// Contacts per posting-hour.
        public var rate: Double
        /// Kaplan–Meier median time to first contact and its interval (log-log), in hours.
        public var medianTTFC: (Double?, Double?, Double?)
        /// Mean cumulative contacts per posting at the horizon with its standard error.
        public var mcfAtHorizon: Double
        public var mcfStandardError: Double
    }

    public var arms: (Arm, Arm)
    /// Rate of the first arm over the second, cluster-robust interval.
    public var rateRatio: RateRatio
    public var logRank: LogRank
    /// μ₁(H) − μ₂(H) with its normal interval (independent arms: variances add).
    public var mcfDifference: Double
    public var mcfDifferenceLower: Double
    public var mcfDifferenceUpper: Double
    /// The time the mean counts are compared at: the later horizon of the two.
    public var horizon: Double

    /// Compares arm `first` with arm `second` (each pooled over replicates), possibly of two runs.
    public init(_ first: (data: RunData, arm: String), _ second: (data: RunData, arm: String), confidence: Double = 0.95) throws {
        func members(_ side: (data: RunData, arm: String)) throws -> (ArmRecord, RecurrentEvents) {
            guard let record = side.data.arms.first(where: { $0.name == side.arm }) else {
                let names = side.data.arms.map(\.name)
                let hint = names.isEmpty ? "" : "; its arms: \(names.joined(separator: ", "))"
                throw CurveError(message: "run \(side.data.run.id) has no arm `\(side.arm)`\(hint)")
            }
            return (record, side.data.events(side.data.members(ofArm: record.id)))
        }
        let (recordA, a) = try members(first), (recordB, b) = try members(second)
        let horizon = max(Double(first.data.run.horizonMicros), Double(second.data.run.horizonMicros)) / 3.6e9
        let z = SpecialFunctions.normalQuantile(0.5 + confidence / 2)
        func summary(_ record: ArmRecord, _ data: RecurrentEvents) -> Arm {
            let hours = data.windows.reduce(0, +)
            let km = FirstContact(data).kaplanMeier
            let mcf = MeanCumulativeFunction.estimate(data, at: [horizon], confidence: confidence)[0]
            return Arm(name: record.name, postings: data.count, contacts: data.contactCount, postingHours: hours,
                       rate: hours > 0 ? Double(data.contactCount) / hours : 0, medianTTFC: km.median(confidence: confidence),
                       mcfAtHorizon: mcf.estimate ?? 0, mcfStandardError: mcf.standardError ?? 0)
        }
        let armA = summary(recordA, a), armB = summary(recordB, b)
        arms = (armA, armB)
        rateRatio = RateRatio((a.times.map(\.count), a.windows), (b.times.map(\.count), b.windows), confidence: confidence)
        let firstA = FirstContact(a), firstB = FirstContact(b)
        logRank = LogRank((firstA.followUp, firstA.contacted), (firstB.followUp, firstB.contacted))
        mcfDifference = armA.mcfAtHorizon - armB.mcfAtHorizon
        let se = (armA.mcfStandardError * armA.mcfStandardError + armB.mcfStandardError * armB.mcfStandardError).squareRoot()
        mcfDifferenceLower = mcfDifference - z * se
        mcfDifferenceUpper = mcfDifference + z * se
        self.horizon = horizon
    }

    /// The `--format json` object.
    public var json: JSONValue {
        func arm(_ a: Arm) -> JSONValue {
            .object([
                ("name", .string(a.name)), ("postings", .integer(Int64(a.postings))), ("contacts", .integer(Int64(a.contacts))),
                ("posting_hours", .number(a.postingHours)), ("rate", .number(a.rate)),
                ("median_ttfc_hours", .finite(a.medianTTFC.0)), ("median_ttfc_lower", .finite(a.medianTTFC.1)),
                ("median_ttfc_upper", .finite(a.medianTTFC.2)), ("mcf_at_horizon", .number(a.mcfAtHorizon)),
                ("mcf_standard_error", .number(a.mcfStandardError)),
            ])
        }
        return .object([
            ("rate_ratio", .finite(rateRatio.ratio)), ("rate_ratio_lower", .finite(rateRatio.lower)),
            ("rate_ratio_upper", .finite(rateRatio.upper)), ("rate_ratio_p", .finite(rateRatio.p)),
            ("logrank_chi2", .number(logRank.chiSquare)), ("logrank_p", .number(logRank.p)),
            ("mcf_difference", .number(mcfDifference)), ("mcf_difference_lower", .number(mcfDifferenceLower)),
            ("mcf_difference_upper", .number(mcfDifferenceUpper)), ("horizon_hours", .number(horizon)),
            ("arms", .array([arm(arms.0), arm(arms.1)])),
        ])
    }
}

/// `decoy population`: how many distinct contactors there are, by capture–recapture.
public struct PopulationEstimate: Sendable {
    public var chao1: Chao1
    /// The number of potential contactors the simulation drew from, for simulated runs.
    public var trueSize: Int?

    public init(_ data: RunData) {
        let counts = data.contactsPerContactor.values.flatMap(\.values)
        chao1 = Chao1(counts: counts)
        if data.run.source == .simulated {
            var sizes: [String: Int] = [:]
            for arm in data.arms { sizes[arm.population] = arm.populationSize }
            trueSize = sizes.values.reduce(0, +)
        }
    }

    public var json: JSONValue {
        .object([
            ("observed", .integer(Int64(chao1.observed))), ("f1", .integer(Int64(chao1.f1))), ("f2", .integer(Int64(chao1.f2))),
            ("chao1", .number(chao1.estimate)), ("lower", .number(chao1.lower)), ("upper", .number(chao1.upper)),
            ("true_size", trueSize.map { .integer(Int64($0)) } ?? .null),
        ])
    }
}
