import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyStatistics
import DecoyStore
import DecoyWorkflows
import Foundation

struct Regress: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the proportional-rates model with several covariates: arms, attributes, per-posting values, interactions, strata.",
        discussion: """
            Contact intensities at the same age since going live, removal as censoring, postings as \
            clusters: R's coxph(Surv(start, stop, event) ~ terms + strata(s) + cluster(posting)). Terms are \
            `arm`, attribute names (the config's arm attributes, an observed postings file's attr_<name> \
            columns), posted_hour, posted_weekday, and interactions a:b whose main effects are terms too. \
            Labels are coded against a reference level (the first met, or --reference). By default the \
            jackknife over postings with t on G − 1 df and Hotelling F tests of terms; --intervals classic \
            gives R's robust standard errors, normal quantiles and χ² tests.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: ArgumentHelp("The terms, comma-separated: arm, attribute names, posted_hour, posted_weekday, interactions a:b.", valueName: "terms"))
    var terms: String

    @Option(help: ArgumentHelp("A label whose levels each get a baseline of their own.", valueName: "name"))
    var strata: String?

    @Option(help: ArgumentHelp("A label's reference level, NAME=LEVEL (repeatable).", valueName: "name=level"))
    var reference: [String] = []

    @Option(help: ArgumentHelp("Read this covariate as a label even where every value is a number (repeatable).", valueName: "name"))
    var factor: [String] = []

    @Option(help: ArgumentHelp("Only these arms, comma-separated (default: all).", valueName: "arms"))
    var arms: String?

    @Option(help: ArgumentHelp("How contacts at one instant enter the model: efron (default, as R) or breslow.", valueName: "efron|breslow"))
    var ties: Ties = .efron

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @Option(help: ArgumentHelp("The label term of the randomization test, re-assigned within strata and the other label terms' levels (default: arm, where it is a term; `none` for no test).", valueName: "term"))
    var randomize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Re-assignments the randomization test draws when there are more than 200,000 (at least 999; default 9999).", valueName: "N"))
    var draws = "9999"

    @Option(name: .customLong("seed"), parsing: .unconditional, help: ArgumentHelp("Seed of the randomization draws (default 1).", valueName: "N"))
    var seed = "1"

    @Option(help: "Write the result to this file instead of standard output.")
    var out: String?

    @OptionGroup var intervalsOption: IntervalsOption
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func settings() throws -> RegressionSettings {
        try ConfidenceLevel.check(confidence)
        return try Self.model(terms: terms, strata: strata, reference: reference, factor: factor, arms: arms, ties: ties,
                              intervals: intervalsOption.intervals, confidence: confidence)
    }

    /// The model the flags describe (`regress`, and `power --terms`).
    static func model(terms: String, strata: String?, reference: [String], factor: [String], arms: String?, ties: Ties,
                      intervals: IntervalMethod, confidence: Double) throws -> RegressionSettings {
        var parsed: [RegressionTerm] = []
        for text in terms.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let term = RegressionTerm(parsing: text) else {
                throw ValidationError("--terms expects names or interactions such as arm,platform,section:platform; a term is empty or repeats a name")
            }
            parsed.append(term)
        }
        var references: [String: String] = [:]
        for pair in reference {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, references[parts[0]] == nil else {
                throw ValidationError("--reference expects NAME=LEVEL such as platform=backpage, once per name")
            }
            references[parts[0]] = parts[1]
        }
        let armNames = arms.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return RegressionSettings(terms: parsed, strata: strata, references: references, factors: Set(factor), arms: armNames, ties: ties,
                                  intervals: intervals, confidence: confidence)
    }

    func run() throws {
        var settings = try settings()
        settings.threads = ProcessInfo.processInfo.activeProcessorCount
        let db = try database.openExisting()
        let record = try db.run(runReference)
        warnIfIncomplete(record)
        let values = try StoredRun(record, in: db).values()
        var regression = try ProportionalRatesRegression(values, settings: settings)
        let single = settings.terms.filter { $0.factors.count == 1 }.map { $0.factors[0] }
        let randomized = randomize ?? (single.contains("arm") ? "arm" : "none")
        if randomized != "none" {
            guard single.contains(randomized) else { throw ValidationError("--randomize expects a label term among --terms (or none)") }
            guard let draws = Int(draws), draws >= ComparisonSettings.Randomization.minimumDraws, draws <= ComparisonSettings.Randomization.maximumDraws else {
                throw ValidationError("--draws expects from \(ComparisonSettings.Randomization.minimumDraws) to \(ComparisonSettings.Randomization.maximumDraws) draws")
            }
            guard let seed = UInt64(seed) else { throw ValidationError("--seed expects an unsigned 64-bit integer") }
            regression.randomization = try RegressionRandomization(
                values, term: randomized, settings: settings, randomization: .init(draws: draws, seed: seed))
        }
        let format = out != nil ? (output.format ?? .csv) : output.resolved(fallback: .json)
        let sink = try OutputSink(path: out, database: db.path)
        try sink.write(Renderer.render(regression.presentation.from(Origin(database: db.path, records: [record])), as: format))
        try sink.close()
    }
}
