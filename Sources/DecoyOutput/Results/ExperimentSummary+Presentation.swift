public import DecoyAnalysis
import DecoyModel

extension ExperimentSummary {
    /// `validate`: the config's arms with their expected contacts, and its sha256.
    public var presentation: Presentation {
        let config = loaded.config
        func expected(_ value: Double?) -> Value {
            guard let value else { return .text("") }
            return .shown(Renderer.display(.number(value, .fixed(2))), as: .text(CSV.number(value)))
        }
        var notes: [String] = []
        if arms.contains(where: { $0.model == nil }) {
            notes.append("(arms without `response` can hold observed data only: decoy import, not decoy run; their channels are the labels an import accepts, `any` where the arm lists none)")
        }
        if arms.contains(where: \.hasRemoval) {
            notes.append("(expected counts include removal: a posting taken down earlier is observed for less time)")
        }
        notes.append("config sha256 \(loaded.sha256)")
        // An arm without a model draws nothing: no population, no channel weights. Its channels,
        // where listed, are the labels an import accepts; else any label is.
        func population(_ arm: Arm) -> String {
            arm.model != nil ? "\(arm.population) (\(arm.populationSize))" : arm.populationNamed ? arm.population : "-"
        }
        func channels(_ arm: Arm) -> String {
            guard arm.model != nil else { return arm.channelsDeclared ? arm.channels.map(\.name).joined(separator: ", ") : "any" }
            return arm.channels.map { "\($0.name) \(Units.shortest(($0.probability * 1000).rounded() / 1000))" }.joined(separator: ", ")
        }
        let seed = config.seed.map { "seed \($0), " } ?? ""
        // Replicates repeat a simulation; a config of observed data only has none to repeat.
        let replicates = arms.contains { $0.model != nil } ? "\(config.replicates) replicate(s), " : ""
        return Presentation(
            title: "config ok: \(config.name)\n\(seed)\(replicates)start \(config.start.localText), horizon \(Units.durationText(hours: config.horizon)), grid \(Units.durationText(hours: config.grid))",
            fields: [
                Field("name", .text(config.name), shownInTable: false), Field("config_sha256", .text(loaded.sha256), shownInTable: false),
                Field("resolved_config", .json(config.resolvedJSON), shownInTable: false),
            ],
            tables: [Table(
                key: "arms",
                columns: [
                    Column("arm"), Column("postings"), Column("model"), Column("population"), Column("channels"),
                    Column("expected_per_posting_horizon", title: "expected/posting (horizon)"),
                    Column("expected_per_posting_2h", title: "expected/posting (2h)"),
                ],
                rows: arms.map { arm in
                    [.text(arm.name), .text(String(arm.postings)), .text(arm.model ?? "-"), .text(population(arm)), .text(channels(arm)),
                     expected(arm.expectedOverHorizon), expected(arm.expectedInTwoHours)]
                })],
            notes: notes)
    }
}
