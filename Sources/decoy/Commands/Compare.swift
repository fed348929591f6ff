import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyWorkflows
import DecoyModel
import DecoyStatistics
import DecoyStore
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two arms: rate ratio, log-rank test on first contact, medians, mean counts.",
        discussion: """
            Rate ratio of contacts per posting-hour (first arm over second) with a cluster-robust \
            (per posting) interval on the log scale and Wald p (CR1 sandwich of each arm with t on n₁ + n₂ − 2 degrees of \
            freedom by default, HC0 with normal quantiles under --intervals classic); log-rank χ² and p on time to first \
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

    @OptionGroup var intervalsOption: IntervalsOption
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let names = arms.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try ConfidenceLevel.check(confidence)
        let db = try database.openExisting()
        let first = try StoredRun(try db.run(runReference), in: db)
        let second: (StoredRun, String)
        if let against {
            let parts = against.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty, names.count == 1 else {
                throw ValidationError("--against expects RUN:ARM with one arm in --arms, found --arms `\(arms)` --against `\(against)`")
            }
            second = (try StoredRun(try db.run(parts[0]), in: db), parts[1])
        } else {
            guard names.count == 2, names[0] != names[1] else {
                throw ValidationError("--arms expects two different arm names, first,second, found `\(arms)`")
            }
            second = (first, names[1])
        }
        warnIfIncomplete(first.record)
        if second.0.record.id != first.record.id { warnIfIncomplete(second.0.record) }
        let firstValues = try first.values()
        let secondValues = second.0.record.id == first.record.id ? firstValues : try second.0.values()
        let settings = ComparisonSettings(confidence: confidence, intervals: intervalsOption.intervals)
        let comparison = try ArmComparison((firstValues, names[0]), (secondValues, second.1), settings: settings)
        output.emit(comparison.presentation, fallback: .json)
    }
}

struct Population: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Estimate how many distinct contactors exist (Chao1 capture–recapture).",
        discussion: "Bias-corrected Chao1 from contactors seen once (f1) and twice (f2), with Chao's log-normal interval; for simulated runs the true population size beside it.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "Confidence level of the interval, in (0, 1).")
    var confidence = 0.95

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence expects a level in (0, 1), found \(confidence)") }
        let db = try database.openExisting()
        let run = try StoredRun(try db.run(runReference), in: db)
        warnIfIncomplete(run.record)
        let estimate = PopulationEstimate(try run.values(contactors: true), confidence: confidence)
        output.emit(estimate.presentation(confidence: confidence), fallback: .json)
    }
}
