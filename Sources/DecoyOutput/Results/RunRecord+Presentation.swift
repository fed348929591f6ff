import DecoyModel
public import DecoyStore
public import DecoyWorkflows

/// `runs`: one row per stored run.
public struct RunList: Sendable {
    public var runs: [RunRecord]
    public var database: String

    public init(runs: [RunRecord], database: String) {
        self.runs = runs
        self.database = database
    }

    public var presentation: Presentation {
        Presentation(shape: .rows, tables: [Table(
            key: "runs",
            columns: [
                Column("run_id", title: "run", rightAligned: true), Column("name"), Column("source"), Column("status"),
                Column("contacts", rightAligned: true), Column("postings", rightAligned: true), Column("digest"),
                Column("started_at", title: "started"), .data("sweep"), .data("sweep_point"), .forPeople("sweep point"),
                Column("shard"),
            ],
            rows: runs.map { run in
                [.integer(run.id), .text(run.name), .text(run.source.rawValue), .text(RunLiveness.effectiveStatus(run).rawValue),
                 .int(run.contacts), .int(run.postings), run.digest.map { .shown(String($0.prefix(12)), as: .text($0)) } ?? .shown("-", as: .missing),
                 .text(run.startedAt), .optionalText(run.sweep?.sweep), .optionalText(run.sweep?.point),
                 .text(run.sweep.map { "\($0.sweep): \($0.point)" } ?? ""),
                 run.shard.map { .text($0.text) } ?? run.mergedShards.map { .text("merged from \($0)") } ?? .missing]
            },
            emptyNote: "no runs in \(database)")])
    }
}

/// `show`: a run's provenance and per-arm totals.
public struct RunProvenance: Sendable {
    public struct ArmTotal: Sendable {
        public var name: String
        public var postings: Int
        public var contacts: Int
        public var removed: Int
        public var population: String

        public init(name: String, postings: Int, contacts: Int, removed: Int, population: String) {
            self.name = name
            self.postings = postings
            self.contacts = contacts
            self.removed = removed
            self.population = population
        }
    }

    public var run: RunRecord
    public var arms: [ArmTotal]
    /// What an observed run holds of its design (`nil` for a simulated run): its arms are shown
    /// with when their ads went live and the channels used, instead of a population never drawn from.
    public var observed: ObservedDesign?
    /// Whether table text shows the config as it was given.
    public var showConfigText: Bool

    public init(run: RunRecord, arms: [ArmTotal], observed: ObservedDesign? = nil, showConfigText: Bool) {
        self.run = run
        self.arms = arms
        self.observed = observed
        self.showConfigText = showConfigText
    }

    /// The provenance fields as text; `nil` for what the run never had: an observed run has no
    /// seed and no replicates (nothing was drawn; its stored seed 0 and replicates 1 are placeholders)
    /// and no overrides (`import` takes no `--set`).
    var facts: [(String, String?)] {
        let record = run
        let simulated = record.source == .simulated
        return [
            ("run_id", String(record.id)), ("name", record.name), ("source", record.source.rawValue),
            ("status", RunLiveness.effectiveStatus(record).rawValue), ("config_path", record.configPath ?? ""),
            ("config_sha256", record.configSHA256), ("seed", simulated ? String(record.seed) : nil),
            ("replicates", simulated ? String(record.replicates) : nil),
            ("overrides", simulated ? record.overrides : nil), ("sweep", record.sweep?.sweep ?? ""), ("sweep_point", record.sweep?.point ?? ""),
            ("shard", record.shard.map { "\($0.text), postings \($0.first)..<\($0.end) of the canonical order" } ?? ""),
            ("merged_shards", record.mergedShards.map(String.init) ?? ""),
            ("postings", String(record.postings)), ("contacts", String(record.contacts)),
            ("digest", record.digest ?? ""), ("tool_version", record.provenance.toolVersion),
            ("swift_version", record.provenance.swiftVersion), ("os", record.provenance.os), ("host", record.provenance.host),
            ("pid", String(record.provenance.pid)), ("started_at", record.startedAt), ("finished_at", record.finishedAt ?? ""),
            ("wall_seconds", CSV.number(record.wallSeconds.map { ($0 * 1000).rounded() / 1000 })), ("message", record.message ?? ""),
        ]
    }

    public var presentation: Presentation {
        let facts = self.facts
        var fields = facts.map { Field($0.0, .optionalText($0.1), shownInTable: !($0.1 ?? "").isEmpty) }
        fields.append(Field("config_text", .text(run.configText), shownInTable: false))
        // An observed run's resolved config fills in what was never set (schedules, channel
        // weights, a seed); its config is described by the text as given and `config_sha256`.
        // (JSON null and an empty CSV cell, like its seed, so that every run has the same keys.)
        fields.append(Field("resolved_config", run.source == .simulated ? .text(run.resolvedConfig) : .missing, shownInTable: run.source == .simulated))
        return Presentation(
            fields: fields,
            tables: [
                Table(key: nil, columns: [Column("field"), Column("value")], rows: facts.map { [.text($0.0), .optionalText($0.1)] }, shownInTable: false),
                observed.map { observedArms($0) } ?? Table(
                    key: "arms",
                    columns: [
                        Column("name", title: "arm"), Column("postings", rightAligned: true), Column("contacts", rightAligned: true),
                        Column("contacts_per_posting", title: "per posting", rightAligned: true), Column("removed", rightAligned: true),
                        Column("population"),
                    ],
                    rows: arms.map { arm in
                        [.text(arm.name), .text(String(arm.postings)), .text(String(arm.contacts)),
                         .text(arm.postings > 0 ? CSV.number((Double(arm.contacts) / Double(arm.postings) * 100).rounded() / 100) : ""),
                         .text(String(arm.removed)), .text(arm.population)]
                    },
                    csv: false),
            ],
            notes: showConfigText ? [run.configText] : [])
    }

    /// The arms of an observed run: the totals, when their ads went live and the channels used.
    func observedArms(_ design: ObservedDesign) -> Table {
        Table(
            key: "arms",
            columns: [
                Column("name", title: "arm"), Column("postings", rightAligned: true), Column("contacts", rightAligned: true),
                Column("contacts_per_posting", title: "per posting", rightAligned: true),
                Column("removed", title: "taken down early", rightAligned: true), Column("went_live", title: "went live"),
                Column("channels", title: "channels used (contacts)"),
            ],
            rows: arms.map { arm in
                let seen = design.arms.first { $0.name == arm.name }
                return [.text(arm.name), .text(String(arm.postings)), .text(String(arm.contacts)),
                        .text(arm.postings > 0 ? CSV.number((Double(arm.contacts) / Double(arm.postings) * 100).rounded() / 100) : ""),
                        .text(String(arm.removed)), .text(seen?.goLiveText ?? ""), .text(seen?.channelsText ?? "")]
            },
            csv: false)
    }
}
