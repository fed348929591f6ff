import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStatistics
import DecoyStore
import Foundation

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit response models to an arm's contacts by maximum likelihood.",
        discussion: """
            log L = Σ log λ(tⱼ) − Σ Λ(Cᵢ) over all postings of the arm with their observation windows. \
            Standard errors from the observed information; AIC; Kolmogorov–Smirnov distance of the \
            time-rescaled gaps from Exp(1) (p approximate, parameters being estimated). \
            --emit-config prints the best model (smallest AIC) as a config `response:` block.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The arm (default: every arm).")
    var arm: String?

    @Option(help: "Comma-separated models: poisson, exponential-decay, power-law.")
    var models = "poisson,exponential-decay,power-law"

    @Flag(help: "Print the best fit of each arm as a config fragment.")
    var emitConfig = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        var chosen: [IntensityFit.Model] = []
        for name in models.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let model = IntensityFit.Model(rawValue: name) else {
                throw ValidationError("--models: unknown model `\(name)`; expected poisson, exponential-decay or power-law")
            }
            chosen.append(model)
        }
        let db = try database.openExisting()
        let data = try RunData(run: try db.run(runReference), database: db)
        warnIfIncomplete(data.run)
        let arms = arm.map { [$0] } ?? data.arms.map(\.name)
        let results: [ArmFits]
        do {
            results = try arms.map { try ArmFits(data, arm: $0, models: chosen) }
        } catch let error as CurveError {
            throw CLIError(message: error.message)
        }
        if emitConfig {
            var fragments: [String] = []
            for result in results {
                guard let best = result.best, let fragment = ArmFits.configFragment(best, arm: result.arm) else {
                    throw CLIError(message: "no model of arm \(result.arm) can be written as a config: \(result.unemittableReasons)")
                }
                fragments.append(fragment)
            }
            for fragment in fragments { print(fragment) }
            return
        }
        switch output.resolved(fallback: .json) {
        case .json:
            print(JSONValue.array(results.flatMap { r in r.fits.map { ArmFits.json($0, arm: r.arm) } }).pretty)
        case .csv:
            print("arm,model,parameter,estimate,standard_error,log_likelihood,aic,ks_statistic,ks_p,converged")
            for r in results {
                for fit in r.fits {
                    for ((name, value), (_, se)) in zip(fit.parameters, fit.standardErrors) {
                        print(CSV.row([r.arm, fit.model.rawValue, name, CSV.number(value), CSV.number(se), CSV.number(fit.logLikelihood),
                                       CSV.number(fit.aic), CSV.number(fit.ksStatistic), CSV.number(fit.ksP), fit.converged ? "true" : "false"]))
                    }
                }
            }
        case .table:
            for r in results {
                print("arm \(r.arm)")
                print(TextTable.render(
                    header: ["model", "parameters (± se)", "log L", "AIC", "KS D", "KS p", "note"],
                    rows: r.fits.map { fit in
                        let parameters = zip(fit.parameters, fit.standardErrors).map { p, se in
                            "\(p.0) \(String(format: "%.4g", p.1))" + (se.1.map { " ± " + String(format: "%.2g", $0) } ?? "")
                        }.joined(separator: ", ")
                        return [fit.model.rawValue, parameters, String(format: "%.2f", fit.logLikelihood), String(format: "%.2f", fit.aic),
                                String(format: "%.4f", fit.ksStatistic), String(format: "%.3g", fit.ksP), fit.note ?? (fit.converged ? "" : "not converged")]
                    }))
                print("")
            }
        }
    }
}
