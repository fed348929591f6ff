import ArgumentParser
import DecoyBenchmark
import DecoyOutput
import DecoyModel
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time simulate, run, curves and export on the benchmark workload; contacts/s and peak memory.",
        discussion: """
            The workload is benchmarks/workload.yaml (exponential decay, about 803 contacts a posting \
            over 48 h), built in. Each step is timed in this process, the median of --repeats runs; \
            peak memory is the process's largest resident size during the step (Linux). Databases \
            and exports go to --dir and are deleted after each step. See BENCHMARKS.md for the \
            comparison with other programs (benchmarks/run_comparison.sh).
            """)

    @Option(help: ArgumentHelp("Sizes in contacts, comma-separated; `k` and `M` suffixes allowed.", valueName: "list"))
    var contacts = "1M"

    @Option(parsing: .unconditional, help: ArgumentHelp("Simulation threads to time simulate and run with, comma-separated.", valueName: "list"))
    var jobs = "1,2"

    @Option(help: "Runs of each step; the median is reported.")
    var repeats = 3

    @Option(help: ArgumentHelp("Steps, comma-separated: \(Benchmark.Step.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "list"))
    var steps = Benchmark.Step.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Folder for the temporary databases and exports (default: the system's temporary folder).")
    var dir: String?

    @OptionGroup var output: FormatOption

    @Flag(help: "No progress on standard error.")
    var quiet = false

    func validate() throws {
        _ = try parsedSizes()
        _ = try parsedJobs()
        _ = try parsedSteps()
        if repeats < 1 { throw ValidationError("--repeats must be at least 1, the value given is below 1") }
    }

    func parsedSizes() throws -> [Int] {
        try contacts.split(separator: ",").map { item in
            let text = item.trimmingCharacters(in: .whitespaces)
            let (digits, scale): (Substring, Double) = text.hasSuffix("M") ? (text.dropLast(), 1e6)
                : text.hasSuffix("k") ? (text.dropLast(), 1e3) : (Substring(text), 1)
            guard let value = Double(digits), value.isFinite, value >= 1, value * scale <= 1e9 else {
                throw ValidationError("--contacts expects sizes such as `1M,10M` (1 to 1000M), found \(TypedValue.described(text))")
            }
            return Int((value * scale).rounded())
        }
    }

    func parsedJobs() throws -> [Int] {
        try jobs.split(separator: ",").map { item in
            guard let value = Int(item.trimmingCharacters(in: .whitespaces)), (1...256).contains(value) else {
                throw ValidationError("--jobs expects thread counts from 1 to 256 such as `1,2`, found \(TypedValue.described(item))")
            }
            return value
        }
    }

    func parsedSteps() throws -> [Benchmark.Step] {
        try steps.split(separator: ",").map { item in
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let step = Benchmark.Step(rawValue: name) else {
                let known = Benchmark.Step.allCases.map(\.rawValue)
                let hint = Suggestion.closest(to: name, among: known).map { "; did you mean `\($0)`?" } ?? ""
                throw ValidationError("unknown step `\(name)`\(hint) (known: \(known.joined(separator: ", ")))")
            }
            return step
        }
    }

    func run() throws {
        let directory = dir ?? NSTemporaryDirectory()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw CLIError(message: "--dir \(directory): no such folder")
        }
        let benchmark = Benchmark(sizes: try parsedSizes(), jobs: try parsedJobs(), repeats: repeats, steps: try parsedSteps(), directory: directory)
        let progress = Progress(quiet: quiet)
        let format = output.resolved(fallback: .csv)
        var results: [Benchmark.Result] = []
        // CSV rows are written as each step finishes, so a long benchmark shows its figures early.
        if format == .csv { Console.write(CSV.row(Benchmark.Result.columns) + "\n") }
        try benchmark.run(report: { progress.update($0, force: true) }, result: { result in
            results.append(result)
            if format == .csv {
                progress.finish()
                Console.write(Renderer.csvRow(result.values) + "\n")
            }
        })
        progress.finish()
        if format != .csv { Console.write(Renderer.render(Benchmark.Result.presentation(results), as: format)) }
    }
}
