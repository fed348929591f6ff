import DecoyModel
import DecoyStore
public import DecoyWorkflows

extension MergeOutcome {
    /// `merge`: the merged run.
    public var presentation: Presentation {
        Presentation(
            fields: [
                Field("run_id", .integer(runID)), Field("postings", .int(postings)), Field("contacts", .int(contacts)),
                Field("digest", .text(digest)), Field("shards", .int(shards)), Field("already_merged", .bool(alreadyMerged)),
            ],
            notes: alreadyMerged ? ["these shards were merged before, as run \(runID): nothing was stored"] : [])
    }
}

extension ShardSet {
    /// `merge --status`: each shard, and what is missing.
    public var presentation: Presentation {
        Presentation(
            shape: .object,
            fields: [
                Field("config_sha256", .text(configSHA256)), Field("seed", .text(String(seed))), Field("shards", .int(count)),
                Field("complete", .bool(complete)),
                Field("missing", .json(.array(missing.map { .integer(Int64($0)) })), shownInTable: false),
                Field("unfinished", .json(.array(unfinished.map { .integer(Int64($0)) })), shownInTable: false),
                Field("resubmit_array", .text(resubmit.map(String.init).joined(separator: ",")), shownInTable: false),
            ],
            tables: [
                Table(
                    key: "members",
                    columns: [Column("shard", rightAligned: true), Column("file"), Column("run_id", title: "run", rightAligned: true),
                              Column("status"), Column("first", rightAligned: true), Column("end", rightAligned: true),
                              Column("postings", rightAligned: true), Column("contacts", rightAligned: true)],
                    rows: members.keys.sorted().map { k in
                        let m = members[k]!
                        return [.int(k), .text(m.file), .integer(m.run.id), .text(m.status.rawValue), .int(m.shard.first), .int(m.shard.end),
                                .int(m.run.postings), .int(m.run.contacts)]
                    }),
            ],
            notes: [summary])
    }
}

extension SweepShardSet {
    /// `merge --status` of a sweep's shard files: each point of the grid, and what is missing.
    public var presentation: Presentation {
        Presentation(
            shape: .object,
            fields: [
                Field("sweep", .text(sweep)), Field("grid_points", .int(points.count)), Field("complete", .bool(complete)),
                Field("missing", .json(.array(missing.map { .integer(Int64($0)) })), shownInTable: false),
                Field("unfinished", .json(.array(unfinished.map { .integer(Int64($0)) })), shownInTable: false),
            ],
            tables: [
                Table(
                    key: "points",
                    columns: [Column("index", title: "#", rightAligned: true), Column("point"), Column("file"),
                              Column("run_id", title: "run", rightAligned: true), Column("status"), Column("contacts", rightAligned: true)],
                    rows: points.map { p in
                        guard let m = p.member else { return [.int(p.index), .text(p.label), .text(""), .text(""), .text("missing"), .text("")] }
                        return [.int(p.index), .text(p.label), .text(m.file), .integer(m.run.id), .text(m.status.rawValue), .int(m.run.contacts)]
                    }),
            ],
            notes: [summary])
    }
}
