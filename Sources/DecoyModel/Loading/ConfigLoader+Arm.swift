import Foundation
import Yams

/// One population, one arm and its channels.
extension ConfigLoader {
    static func readPopulation(_ node: Node, _ path: String, _ r: NodeReader) -> PopulationSpec? {
        guard let f = r.mapping(node, path: path, keys: ["name", "size", "heterogeneity"]) else { return nil }
        let name: String? = required(f, "name", r, "a name matching \(namePattern)") { readName($0, $1, r) }
        let size: Int? = required(f, "size", r, "a whole number of potential contactors") { node, path in
            r.check(r.value(node, path: path, expected: "a whole number of potential contactors") { Int($0) }, node, path: path, "a size between 1 and 1000000000") { (1...1_000_000_000).contains($0) }
        }
        let heterogeneity: Double?? = optional(f, "heterogeneity", default: nil) { node, path in
            r.check(r.value(node, path: path, expected: "a gamma shape (a number > 0)") { Units.plainNumber($0) }, node, path: path,
                    "a gamma shape > 0 (smaller is more unequal) and at most 1e6") { $0 > 0 && $0 <= 1e6 }.map { Optional($0) }
        }
        guard let name, let size, let heterogeneity else { return nil }
        return PopulationSpec(name: name, size: size, heterogeneity: heterogeneity)
    }

    static func readArm(_ node: Node, _ path: String, _ populations: [String], _ r: NodeReader, responseRequired: Bool) -> ArmSpec? {
        let keys = ["name", "postings", "schedule", "attributes", "response", "lifetime", "population", "channels"]
        guard let f = r.mapping(node, path: path, keys: keys) else { return nil }
        let name: String? = required(f, "name", r, "a name matching \(namePattern)") { readName($0, $1, r) }
        let postings: Int? = required(f, "postings", r, "a whole number of postings") { node, path in
            r.check(r.value(node, path: path, expected: "a whole number of postings") { Int($0) }, node, path: path, "between 1 and 100000000 postings") { (1...100_000_000).contains($0) }
        }
        var schedule = Schedule()
        if let node = f["schedule"], let s = r.mapping(node, path: f.path("schedule"), keys: ["offset", "every"]) {
            schedule.offset = s["offset"].flatMap { nonNegativeDuration($0, s.path("offset"), r) } ?? 0
            schedule.every = s["every"].flatMap { nonNegativeDuration($0, s.path("every"), r) } ?? 0
        }
        var attributes: [String: String] = [:]
        if let node = f["attributes"] {
            if case let .mapping(map) = node {
                for (key, value) in map {
                    let label = key.scalar?.string ?? ""
                    let keyPath = f.path("attributes") + "." + label
                    guard label.range(of: "^[a-z0-9_]+$", options: .regularExpression) != nil else {
                        r.report(key, keyPath, "expected an attribute name of lower-case letters, digits and `_` (it becomes a CSV column `attr_<name>`), found \(r.shown(label, of: key))")
                        continue
                    }
                    guard !ObservedData.reservedAttributeNames.contains(label) else {
                        r.report(key, keyPath, "expected an attribute name other than the covariates every run has and the columns of the intervals export (\(ObservedData.reservedAttributeNames.sorted().joined(separator: ", "))), found `\(label)`")
                        continue
                    }
                    if let text = r.storedText(value, path: keyPath, expected: "a label", label: true) { attributes[label] = text }
                }
            } else {
                r.report(node, f.path("attributes"), "expected a mapping of labels such as `{ platform: vivastreet }`, found \(r.describe(node))")
            }
        }
        var response: ResponseSpec?
        if let node = f["response"] {
            response = readResponse(node, f.path("response"), r)
        } else if responseRequired {
            r.report(f.node, f.path("response"), "missing required key `response` (the model of how contacts arrive, e.g. `{ model: poisson, rate: 2/h }`); only arms of observed data can do without")
        }
        var lifetime: LifetimeSpec?
        if let node = f["lifetime"], let l = r.mapping(node, path: f.path("lifetime"), keys: ["removal_rate"]) {
            if let rate = l["removal_rate"].flatMap({ nonNegativeRate($0, l.path("removal_rate"), r) }) {
                lifetime = LifetimeSpec(removalRate: rate)
            } else if l["removal_rate"] == nil {
                r.report(node, l.path("removal_rate"), "missing required key `removal_rate` (a rate such as `0.01/h`)")
            }
        }
        var population: String?
        if let node = f["population"], let text = r.text(node, path: f.path("population"), expected: "a population name") {
            if populations.contains(text) {
                population = text
            } else {
                let hint = Suggestion.closest(to: text, among: populations).map { "; did you mean `\($0)`?" }
                    ?? (populations.isEmpty ? "; declare it under `populations`" : "; declared: \(populations.map { "`\($0)`" }.joined(separator: ", "))")
                r.report(node, f.path("population"), "unknown population \(r.shown(text, of: node))\(hint)")
            }
        }
        var channels: [ChannelWeight]?
        if let node = f["channels"] {
            channels = readChannels(node, f.path("channels"), r) ?? [ChannelWeight(name: "message", probability: 1)]
        }
        guard let name, let postings else { return nil }
        return ArmSpec(
            name: name, postings: postings, schedule: schedule, attributes: attributes, response: response,
            lifetime: lifetime, population: population, channels: channels)
    }

    static func readChannels(_ node: Node, _ path: String, _ r: NodeReader) -> [ChannelWeight]? {
        guard case let .mapping(map) = node else {
            r.report(node, path, "expected a mapping of channel names to weights such as `{ call: 0.5, sms: 0.5 }`, found \(r.describe(node))")
            return nil
        }
        guard !map.isEmpty else {
            r.report(node, path, "the mapping is empty: at least one channel is needed, such as `{ call: 0.5, sms: 0.5 }`, or leave `channels` out for `{ message: 1 }`")
            return nil
        }
        var weights: [ChannelWeight] = []
        for (key, value) in map {
            let label = key.scalar?.string ?? ""
            let keyPath = path + "." + label
            guard label.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) != nil else {
                r.report(key, keyPath, "expected a channel name matching \(namePattern), found \(r.shown(label, of: key))")
                continue
            }
            if let problem = TypedValue.identifierProblem(in: label) {
                r.report(key, path, "\(problem); channel names are stored with every run and exported, so they must not hold contact identifiers")
                continue
            }
            let weight = r.check(r.value(value, path: keyPath, expected: "a weight (a number)") { Units.plainNumber($0) }, value, path: keyPath, "a positive weight") { $0 > 0 }
            if let weight { weights.append(ChannelWeight(name: label, probability: weight)) }
        }
        guard weights.count == map.count else { return nil }
        let total = weights.reduce(0) { $0 + $1.probability }
        return weights.map { ChannelWeight(name: $0.name, probability: $0.probability / total) }
    }
}
