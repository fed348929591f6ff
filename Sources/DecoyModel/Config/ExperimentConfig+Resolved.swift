/// The canonical written form of a validated config.
///
/// Every default is filled in, durations are in hours (`<h>h`) and rates per hour (`<r>/h`),
/// each written as the shortest decimal that reads back exactly, so loading the resolved
/// config gives back an equal ``ExperimentConfig``. Its compact JSON bytes are what
/// `config sha256` hashes.
extension ExperimentConfig {
    public var resolvedJSON: JSONValue {
        var root: [(String, JSONValue)] = [
            ("version", .integer(Int64(version))),
            ("name", .string(name)),
            ("description", .string(description)),
        ]
        if let seed { root.append(("seed", .unsigned(seed))) }
        root += [
            ("replicates", .integer(Int64(replicates))),
            ("start", .string(start.localText)),
            ("horizon", .string(Units.durationText(hours: horizon))),
            ("grid", .string(Units.durationText(hours: grid))),
        ]
        if !populations.isEmpty {
            root.append(("populations", .array(populations.map(\.resolvedJSON))))
        }
        root.append(("arms", .array(arms.map(\.resolvedJSON))))
        return .object(root)
    }
}

extension PopulationSpec {
    var resolvedJSON: JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(name)), ("size", .integer(Int64(size)))]
        if let heterogeneity { fields.append(("heterogeneity", .number(heterogeneity))) }
        return .object(fields)
    }
}

extension ArmSpec {
    public var resolvedJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("postings", .integer(Int64(postings))),
            ("schedule", .object([
                ("offset", .string(Units.durationText(hours: schedule.offset))),
                ("every", .string(Units.durationText(hours: schedule.every))),
            ])),
        ]
        if !attributes.isEmpty {
            fields.append(("attributes", .object(attributes.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let response { fields.append(("response", response.resolvedJSON)) }
        if let lifetime {
            fields.append(("lifetime", .object([("removal_rate", .string(Units.rateText(perHour: lifetime.removalRate)))])))
        }
        if let population { fields.append(("population", .string(population))) }
        if channelsDeclared { fields.append(("channels", .object(channels.map { ($0.name, .number($0.probability)) }))) }
        return .object(fields)
    }
}

extension ResponseSpec {
    var resolvedJSON: JSONValue {
        guard case let .object(fields) = model.resolvedJSON else { return model.resolvedJSON }
        var all = fields
        all.append(("multiplier", .number(multiplier)))
        if let diurnal { all.append(("diurnal", .array(diurnal.map(JSONValue.number)))) }
        switch bumps {
        case let .every(period)?: all.append(("bumps", .object([("every", .string(Units.durationText(hours: period)))])))
        case let .at(offsets)?: all.append(("bumps", .array(offsets.map { .string(Units.durationText(hours: $0)) })))
        case nil: break
        }
        return .object(all)
    }
}

extension ResponseModel {
    var resolvedJSON: JSONValue {
        var fields: [(String, JSONValue)] = [("model", .string(name))]
        switch self {
        case let .poisson(rate):
            fields.append(("rate", .string(Units.rateText(perHour: rate))))
        case let .exponentialDecay(initial, halfLife, baseline):
            fields.append(("initial", .string(Units.rateText(perHour: initial))))
            fields.append(("half_life", .string(Units.durationText(hours: halfLife))))
            fields.append(("baseline", .string(Units.rateText(perHour: baseline))))
        case let .powerLaw(initial, scale, exponent, baseline):
            fields.append(("initial", .string(Units.rateText(perHour: initial))))
            fields.append(("scale", .string(Units.durationText(hours: scale))))
            fields.append(("exponent", .number(exponent)))
            fields.append(("baseline", .string(Units.rateText(perHour: baseline))))
        case let .piecewise(steps):
            fields.append(("steps", .array(steps.map {
                .object([("until", .string(Units.durationText(hours: $0.until))), ("rate", .string(Units.rateText(perHour: $0.rate)))])
            })))
        case let .hawkes(background, branching, decay):
            fields.append(("background", background.resolvedJSON))
            fields.append(("branching", .number(branching)))
            fields.append(("decay", .string(Units.durationText(hours: decay))))
        }
        return .object(fields)
    }
}
