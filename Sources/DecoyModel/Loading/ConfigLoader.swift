import Foundation
import Yams

/// Reads experiment configs (YAML, or JSON) into a validated ``ExperimentConfig``.
///
/// Every problem of a file is collected and thrown together as a ``ConfigError``; each names
/// the file, line, column and key path, what was expected and what was found.
public enum ConfigLoader {
    /// Response models of config v1.
    public static let models = ResponseModel.Kind.allCases.map(\.rawValue)
    /// Parameters of each model.
    static let modelParameters = Dictionary(uniqueKeysWithValues: ResponseModel.Kind.allCases.map { ($0.rawValue, $0.parameters) })
    /// Keys that modify any model.
    static let modifierKeys = ["multiplier", "diurnal", "bumps"]
    static let namePattern = "`[a-z0-9][a-z0-9_-]*`"

    /// Loads the config at `path`.
    /// - Throws: ``ConfigError`` listing every problem, or one issue when the file cannot be read.
    public static func load(path: String, overrides: [Override] = [], purpose: Purpose = .simulation) throws(ConfigError) -> LoadedConfig {
        var info = stat()
        func refuse(_ message: String) -> ConfigError {
            ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: message)])
        }
        guard stat(path, &info) == 0 else {
            throw refuse(errno == ENOENT ? "cannot read the file: no such file; expected an experiment config (YAML or JSON)" : "cannot read the file (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw refuse("is a folder, not a config file")
        default: throw refuse("is not a regular file (a device, FIFO or socket); expected an experiment config file")
        }
        if info.st_size == 0 { throw refuse("the file is empty; expected an experiment config (see `version`, `name`, `arms`)") }
        let data: Data
        do {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > maximumBytes {
                throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "the file has \(size) bytes; a config may have at most \(maximumBytes)")])
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "cannot read the file (\(Self.reason(error)))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "the file is not UTF-8 text")])
        }
        return try load(text: text, file: path, overrides: overrides, purpose: purpose)
    }

    /// What the config is for: simulation needs a `response` in every arm; observed field data
    /// does not.
    public enum Purpose: Sendable {
        case simulation, observation
    }

    /// The largest config accepted, in bytes.
    public static let maximumBytes = 1 << 20
    /// The most segments (stretches between bumps and local-hour changes of `diurnal`) one
    /// posting's intensity may have within the horizon; each is a step of the simulation and of
    /// the expected-count integrals, so more would take hours and gigabytes.
    public static let maximumSegments = 1_000_000
    /// At most this many problems are listed; the count of the rest is given.
    public static let maximumIssues = 100

    /// Loads a config from its text; `file` names it in messages.
    public static func load(text: String, file: String, overrides: [Override] = [], purpose: Purpose = .simulation) throws(ConfigError) -> LoadedConfig {
        guard text.utf8.count <= maximumBytes else {
            throw ConfigError(issues: [ConfigIssue(file: file, line: 1, column: 1, path: "", message: "the text has \(text.utf8.count) bytes; a config may have at most \(maximumBytes)")])
        }
        let reader = NodeReader(file: file)
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(issues: [syntaxIssue(error, file: file)])
        }
        guard let composed else {
            throw ConfigError(issues: [ConfigIssue(file: file, line: 1, column: 1, path: "", message: "the file is empty; expected an experiment config (see `version`, `name`, `arms`)")])
        }
        var applier = OverrideApplier(overrides: overrides, fileLineCount: text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let root = applier.apply(to: composed)
        guard applier.issues.isEmpty else { throw ConfigError(issues: applier.issues) }
        let config = readExperiment(root, reader, responseRequired: purpose == .simulation)
        guard reader.issues.isEmpty, let config else {
            var sorted = reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map(applier.translate)
            if sorted.count > maximumIssues {
                let rest = sorted.count - maximumIssues
                sorted = Array(sorted.prefix(maximumIssues))
                sorted.append(ConfigIssue(file: file, line: sorted.last!.line, column: 1, path: "", message: "… and \(rest) more problems"))
            }
            throw ConfigError(issues: sorted)
        }
        return LoadedConfig(config: config, text: text, overrides: overrides)
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }

    static func syntaxIssue(_ error: any Error, file: String) -> ConfigIssue {
        guard let yamlError = error as? YamlError else {
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not valid YAML: \(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var detail = context.map { "\(problem) \($0.text)" } ?? problem
            if problem.contains("nesting level") { detail = "the document is nested too deeply" }
            return ConfigIssue(file: file, line: mark.line, column: mark.column, path: "", message: "not valid YAML: \(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigIssue(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                message: "duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping")
        case let .reader(problem, offset, _, _):
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not readable as YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not valid YAML: \(yamlError)")
        }
    }

    // MARK: - Experiment

    static func readExperiment(_ root: Node, _ r: NodeReader, responseRequired: Bool = true) -> ExperimentConfig? {
        let keys = ["version", "name", "description", "seed", "replicates", "start", "horizon", "grid", "populations", "arms"]
        guard let f = r.mapping(root, path: "", keys: keys) else { return nil }

        let version: Int? = required(f, "version", r, "the schema version `1`") { node, path in
            r.check(r.value(node, path: path, expected: "the schema version `1`") { Int($0) }, node, path: path, "version `1` (the only schema version)") { $0 == 1 }
        }
        let name: String? = required(f, "name", r, "a name matching \(namePattern)") { node, path in
            readName(node, path, r)
        }
        let description = f["description"].flatMap { r.text($0, path: f.path("description"), expected: "free text") } ?? ""
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
        let start: Timestamp? = required(f, "start", r, "an ISO-8601 time with offset such as `2016-11-04T09:00:00+01:00`") { node, path in
            r.value(node, path: path, expected: "an ISO-8601 time with offset such as `2016-11-04T09:00:00+01:00`") { Timestamp(iso8601: $0) }
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
    public static let latestMicroseconds: Int64 = 253_402_300_799_999_999   // 9999-12-31T23:59:59.999999Z

    /// Refuses an arm whose last posting's window would end after ``latestMicroseconds``.
    static func checkLastInstant(of arm: ArmSpec, start: Timestamp, horizon: Double, _ node: Node, _ path: String, _ r: NodeReader) {
        let lastGoLive = arm.schedule.offset + Double(arm.postings - 1) * arm.schedule.every
        let end = Double(start.microseconds) + (lastGoLive + horizon) * 3.6e9
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
            let span = Int64(min((horizon * 3.6e9).rounded(), 9e18)), step = max(1, Int64(min((period * 3.6e9).rounded(), 9e18)))
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

    // MARK: - Parts

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
                        r.report(key, keyPath, "expected an attribute name of lower-case letters, digits and `_` (it becomes a CSV column `attr_<name>`), found `\(NodeReader.clip(label))`")
                        continue
                    }
                    if let text = r.text(value, path: keyPath, expected: "a label") { attributes[label] = text }
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
                r.report(node, f.path("population"), "unknown population `\(NodeReader.clip(text))`\(hint)")
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
                r.report(key, keyPath, "expected a channel name matching \(namePattern), found `\(NodeReader.clip(label))`")
                continue
            }
            let weight = r.check(r.value(value, path: keyPath, expected: "a weight (a number)") { Units.plainNumber($0) }, value, path: keyPath, "a positive weight") { $0 > 0 }
            if let weight { weights.append(ChannelWeight(name: label, probability: weight)) }
        }
        guard weights.count == map.count else { return nil }
        let total = weights.reduce(0) { $0 + $1.probability }
        return weights.map { ChannelWeight(name: $0.name, probability: $0.probability / total) }
    }

    static func readResponse(_ node: Node, _ path: String, _ r: NodeReader) -> ResponseSpec? {
        guard let (model, f) = readModel(node, path, r, nested: false) else { return nil }
        let multiplier: Double? = optional(f, "multiplier", default: 1) { node, path in
            r.check(r.value(node, path: path, expected: "a number") { Units.plainNumber($0) }, node, path: path, "a multiplier ≥ 0") { $0 >= 0 }
        }
        var diurnal: [Double]?
        var diurnalValid = true
        if let node = f["diurnal"] {
            diurnal = readDiurnal(node, f.path("diurnal"), r)
            diurnalValid = diurnal != nil
        }
        var bumps: Bumps?
        var bumpsValid = true
        if let node = f["bumps"] {
            bumps = readBumps(node, f.path("bumps"), r)
            bumpsValid = bumps != nil
        }
        guard let model, let multiplier, diurnalValid, bumpsValid else { return nil }
        return ResponseSpec(model: model, multiplier: multiplier, diurnal: diurnal, bumps: bumps)
    }

    /// A model and its parameters; `nested` for the background of `hawkes`, which takes neither
    /// modifiers nor another `hawkes`. Returns the fields too, for the caller's modifiers.
    static func readModel(_ node: Node, _ path: String, _ r: NodeReader, nested: Bool) -> (ResponseModel?, Fields)? {
        guard case .mapping = node else {
            r.report(node, path, "expected a mapping such as `{ model: poisson, rate: 2/h }`, found \(r.describe(node))")
            return nil
        }
        let allowed = nested ? models.filter { $0 != "hawkes" } : models
        let modelNode = node.mapping?["model"]
        guard let modelNode, let model = r.text(modelNode, path: path + ".model", expected: "a model name") else {
            if modelNode == nil {
                r.report(node, path + ".model", "missing required key `model` (one of \(allowed.joined(separator: ", ")))")
            }
            return nil
        }
        guard let parameters = modelParameters[model], allowed.contains(model) else {
            if model == "hawkes" {
                r.report(modelNode, path + ".model", "a `hawkes` background cannot itself be `hawkes`; expected one of \(allowed.joined(separator: ", "))")
            } else if let suggestion = Suggestion.closest(to: model, among: allowed) {
                r.report(modelNode, path + ".model", "unknown model `\(NodeReader.clip(model))`; did you mean `\(suggestion)`?")
            } else {
                r.report(modelNode, path + ".model", "unknown model `\(NodeReader.clip(model))`; expected one of \(allowed.joined(separator: ", "))")
            }
            return nil
        }
        let otherParameters = Set(modelParameters.values.joined()).subtracting(parameters)
        let keys = ["model"] + parameters + (nested ? [] : modifierKeys)
        let f = r.mapping(node, path: path, keys: keys) { key in
            if nested, modifierKeys.contains(key) {
                return "modifiers of a `hawkes` model go on the response itself, next to `branching`, not in `background`"
            }
            if otherParameters.contains(key) {
                return "`\(key)` is not a parameter of model `\(model)` (its parameters: \(parameters.joined(separator: ", ")))"
            }
            return nil
        }
        guard let f else { return nil }

        let parsed: ResponseModel?
        switch model {
        case "poisson":
            let rate: Double? = required(f, "rate", r, "a rate such as `2/h`") { nonNegativeRate($0, $1, r) }
            parsed = rate.map { .poisson(rate: $0) }
        case "exponential-decay":
            let initial: Double? = required(f, "initial", r, "a rate such as `120/h`") { nonNegativeRate($0, $1, r) }
            let halfLife: Double? = required(f, "half_life", r, "a duration such as `3h`") { positiveDuration($0, $1, r) }
            let baseline: Double? = optional(f, "baseline", default: 0) { nonNegativeRate($0, $1, r) }
            if let initial, let halfLife, let baseline {
                parsed = .exponentialDecay(initial: initial, halfLife: halfLife, baseline: baseline)
            } else {
                parsed = nil
            }
        case "power-law":
            let initial: Double? = required(f, "initial", r, "a rate such as `120/h`") { nonNegativeRate($0, $1, r) }
            let scale: Double? = required(f, "scale", r, "a duration such as `1h`") { positiveDuration($0, $1, r) }
            let exponent: Double? = required(f, "exponent", r, "a number > 0 such as `1.5`") { node, path in
                r.check(r.value(node, path: path, expected: "a number such as `1.5`") { Units.plainNumber($0) }, node, path: path, "an exponent > 0 and at most 100") { $0 > 0 && $0 <= 100 }
            }
            let baseline: Double? = optional(f, "baseline", default: 0) { nonNegativeRate($0, $1, r) }
            if let initial, let scale, let exponent, let baseline {
                parsed = .powerLaw(initial: initial, scale: scale, exponent: exponent, baseline: baseline)
            } else {
                parsed = nil
            }
        case "hawkes":
            let background: ResponseModel? = required(f, "background", r, "a model such as `{ model: poisson, rate: 2/h }`") { node, path in
                readModel(node, path, r, nested: true)?.0
            }
            let branching: Double? = required(f, "branching", r, "a number in [0, 1)") { node, path in
                r.check(r.value(node, path: path, expected: "a number in [0, 1) such as `0.4`") { Units.plainNumber($0) }, node, path: path,
                        "a branching ratio in [0, 1) (at 1 or more the process explodes)") { $0 >= 0 && $0 < 1 }
            }
            let decay: Double? = required(f, "decay", r, "a duration such as `30m`") { positiveDuration($0, $1, r) }
            if let background, let branching, let decay {
                parsed = .hawkes(background: background, branching: branching, decay: decay)
            } else {
                parsed = nil
            }
        default:
            let steps: [PiecewiseStep]? = required(f, "steps", r, "a list of steps such as `[{ until: 1h, rate: 80/h }]`") { node, path in
                readSteps(node, path, r)
            }
            parsed = steps.map { .piecewise(steps: $0) }
        }
        return (parsed, f)
    }

    /// 24 non-negative hour-of-day factors, not all zero, as written (normalised where used).
    static func readDiurnal(_ node: Node, _ path: String, _ r: NodeReader) -> [Double]? {
        guard let items = r.sequence(node, path: path, of: "24 hour-of-day factors") else { return nil }
        guard items.count == 24 else {
            r.report(node, path, "expected 24 hour-of-day factors (hours 0 to 23 in the local time of `start`), found \(items.count)")
            return nil
        }
        let values = items.map { item in
            r.check(r.value(item.node, path: item.path, expected: "a number") { Units.plainNumber($0) }, item.node, path: item.path, "a factor ≥ 0") { $0 >= 0 }
        }
        let parsed = values.compactMap { $0 }
        guard parsed.count == 24 else { return nil }
        let mean = parsed.reduce(0, +) / 24
        guard mean > 0 else {
            r.report(node, path, "expected at least one hour with a factor > 0, found all zero")
            return nil
        }
        return parsed
    }

    /// `{ every: 24h }` or a list of offsets such as `[24h, 48h]`, ascending.
    static func readBumps(_ node: Node, _ path: String, _ r: NodeReader) -> Bumps? {
        switch node {
        case .mapping:
            guard let f = r.mapping(node, path: path, keys: ["every"]) else { return nil }
            let every: Double? = required(f, "every", r, "a duration such as `24h`") { positiveDuration($0, $1, r) }
            return every.map { .every($0) }
        case .sequence:
            guard let items = r.sequence(node, path: path, of: "offsets") else { return nil }
            var offsets: [Double] = []
            for item in items {
                guard let offset = positiveDuration(item.node, item.path, r) else { return nil }
                if let last = offsets.last, offset <= last {
                    r.report(item.node, item.path, "expected offsets in increasing order, found \(Units.durationText(hours: offset)) after \(Units.durationText(hours: last))")
                    return nil
                }
                offsets.append(offset)
            }
            return .at(offsets)
        default:
            r.report(node, path, "expected `{ every: 24h }` or a list of offsets such as `[24h, 48h]`, found \(r.describe(node))")
            return nil
        }
    }

    static func readSteps(_ node: Node, _ path: String, _ r: NodeReader) -> [PiecewiseStep]? {
        guard let items = r.sequence(node, path: path, of: "steps `{ until: 1h, rate: 80/h }`") else { return nil }
        guard !items.isEmpty else {
            r.report(node, path, "expected at least one step, found an empty list")
            return nil
        }
        var steps: [PiecewiseStep] = []
        var previous = 0.0
        var complete = true
        for item in items {
            guard let f = r.mapping(item.node, path: item.path, keys: ["until", "rate"]) else {
                complete = false
                continue
            }
            let until: Double? = required(f, "until", r, "a duration such as `1h`") { positiveDuration($0, $1, r) }
            let rate: Double? = required(f, "rate", r, "a rate such as `80/h`") { nonNegativeRate($0, $1, r) }
            guard let until, let rate else {
                complete = false
                continue
            }
            if until <= previous, let untilNode = f["until"] {
                r.report(untilNode, f.path("until"), "expected steps in increasing order of `until`, found \(Units.durationText(hours: until)) after \(Units.durationText(hours: previous))")
                complete = false
            }
            previous = until
            steps.append(PiecewiseStep(until: until, rate: rate))
        }
        return complete ? steps : nil
    }

    // MARK: - Scalars

    static func required<T>(_ f: Fields, _ key: String, _ r: NodeReader, _ expected: String, _ read: (Node, String) -> T?) -> T? {
        guard let node = f[key] else {
            r.report(f.node, f.path(key), "missing required key `\(key)` (\(expected))")
            return nil
        }
        return read(node, f.path(key))
    }

    static func optional<T>(_ f: Fields, _ key: String, default value: T, _ read: (Node, String) -> T?) -> T? {
        guard let node = f[key] else { return value }
        return read(node, f.path(key))
    }

    static func readName(_ node: Node, _ path: String, _ r: NodeReader) -> String? {
        r.value(node, path: path, expected: "a name matching \(namePattern)") { text in
            text.range(of: "^[a-z0-9][a-z0-9_-]{0,63}$", options: .regularExpression) != nil ? text : nil
        }
    }

    static func positiveDuration(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let hours = r.value(node, path: path, expected: "a duration such as `45s`, `30m`, `3h` or `2d`") { Units.hours(fromDuration: $0) }
        return r.check(hours, node, path: path, "a duration > 0 and at most 100 years") { $0 > 0 && $0 <= 876_600 }
    }

    static func nonNegativeDuration(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let hours = r.value(node, path: path, expected: "a duration such as `0h`, `30m` or `2h`") { Units.hours(fromDuration: $0) }
        return r.check(hours, node, path: path, "a duration ≥ 0 and at most 100 years") { $0 >= 0 && $0 <= 876_600 }
    }

    static func nonNegativeRate(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let rate = r.value(node, path: path, expected: "a rate such as `120/h`, `2/m` or `0.5/d`") { Units.perHour(fromRate: $0) }
        return r.check(rate, node, path: path, "a rate ≥ 0 and at most 1e9/h") { $0 >= 0 && $0 <= 1e9 }
    }
}
