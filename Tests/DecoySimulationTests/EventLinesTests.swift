import DecoyModel
import Testing
@testable import DecoySimulation

/// The line writer against the canonical stream written out independently here, by string
/// interpolation of the format in ``EventDigest``'s documentation, over random postings whose
/// integers reach zero, every power of ten and `Int64.max`, and whose names are multi-byte UTF-8.
@Suite struct EventLinesTests {
    /// Arms, channels and populations with one-, two-, three- and four-byte UTF-8 names.
    static let config = ExperimentConfig(
        name: "lines", seed: 1, start: Timestamp(iso8601: "2020-01-01T00:00:00Z")!, horizon: 24,
        populations: [PopulationSpec(name: "bürger", size: 10), PopulationSpec(name: "p", size: 3)],
        arms: [
            ArmSpec(name: "a", postings: 1, response: ResponseSpec(model: .poisson(rate: 1)), population: "p",
                    channels: [ChannelWeight(name: "message", probability: 1)]),
            ArmSpec(name: "décor-猫", postings: 1, response: ResponseSpec(model: .poisson(rate: 1)), population: "bürger",
                    channels: [ChannelWeight(name: "café", probability: 0.5), ChannelWeight(name: "📞", probability: 0.3),
                               ChannelWeight(name: "x", probability: 0.2)]),
        ])

    /// A value of every decimal length: zero, powers of ten and their neighbours, the maximum, or random bits.
    static func integer(using rng: inout SplitMix64, max: UInt64 = UInt64(Int64.max)) -> UInt64 {
        let value: UInt64
        switch rng.next() % 6 {
        case 0: value = 0
        case 1: value = max
        case 2:
            let power = LineCursor.powersOfTen[Int(rng.next() % 19)]
            value = power &+ UInt64(rng.next() % 3) &- 1
        default: value = rng.next() >> (rng.next() % 64)
        }
        return Swift.min(value, max)
    }

