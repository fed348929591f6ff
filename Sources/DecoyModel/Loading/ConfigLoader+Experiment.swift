import Foundation
import Yams

/// The top level of a config: version, name, seed, timing, populations and arms, and the
/// checks across them (instants past year 9999, segments per posting).
extension ConfigLoader {
    static func readExperiment(_ root: Node, _ r: NodeReader, responseRequired: Bool = true) -> ExperimentConfig? {
        let keys = ["version", "name", "description", "seed", "replicates", "start", "horizon", "grid", "populations", "arms"]
        guard let f = r.mapping(root, path: "", keys: keys) else { return nil }

        let version: Int? = required(f, "version", r, "the schema version `1`") { node, path in
            r.check(r.value(node, path: path, expected: "the schema version `1`") { Int($0) }, node, path: path, "version `1` (the only schema version)") { $0 == 1 }
        }
        let name: String? = required(f, "name", r, "a name matching \(namePattern)") { node, path in
            readName(node, path, r)
        }
        let description = f["description"].flatMap { r.storedText($0, path: f.path("description"), expected: "free text") } ?? ""
        // Only simulation draws random numbers: a config whose arms have no `response` (observed
        // data) needs no seed.
        let simulated = f["arms"]?.sequence?.contains { $0.mapping?["response"] != nil } ?? true
        let readSeed: (Node, String) -> UInt64? = { node, path in
            r.value(node, path: path, expected: "an unsigned 64-bit integer (0 to 18446744073709551615)") { UInt64($0) }
        }
        let seed: UInt64?? = simulated
            ? required(f, "seed", r, "an unsigned 64-bit integer", readSeed).map { Optional($0) }
            : optional(f, "seed", default: nil) { node, path in readSeed(node, path).map { Optional($0) } }
        let replicates: Int? = optional(f, "replicates", default: 1) { node, path in
            r.check(r.value(node, path: path, expected: "a whole number of replicates") { Int($0) }, node, path: path, "at least 1 replicate") { $0 >= 1 }
        }
        let startForm = "an ISO-8601 time with offset such as `2016-11-04T09:00:00+01:00`"
        let start: Timestamp? = required(f, "start", r, startForm) { node, path in
            // A well-formed time outside the years decoy stores is refused for that, not its form.
            if let raw = node.scalar?.string, case let .failure(problem) = Timestamp.parse(raw), problem == .beyondRange {
                r.report(node, path, "\(problem)")
                return nil
            }
            return r.value(node, path: path, expected: startForm) { Timestamp(iso8601: $0) }
        }
        let horizon: Double? = required(f, "horizon", r, "a duration such as `72h`") { node, path in
            positiveDuration(node, path, r)
        }
        let grid: Double? = optional(f, "grid", default: 1) { node, path in positiveDuration(node, path, r) }
        if let grid, let horizon, grid > horizon, let node = f["grid"] {
            r.report(node, f.path("grid"), "expected a grid no longer than the horizon (\(Units.durationText(hours: horizon))), found \(Units.durationText(hours: grid))")
        }

        var populations: [PopulationSpec] = []
        // Names of every declared population, valid or not, so that a broken population is
        // reported once and not again at each arm that names it.
        var declaredPopulations: [String] = []
        if let node = f["populations"], let items = r.sequence(node, path: f.path("populations"), of: "populations") {
            declaredPopulations = items.compactMap { $0.node.mapping?["name"]?.scalar?.string }
            var seen: Set<String> = []
            for item in items {
                guard let population = readPopulation(item.node, item.path, r) else { continue }
                if !seen.insert(population.name).inserted {
                    r.report(item.node.mapping?["name"] ?? item.node, item.path + ".name", "duplicate population name `\(population.name)`")
                }
                populations.append(population)
            }
        }

        var arms: [ArmSpec] = []
        if let node = f["arms"] {
            if let items = r.sequence(node, path: f.path("arms"), of: "arms") {
                if items.isEmpty { r.report(node, "arms", "expected at least one arm, found an empty list") }
                var seen: Set<String> = []
                for item in items {
                    guard let arm = readArm(item.node, item.path, declaredPopulations, r, responseRequired: responseRequired) else { continue }
                    if !seen.insert(arm.name).inserted {
                        r.report(item.node.mapping?["name"] ?? item.node, item.path + ".name", "duplicate arm name `\(arm.name)`")
                    }
                    if let horizon {
                        checkSegments(of: arm, horizon: horizon, item.node, item.path, r)
                        if let start { checkLastInstant(of: arm, start: start, horizon: horizon, item.node, item.path, r) }
                    }
                    arms.append(arm)
                }
            }
        } else {
            r.report(root, "arms", "missing required key `arms` (a list of arms with `name`, `postings`, `response`)")
        }

        guard let version, let name, let seed, let replicates, let start, let horizon, let grid else { return nil }
        return ExperimentConfig(
            version: version, name: name, description: description, seed: seed, replicates: replicates,
            start: start, horizon: horizon, grid: grid, populations: populations, arms: arms)
    }

