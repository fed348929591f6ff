import ArgumentParser
import DecoyModel
import DecoyOutput
import DecoyStatistics
import DecoyStudies
import DecoyWorkflows
import Foundation

struct Coverage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure how often the intervals of curves and compare cover the model's truth, by simulation.",
        discussion: """
            Simulates the config's arms with each --postings count per arm, as many times as the \
            config's replicates (or --replicates N; --seed N changes the draws), in \
            memory (nothing is stored), analyses each replicate as a run and checks each interval \
            against the model's exact value given the replicate's windows: mcf against the expected \
            curve, rate bins against the mean rate, ttfc and the KM median against the first \
            contact's distribution, and for the first two arms compare's rate ratio and mcf difference. \
            Beside it, the type I error of every test of compare on the config's null design (every arm \
            given the first arm's response, each keeping its removal and schedule). People see both \
            tables; CSV and JSON give the one --table names.
            """)

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @Option(help: ArgumentHelp("Comma-separated postings per arm.", valueName: "list"))
    var postings = "5,10,40"

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @Option(help: ArgumentHelp("The table CSV and JSON give: coverage (default) or type-one.", valueName: "coverage|type-one"))
    var table: CoverageStudy.Part = .coverage

    @OptionGroup var intervalsOption: IntervalsOption
    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        var counts: [Int] = []
        for part in postings.split(separator: ",") {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1 else {
                throw ValidationError("--postings expects comma-separated counts ≥ 1 such as `5,10,40`, found \(TypedValue.described(postings))")
            }
            counts.append(n)
        }
        guard !counts.isEmpty else { throw ValidationError("--postings expects at least one count, such as `5,10,40`") }
        try ConfidenceLevel.check(confidence)
        let loaded = try ConfigLoader.load(path: config, overrides: try overrides.overrides())
        // People read both tables; CSV and JSON only the one asked for, so only it is measured.
        let parts: Set<CoverageStudy.Part> = output.resolved(fallback: .table) == .table ? Set(CoverageStudy.Part.allCases) : [table]
        let cancellation = Interruption.shared.install()
        let study = try CoverageStudy.run(loaded, postings: counts, method: intervalsOption.intervals, confidence: confidence,
                                          jobs: ProcessInfo.processInfo.activeProcessorCount, measuring: parts, cancellation: cancellation)
        output.emit(study.presentation(leading: table), fallback: .table)
    }
}
