import ArgumentParser
import DecoyAnalysis
import DecoyOutput
import DecoyModel

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config and print its summary and `config sha256`; writes nothing.")

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        // Arms without `response` are valid for observed data; `run` refuses them.
        let loaded = try ConfigLoader.load(path: config, overrides: try overrides.overrides(), purpose: .observation)
        output.emit(ExperimentSummary(loaded).presentation, fallback: .table)
    }
}
