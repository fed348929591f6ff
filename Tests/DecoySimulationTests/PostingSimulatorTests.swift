import DecoyModel
import DecoyStatistics
import Foundation
import Testing
@testable import DecoySimulation

/// Simulated contact processes against their analytic properties: the mean count of an
/// inhomogeneous Poisson process is Λ(window); given the count, the rescaled times Λ(tᵢ)/Λ(window)
/// are independent uniforms (time-rescaling theorem), checked by Kolmogorov–Smirnov.
@Suite struct PostingSimulatorTests {
    static func config(_ response: ResponseSpec, postings: Int, horizon: Double = 48, lifetime: LifetimeSpec? = nil,
                       channels: [ChannelWeight] = [ChannelWeight(name: "message", probability: 1)], seed: UInt64 = 11) -> ExperimentConfig {
        ExperimentConfig(
            name: "t", seed: seed, start: Timestamp(iso8601: "2020-01-01T00:00:00Z")!, horizon: horizon,
            arms: [ArmSpec(name: "a", postings: postings, response: response, lifetime: lifetime, channels: channels)])
    }

    static let models: [(String, ResponseSpec)] = [
        ("poisson", ResponseSpec(model: .poisson(rate: 3))),
        ("decay without baseline", ResponseSpec(model: .exponentialDecay(initial: 150, halfLife: 3.6, baseline: 0))),
        ("decay with baseline", ResponseSpec(model: .exponentialDecay(initial: 40, halfLife: 2, baseline: 0.5))),
        ("piecewise", ResponseSpec(model: .piecewise(steps: [
            PiecewiseStep(until: 1, rate: 80), PiecewiseStep(until: 6, rate: 10), PiecewiseStep(until: 12, rate: 0), PiecewiseStep(until: 24, rate: 2),
        ]))),
        ("multiplier", ResponseSpec(model: .exponentialDecay(initial: 20, halfLife: 5, baseline: 1), multiplier: 0.25)),
    ]

    @Test(arguments: models)
    func meanCountMatchesIntegratedIntensity(name: String, response: ResponseSpec) {
        let postings = 2_000
        let config = Self.config(response, postings: postings)
        let simulator = PostingSimulator(plan: ExperimentPlan(config))
        let total = ExperimentPlan(config).postings.reduce(0) { $0 + simulator.simulate($1).contacts.count }
        let expected = ReferenceIntensity(response: response).backgroundIntegral(0, 48)
        // Total ~ Poisson(postings · Λ); 5σ on the mean per posting.
        let bound = 5 * (expected / Double(postings)).squareRoot()
        #expect(abs(Double(total) / Double(postings) - expected) < bound, "\(name): mean \(Double(total) / Double(postings)) vs Λ = \(expected)")
    }

    @Test(arguments: models)
    func rescaledTimesAreUniform(name: String, response: ResponseSpec) throws {
        let config = Self.config(response, postings: 300)
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        let reference = ReferenceIntensity(response: response)
        let total = reference.backgroundIntegral(0, 48)
        var rescaled: [Double] = []
        for posting in plan.postings {
            var previous = 0.0, accumulated = 0.0
            for contact in simulator.simulate(posting).contacts {
                let t = Double(contact.micros) / 3.6e9
                accumulated += reference.backgroundIntegral(previous, t, piecesPerHour: 40)
                previous = t
                rescaled.append(accumulated / total)
            }
        }
        try #require(rescaled.count > 1_000)
        rescaled.sort()
        let n = Double(rescaled.count)
        var d = 0.0
        for (i, u) in rescaled.enumerated() {
            d = max(d, Double(i + 1) / n - u, u - Double(i) / n)
        }
        // Kolmogorov's asymptotic 0.1% critical value is 1.95 / √n; rounding times to 1 µs is far below it.
        #expect(d < 1.95 / n.squareRoot(), "\(name): KS D = \(d) with n = \(rescaled.count)")
    }

