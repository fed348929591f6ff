import ArgumentParser
import DecoyModel
import DecoyOutput
import DecoyStatistics
import DecoyStore
import DecoyWorkflows
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page of a run: provenance, summary, charts, comparison, fits, population.",
        discussion: """
            The page has no external reference (no network, no web font, no script), reads without \
            JavaScript and prints; its charts are inline SVG with their numbers in a table and a CSV \
            download beneath each. The same run and options give the same bytes.
            """)

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "Write the page here (default report.html).")
    var out = "report.html"

    @Option(help: "The two arms of the comparison, first,second (default the first two).")
    var arms: String?

    @Option(help: ArgumentHelp("Overlay an arm of another run (an observed run against its planned simulation).", valueName: "run:arm"))
    var against: ArmOfRun?

    @Option(parsing: .unconditional, help: ArgumentHelp("Grid of the curves, a duration (default: the run's grid).", valueName: "duration"))
    var grid: String?

    @Option(parsing: .unconditional, help: "Confidence level of the intervals, from 0.5 to 0.999999999.")
    var confidence = 0.95

    @Option(help: ArgumentHelp("Add a regression's forest plot and table: its terms, as `regress --terms`.", valueName: "terms"))
    var terms: String?

    @Option(help: ArgumentHelp("With --terms: a label whose levels each get a baseline of their own.", valueName: "name"))
    var strata: String?

    @Option(help: ArgumentHelp("With --terms: a label's reference level, NAME=LEVEL (repeatable).", valueName: "name=level"))
    var reference: [String] = []

    @Option(help: ArgumentHelp("With --terms: read this covariate as a label (repeatable).", valueName: "name"))
    var factor: [String] = []

    @OptionGroup var database: DatabaseOption

    func run() throws {
        try ConfidenceLevel.check(confidence)
        if terms == nil, strata != nil || !reference.isEmpty || !factor.isEmpty {
            throw ValidationError("--strata, --reference and --factor describe the regression of --terms: give --terms too")
        }
        let regression = try terms.map {
            try Regress.model(terms: $0, strata: strata, reference: reference, factor: factor, arms: nil, ties: .efron, intervals: .corrected,
                              confidence: confidence)
        }
        let step = try grid.map { try DurationOption.hours($0, flag: "--grid") }
        var pair: (String, String)?
        if let arms {
            let names = arms.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard names.count == (against == nil ? 2 : 1), names.allSatisfy({ !$0.isEmpty }), Set(names).count == names.count else {
                throw ValidationError(against == nil ? "--arms expects two different arm names, first,second, found \(TypedValue.described(arms))"
                                                     : "--arms expects the one arm of RUN compared with --against, found \(TypedValue.described(arms))")
            }
            pair = (names[0], names.count > 1 ? names[1] : names[0])
        }
        let cancellation = Interruption.shared.install()
        let db = try database.openExisting()
        let sink = try OutputSink(path: out, database: db.path)
        let run = try StoredRun(try db.run(runReference), in: db)
        warnIfIncomplete(run.record)
        var other: (StoredRun, String)?
        if let against {
            let otherRun = try StoredRun(try db.run(against.run), in: db)
            guard otherRun.record.id != run.record.id else {
                throw ValidationError("--against names run \(run.record.id) itself; give another run, or compare its arms with --arms A,B")
            }
            other = (otherRun, against.arm)
        }
        let report = try RunReport(run, database: db, compared: pair, against: other, grid: step, confidence: confidence, regression: regression,
                                   cancellation: cancellation)
        try sink.write(report.html)
        try sink.close()
        Console.note("report of run \(run.record.id) written to \(out)")
    }
}

/// `--against RUN:ARM`: an arm of another run (the run as `decoy runs` names it: an id, `last`, or
/// a negative offset).
struct ArmOfRun: ExpressibleByArgument {
    var run: String
    var arm: String

    init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        run = parts[0]
        arm = parts[1]
    }
}
