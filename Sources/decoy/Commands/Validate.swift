import ArgumentParser
import DecoyKit
import DecoyModel

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a config and print its summary and `config sha256`; writes nothing.")

    @Argument(help: "The experiment config (YAML or JSON).")
    var config: String

    @OptionGroup var overrides: OverrideOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        // Arms without `response` are valid for observed data; `run` refuses them.
        let loaded = try ConfigLoader.load(path: config, overrides: try overrides.overrides(), purpose: .observation)
        let summary = ConfigSummary(loaded)
        switch output.resolved(fallback: .table) {
        case .json:
            print(summary.json.pretty)
        case .csv:
            print(CSV.row(ConfigSummary.armColumns))
            for arm in summary.arms { print(CSV.row(arm)) }
        case .table:
            print(summary.text)
        }
    }
}
