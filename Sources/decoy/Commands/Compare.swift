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
        abstract: "Compare two arms: proportional-rates ratio, randomization test, mean counts, log-rank, crude rates.",
        discussion: """
            The proportional-rates ratio (first arm over second) of contact intensities at the same age \
            since going live, removal as censoring (Andersen–Gill with postings as clusters; jackknife \
            over postings and t on n₁ + n₂ − 1 df by default, R's robust standard error with normal \
            quantiles under --intervals classic); the randomization test of the arm (exact over every \
            re-assignment of the labels up to 200,000 of them, else --draws seeded draws); the difference \
            of mean contacts per posting where both arms still have max(3, ⌈n/4⌉) postings at risk (or --at); \
            log-rank on first contact (exact permutation p by default, survdiff's under classic); \
            Kaplan–Meier medians of time to first contact; and, labelled with what they assume, the \
            crude rate ratio of contacts per posting-hour and the exact conditional Poisson test.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The two arms, first,second; with --against, the one arm of RUN.")
    var arms: String

    @Option(help: ArgumentHelp("Set the arm of RUN against an arm of another run, e.g. an observed arm against the simulated one it was planned with.", valueName: "run:arm"))
    var against: ArmOfRun?

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @OptionGroup var intervalsOption: IntervalsOption
    @OptionGroup var comparison: ComparisonOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let names = arms.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try ConfidenceLevel.check(confidence)
        let settings = try comparison.settings(confidence: confidence, intervals: intervalsOption.intervals)
        let db = try database.openExisting()
        let first = try StoredRun(try db.run(runReference), in: db)
        let second: (StoredRun, String)
        if let against {
            guard names.count == 1 else {
                throw ValidationError("--arms expects the one arm of RUN compared with --against, found \(names.count) names")
            }
            second = (try StoredRun(try db.run(against.run), in: db), against.arm)
            guard second.0.record.id != first.record.id || against.arm != names[0] else {
                throw ValidationError("--against names the arm of --arms itself; compare an arm with another arm, of this run or another")
            }
        } else {
            guard names.count == 2, names[0] != names[1] else {
                throw ValidationError("--arms expects two different arm names, first,second, found \(TypedValue.described(arms))")
            }
            second = (first, names[1])
        }
        warnIfIncomplete(first.record)
        if second.0.record.id != first.record.id { warnIfIncomplete(second.0.record) }
        let firstValues = try first.values()
        let secondValues = second.0.record.id == first.record.id ? firstValues : try second.0.values()
        let comparison = try ArmComparison((firstValues, names[0]), (secondValues, second.1), settings: settings)
        output.emit(comparison.presentation.from(Origin(database: db.path, records: [first.record, second.0.record])), fallback: .json)
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
        guard confidence > 0, confidence < 1 else { throw ValidationError("--confidence expects a level in (0, 1), the value given is outside that range") }
        let db = try database.openExisting()
        let run = try StoredRun(try db.run(runReference), in: db)
        warnIfIncomplete(run.record)
        let estimate = PopulationEstimate(try run.values(contactors: true), confidence: confidence)
        output.emit(estimate.presentation(confidence: confidence).from(Origin(database: db.path, records: [run.record])), fallback: .json)
    }
}