    @Test func removalShareMatchesExponentialTakedown() {
        let rate = 0.02, horizon = 48.0, postings = 5_000
        let config = Self.config(ResponseSpec(model: .poisson(rate: 1)), postings: postings, horizon: horizon, lifetime: LifetimeSpec(removalRate: rate))
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        let results = plan.postings.map(simulator.simulate)
        let removed = Double(results.filter(\.removed).count)
        let p = 1 - exp(-rate * horizon)
        #expect(abs(removed / Double(postings) - p) < 5 * (p * (1 - p) / Double(postings)).squareRoot())
        for result in results {
            #expect(result.contacts.allSatisfy { $0.micros <= result.windowMicros })
            #expect(result.removed == (result.windowMicros < Units.micros(hours: horizon)))
        }
    }

    @Test func channelsFollowTheirProbabilities() {
        let channels = [ChannelWeight(name: "call", probability: 0.5), ChannelWeight(name: "sms", probability: 0.4), ChannelWeight(name: "email", probability: 0.1)]
        let config = Self.config(ResponseSpec(model: .poisson(rate: 20)), postings: 200, channels: channels)
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        var counts = [0, 0, 0]
        for posting in plan.postings {
            for contact in simulator.simulate(posting).contacts { counts[contact.channel] += 1 }
        }
        let n = Double(counts.reduce(0, +))
        for (k, channel) in channels.enumerated() {
            let p = channel.probability
            #expect(abs(Double(counts[k]) / n - p) < 5 * (p * (1 - p) / n).squareRoot())
        }
    }

    @Test func contactsAreOrderedAndWithinTheWindow() {
        let config = Self.config(ResponseSpec(model: .exponentialDecay(initial: 300, halfLife: 1, baseline: 2)), postings: 50)
        let plan = ExperimentPlan(config)
        let simulator = PostingSimulator(plan: plan)
        for posting in plan.postings {
            let result = simulator.simulate(posting)
            #expect(zip(result.contacts, result.contacts.dropFirst()).allSatisfy { $0.micros <= $1.micros })
            #expect(result.contacts.allSatisfy { $0.micros >= 0 && $0.micros <= result.windowMicros })
            #expect(result.contacts.allSatisfy { $0.contactor >= 0 && $0.contactor < PopulationSpec.defaultSize })
        }
    }

    @Test func addingAnArmChangesNoEventOfTheOthers() {
        let adult = ArmSpec(name: "adult", postings: 5, response: ResponseSpec(model: .exponentialDecay(initial: 50, halfLife: 3, baseline: 0.5)))
        let other = ArmSpec(name: "other", postings: 3, response: ResponseSpec(model: .poisson(rate: 4)))
        let start = Timestamp(iso8601: "2020-01-01T00:00:00Z")!
        let alone = ExperimentConfig(name: "x", seed: 3, replicates: 2, start: start, horizon: 24, arms: [adult])
        let together = ExperimentConfig(name: "x", seed: 3, replicates: 2, start: start, horizon: 24, arms: [other, adult])
        let a = ExperimentPlan(alone), b = ExperimentPlan(together)
        let fromAlone = a.postings.map(PostingSimulator(plan: a).simulate).map(\.contacts)
        let fromTogether = b.postings.filter { $0.arm == 1 }.map(PostingSimulator(plan: b).simulate).map(\.contacts)
        #expect(fromAlone.count == 10)
        #expect(fromAlone == fromTogether)
    }

    @Test func sameSeedGivesSameEventsAndOtherSeedDifferent() {
        let response = ResponseSpec(model: .poisson(rate: 5))
        func events(_ seed: UInt64) -> [[SimulatedContact]] {
            let plan = ExperimentPlan(Self.config(response, postings: 4, seed: seed))
            return plan.postings.map(PostingSimulator(plan: plan).simulate).map(\.contacts)
        }
        #expect(events(1) == events(1))
        #expect(events(1) != events(2))
    }
}