    /// The latest instant a stored time may have: timestamps print as ISO-8601 with a 4-digit year.
    public static let latestMicroseconds: Int64 = Timestamp.storable.upperBound   // 9999-12-31T23:59:59.999999Z

    /// Refuses an arm whose last posting's window would end after ``latestMicroseconds``.
    static func checkLastInstant(of arm: ArmSpec, start: Timestamp, horizon: Double, _ node: Node, _ path: String, _ r: NodeReader) {
        let lastGoLive = arm.schedule.offset + Double(arm.postings - 1) * arm.schedule.every
        let end = Double(start.microseconds) + (lastGoLive + horizon) * Units.microsPerHour
        guard end > Double(latestMicroseconds) else { return }
        let schedule = node.mapping?["schedule"]
        r.report(schedule ?? node, path + ".schedule",
                 "the last posting goes live \(Units.durationText(hours: lastGoLive)) after `start` and is observed for the \(Units.durationText(hours: horizon)) horizon, past 9999-12-31T23:59:59.999999Z, the latest time decoy stores; choose an earlier `start`, a shorter schedule or horizon")
    }

    /// Refuses an arm whose intensity would have more than ``maximumSegments`` segments within
    /// the horizon: one per bump, plus one per local hour with `diurnal`, plus one.
    static func checkSegments(of arm: ArmSpec, horizon: Double, _ node: Node, _ path: String, _ r: NodeReader) {
        guard let response = arm.response else { return }
        var bumps = 0.0
        switch response.bumps {
        case let .every(period)?:
            // In whole microseconds, so that `1s` over `36500d` counts exactly.
            let span = Int64(min((horizon * Units.microsPerHour).rounded(), 9e18)), step = max(1, Int64(min((period * Units.microsPerHour).rounded(), 9e18)))
            bumps = Double(span / step)
        case let .at(offsets)?: bumps = Double(offsets.filter { $0 < horizon }.count)
        case nil: break
        }
        let hours = response.diurnal == nil ? 0 : horizon.rounded(.up) + 1
        let total = bumps + hours + 1
        guard total > Double(maximumSegments) else { return }
        let responseNode = node.mapping?["response"]
        let bumpsNode = responseNode?.mapping?["bumps"]
        let arithmetic = "\(Units.durationText(hours: horizon)) horizon gives \(Int(bumps)) bumps" + (hours > 0 ? " + \(Int(hours)) local-hour changes of `diurnal`" : "")
            + " + 1 = \(Int(total)) segments per posting, more than the \(maximumSegments) allowed"
        if bumps >= hours, let bumpsNode {
            if case let .every(period)? = response.bumps {
                r.report(bumpsNode.mapping?["every"] ?? bumpsNode, path + ".response.bumps.every",
                         "a bump every \(Units.durationText(hours: period)) over the \(arithmetic); choose a longer interval or a shorter horizon")
            } else {
                r.report(bumpsNode, path + ".response.bumps", "these bumps over the \(arithmetic); give fewer bumps or a shorter horizon")
            }
        } else {
            r.report(responseNode?.mapping?["diurnal"] ?? node, path + ".response.diurnal",
                     "diurnal factors over the \(arithmetic); choose a shorter horizon")
        }
    }
}
