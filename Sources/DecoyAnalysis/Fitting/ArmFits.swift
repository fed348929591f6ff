public import DecoyModel
import DecoyStatistics

/// `decoy fit`: maximum-likelihood fits of response models to one arm of a run.
public struct ArmFits: Sendable {
    public var arm: String
    public var fits: [IntensityFit]

    /// - Throws: ``AnalysisError`` for an unknown arm, ``Cancelled`` once `cancellation` is cancelled.
    public init(_ data: RunValues, arm: String, models: [IntensityFit.Model], cancellation: Cancellation = .never) throws {
        let record = try data.run.arm(named: arm)
        let events = data.events(ofArm: record.id)
        self.arm = arm
        fits = try models.map { model throws(Cancelled) in
            try IntensityFit(model, windows: events.windows, times: events.times, cancellation: cancellation)
        }
    }

    /// The fit with the smallest AIC among those that converged and can be written as a config
    /// (``configFragment(_:arm:)`` is not `nil`).
    public var best: IntensityFit? {
        fits.filter { $0.converged && Self.configFragment($0, arm: arm) != nil }.min { $0.aic < $1.aic }
    }

    /// Why no fit of the arm can be emitted as a config, one line per model.
    public var unemittableReasons: String {
        fits.map { fit in
            let reason = fit.note ?? (fit.converged ? "its estimate lies outside what a config accepts" : "not converged")
            return "\(fit.model.rawValue): \(reason)"
        }.joined(separator: "; ")
    }


    /// The fitted model as a config `response:` block, ready to paste into an arm, or `nil` when
    /// the block would not validate (an estimate that is not finite or lies outside the ranges a
    /// config accepts, such as an exponent above 100): the block is checked by the config loader.
    public static func configFragment(_ fit: IntensityFit, arm: String) -> String? {
        guard fit.parameters.allSatisfy({ $0.1.isFinite }) else { return nil }
        let text = unvalidatedFragment(fit, arm: arm)
        let probe = """
            version: 1
            name: fit-check
            seed: 1
            start: 2000-01-01T00:00:00Z
            horizon: 1h
            arms:
              - name: a
                postings: 1

            """ + text + "\n"
        guard (try? ConfigLoader.load(text: probe, file: "fit")) != nil else { return nil }
        return text
    }

    /// The block as it sits in a config whose arms are written `  - name: …` (as the examples
    /// write them): four spaces in, so that it is pasted as printed.
    static func unvalidatedFragment(_ fit: IntensityFit, arm: String) -> String {
        var lines = ["# arm \(arm): \(fit.model.rawValue) fitted by maximum likelihood (AIC \(Units.shortest((fit.aic * 100).rounded() / 100)))",
                     "# paste under `- name: \(arm)` in `arms:`, in place of its response: block, indented as printed",
                     "response:", "  model: \(fit.model.rawValue)"]
        for (name, value) in fit.parameters {
            let text: String
            switch name {
            case "half_life", "scale": text = Units.durationText(hours: value)
            case "exponent": text = Units.shortest(value)
            // A rate fitted at its boundary comes out as a rounding residue (1.4e-17/h): below
            // one contact in a hundred million years it is written as the 0 it estimates.
            default: text = Units.rateText(perHour: abs(value) < 1e-12 ? 0 : value)
            }
            lines.append("  \(name): \(text)")
        }
        return lines.map { "    " + $0 }.joined(separator: "\n")
    }
}
