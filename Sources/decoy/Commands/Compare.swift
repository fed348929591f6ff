import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStatistics
import DecoyStore
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two arms: rate ratio, log-rank test on first contact, medians, mean counts.",
        discussion: """
            Rate ratio of contacts per posting-hour (first arm over second) with a cluster-robust \
            (per posting) interval on the log scale and Wald p; log-rank χ² and p on time to first \
            contact; Kaplan–Meier medians of time to first contact with log-log intervals; the \
            difference of mean cumulative contacts per posting at the horizon.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The two arms, first,second; with --against, the one arm of RUN.")
    var arms: String

    @Option(help: ArgumentHelp("Set the arm of RUN against an arm of another run, e.g. an observed arm against the simulated one it was planned with.", valueName: "run:arm"))
    var against: String?

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let names = arms.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try ConfidenceLevel.check(confidence)
        let db = try database.openExisting()
        let data = try RunData(run: try db.run(runReference), database: db)
        let second: (RunData, String)
        if let against {
            let parts = against.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, names.count == 1 else {
                throw ValidationError("--against expects RUN:ARM with one arm in --arms, found --arms `\(arms)` --against `\(against)`")
            }
            second = (try RunData(run: try db.run(parts[0]), database: db), parts[1])
        } else {
            guard names.count == 2, names[0] != names[1] else {
                throw ValidationError("--arms expects two different arm names, first,second, found `\(arms)`")
            }
            second = (data, names[1])
        }
        let comparison: ArmComparison
        do {
            comparison = try ArmComparison((data, names[0]), second, confidence: confidence)
        } catch let error as CurveError {
            throw CLIError(message: error.message)
        }
        switch output.resolved(fallback: .json) {
        case .json:
            print(comparison.json.pretty)
        case .csv:
            print("quantity,estimate,lower,upper,p")
            let r = comparison.rateRatio
            print(CSV.row(["rate_ratio", CSV.number(r.ratio), CSV.number(r.lower), CSV.number(r.upper), CSV.number(r.p)]))
            print(CSV.row(["logrank_chi2", CSV.number(comparison.logRank.chiSquare), "", "", CSV.number(comparison.logRank.p)]))
            print(CSV.row(["mcf_difference", CSV.number(comparison.mcfDifference), CSV.number(comparison.mcfDifferenceLower), CSV.number(comparison.mcfDifferenceUpper), ""]))
            for arm in [comparison.arms.0, comparison.arms.1] {
                print(CSV.row(["median_ttfc_hours:\(arm.name)", CSV.number(arm.medianTTFC.0), CSV.number(arm.medianTTFC.1), CSV.number(arm.medianTTFC.2), ""]))
                print(CSV.row(["rate:\(arm.name)", CSV.number(arm.rate), "", "", ""]))
            }
        case .table:
            func f(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "-" }
            let (a, b) = comparison.arms
            print(TextTable.render(
                header: ["arm", "postings", "contacts", "posting-hours", "rate/h", "median ttfc h", "95% interval", "mcf at \(f(comparison.horizon)) h"],
                rows: [a, b].map { arm in
                    [arm.name, String(arm.postings), String(arm.contacts), f(arm.postingHours), f(arm.rate), f(arm.medianTTFC.0),
                     "\(f(arm.medianTTFC.1)) – \(f(arm.medianTTFC.2))", "\(f(arm.mcfAtHorizon)) ± \(f(1.959963984540054 * arm.mcfStandardError))"]
                }, rightAligned: [1, 2, 3, 4, 5]))
            let r = comparison.rateRatio
            print("\nrate ratio \(a.name)/\(b.name): \(f(r.ratio)) (\(f(r.lower)) – \(f(r.upper))), p = \(f(r.p))  [cluster-robust, per posting]")
            print("log-rank on first contact: χ² = \(f(comparison.logRank.chiSquare)), p = \(f(comparison.logRank.p))")
            print("mean contacts per posting at \(f(comparison.horizon)) h, difference: \(f(comparison.mcfDifference)) (\(f(comparison.mcfDifferenceLower)) – \(f(comparison.mcfDifferenceUpper)))")
        }
    }
}

struct Population: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate how many distinct contactors exist (Chao1 capture–recapture).",
        discussion: "Bias-corrected Chao1 from contactors seen once (f1) and twice (f2), with Chao's log-normal interval; for simulated runs the true population size beside it.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let db = try database.openExisting()
        let estimate = PopulationEstimate(try RunData(run: try db.run(runReference), database: db, distinctContactors: true))
        let c = estimate.chao1
        switch output.resolved(fallback: .json) {
        case .json:
            print(estimate.json.pretty)
        case .csv:
            print("observed,f1,f2,chao1,lower,upper,true_size")
            print(CSV.row([String(c.observed), String(c.f1), String(c.f2), CSV.number(c.estimate), CSV.number(c.lower), CSV.number(c.upper),
                           estimate.trueSize.map(String.init) ?? ""]))
        case .table:
            print("distinct contactors observed  \(c.observed)  (seen once: \(c.f1), twice: \(c.f2))")
            print("Chao1 estimate                \(String(format: "%.1f", c.estimate))  (95% interval \(String(format: "%.1f", c.lower)) – \(String(format: "%.1f", c.upper)))")
            if let size = estimate.trueSize { print("true population size          \(size)") }
        }
    }
}
