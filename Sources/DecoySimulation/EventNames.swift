import DecoyModel

/// The names a simulated run writes into the canonical event stream, encoded once per run.
///
/// For each arm: its name, and for each of its channels the segment `,<channel>,<population>:`
/// that a contact's line carries between its time and its contactor's index.
public struct EventNames: Sendable {
    struct Arm: Sendable {
        /// The arm's name.
        let name: [UInt8]
        /// The channels' segments, one after another.
        let segments: [UInt8]
        /// Where each channel's segment starts in `segments`, and (last) where the final one ends.
        let segmentStarts: [Int]
        /// Bytes of the longest segment.
        let longestSegment: Int
    }

    let arms: [Arm]

    /// The names of `plan`'s arms, channels and populations.
    public init(plan: ExperimentPlan) {
        arms = plan.arms.map { arm in
            var segments: [UInt8] = []
            var starts: [Int] = [0]
            var longest = 0
            for channel in arm.spec.channels {
                let segment = [UInt8(ascii: ",")] + Array(channel.name.utf8) + [UInt8(ascii: ",")] + Array(arm.population.name.utf8) + [UInt8(ascii: ":")]
                segments += segment
                starts.append(segments.count)
                longest = max(longest, segment.count)
            }
            return Arm(name: Array(arm.spec.name.utf8), segments: segments, segmentStarts: starts, longestSegment: longest)
        }
    }
}