    static func postings(count: Int, plan: ExperimentPlan, seed: UInt64) -> [SimulatedPosting] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let arm = Int(rng.next() % UInt64(plan.arms.count))
            let posting = PostingPlan(replicate: Int(integer(using: &rng)), arm: arm, index: Int(integer(using: &rng)), goLive: 0)
            let contacts = (0..<Int(rng.next() % 12)).map { _ in
                SimulatedContact(micros: Int64(integer(using: &rng)), channel: Int(rng.next() % UInt64(plan.arms[arm].spec.channels.count)),
                                 contactor: Int(integer(using: &rng)))
            }
            return SimulatedPosting(plan: posting, windowMicros: Int64(integer(using: &rng)), removed: rng.next() % 2 == 0, contacts: contacts)
        }
    }

    /// The canonical lines of `postings`, written by interpolation.
    static func reference(_ postings: [SimulatedPosting], plan: ExperimentPlan) -> String {
        var text = ""
        for result in postings {
            let arm = plan.arms[result.plan.arm]
            let (replicate, name, index) = (result.plan.replicate, arm.spec.name, result.plan.index)
            text += "P,\(replicate),\(name),\(index),\(result.windowMicros),\(result.removed ? 1 : 0)\n"
            for (seq, contact) in result.contacts.enumerated() {
                let channel = arm.spec.channels[contact.channel].name
                text += "C,\(replicate),\(name),\(index),\(seq),\(contact.micros),\(channel),\(arm.population.name):\(contact.contactor)\n"
            }
        }
        return text
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func postingLinesMatchInterpolatedLines(seed: UInt64) {
        let plan = ExperimentPlan(Self.config)
        let postings = Self.postings(count: 400, plan: plan, seed: seed)
        let names = EventNames(plan: plan)
        var lines = EventLines(capacity: 64)   // grows many times
        for result in postings { lines.append(result, names: names) }
        let expected = Self.reference(postings, plan: plan)
        #expect(lines.bytes == Array(expected.utf8))

        var digest = EventDigest()
        digest.add(lines)
        #expect(digest.finalize() == Digest.hex(of: expected))
    }

    @Test func digestOfEveryWritingPathAgrees() {
        let plan = ExperimentPlan(Self.config)
        let postings = Self.postings(count: 3_000, plan: plan, seed: 9)   // several 64 KiB blocks
        let expected = Digest.hex(of: Self.reference(postings, plan: plan))
        let names = EventNames(plan: plan)

        var byPosting = EventDigest(), byText = EventDigest(), byName = EventDigest(), byText2 = EventDigest()
        for result in postings {
            byPosting.add(result, names: names)
            let arm = plan.arms[result.plan.arm]
            let (replicate, index) = (result.plan.replicate, result.plan.index)
            byText.addPosting(replicate: replicate, arm: arm.spec.name, posting: index, windowMicros: result.windowMicros, removed: result.removed)
            byText2.addPosting(replicate: replicate, arm: arm.spec.name, posting: index, windowMicros: result.windowMicros, removed: result.removed)
            byName.addPosting(replicate: replicate, arm: EventName(arm.spec.name), posting: index, windowMicros: result.windowMicros,
                              removed: result.removed)
            for (seq, contact) in result.contacts.enumerated() {
                let channel = arm.spec.channels[contact.channel].name
                byText.addContact(replicate: replicate, arm: arm.spec.name, posting: index, seq: seq, micros: contact.micros,
                                  channel: channel, population: arm.population.name, contactor: contact.contactor)
                byText2.addContact(replicate: replicate, arm: arm.spec.name, posting: index, seq: seq, micros: contact.micros,
                                   channel: channel, contactor: "\(arm.population.name):\(contact.contactor)")
                byName.addContact(replicate: replicate, arm: EventName(arm.spec.name), posting: index, seq: seq, micros: contact.micros,
                                  channel: EventName(channel), population: EventName(arm.population.name), contactor: Int64(contact.contactor))
            }
        }
        #expect(byPosting.finalize() == expected)
        #expect(byText.finalize() == expected)
        #expect(byText2.finalize() == expected)
        #expect(byName.finalize() == expected)
    }

    @Test func contactLinesFollowTheirOwnPostingNotTheLastOne() {
        var lines = EventLines()
        lines.appendPosting(replicate: 1, arm: EventName("a"), posting: 0, windowMicros: 5, removed: false)
        lines.appendContact(replicate: 2, arm: EventName("ü"), posting: 7, seq: 0, micros: 0, channel: EventName("m"), contactor: EventName("ψ"))
        lines.appendContact(replicate: 1, arm: EventName("a"), posting: 0, seq: 1, micros: 10, channel: EventName("m"), contactor: .empty)
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "P,1,a,0,5,0\nC,2,ü,7,0,0,m,ψ\nC,1,a,0,1,10,m,\n")
    }

    @Test func decimalsMatchDescription() {
        var values: [Int64] = [0, 1, -1, .max, .min, .min + 1]
        for power in LineCursor.powersOfTen where power <= UInt64(Int64.max) {
            let p = Int64(power)
            values += [p - 1, p, p + 1, -p, 1 - p].filter { $0 != .min }
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<1_000 { values.append(Int64(bitPattern: rng.next() >> (rng.next() % 64))) }
        var lines = EventLines()
        lines.useContactPrefix(replicate: 0, arm: [], posting: 0)
        for value in values {
            lines.removeAll()
            [UInt8]().withUnsafeBufferPointer { empty in
                lines.appendContact(seq: 0, micros: value, channel: empty, contactor: empty)
            }
            #expect(String(decoding: lines.bytes, as: UTF8.self) == "C,0,,0,0,\(value),,\n")
        }
        for value in [0, 1, 9, 10, 99, 100, UInt64.max, UInt64.max - 1, 10_000_000_000_000_000_000, 9_999_999_999_999_999_999] as [UInt64] {
            #expect(LineCursor.digitCount(value) == String(value).count)
        }
    }
}
