import Foundation
import Yams

/// A response: its model with parameters and the modifiers (diurnal, bumps, piecewise steps).
extension ConfigLoader {
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
                r.report(modelNode, path + ".model", "unknown model \(r.shown(model, of: modelNode)); did you mean `\(suggestion)`?")
            } else {
                r.report(modelNode, path + ".model", "unknown model \(r.shown(model, of: modelNode)); expected one of \(allowed.joined(separator: ", "))")
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
}
