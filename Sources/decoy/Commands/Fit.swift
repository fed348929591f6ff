import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyWorkflows
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
        let run = try StoredRun(try db.run(runReference), in: db)
        warnIfIncomplete(run.record)
        let data = try run.values()
        let arms = arm.map { [$0] } ?? data.run.arms.map(\.name)
        let cancellation = Interruption.shared.install()
        let results = try arms.map { try ArmFits(data, arm: $0, models: chosen, cancellation: cancellation) }
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
        output.emit(FitTable(results).presentation.from(Origin(database: db.path, records: [run.record])), fallback: .json)
    }
}
