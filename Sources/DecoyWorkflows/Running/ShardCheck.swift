import DecoyModel
import DecoySimulation
import DecoyStore

/// The check of one shard (or a sweep point's whole run) before a merge copies it: its record
/// agrees with its own stored config, and its rows with its record, so that a file edited after the
/// shard finished is refused instead of merged into a `complete` run.
///
/// Read against the config: name, replicates, start, horizon, grid, seed, the slice of the
/// canonical order, arms and channels. Read against the rows: the postings are the slice's, one by
/// one in canonical order, and their contacts (as `rerun` streams them, ``StoredDigest``) count and
/// digest to what the run recorded. Every row is read once; memory holds the shard's postings.
enum ShardCheck {
    static func verify(_ member: ShardSet.Member) throws {
        let run = member.run
        func damaged(_ what: String) -> MergeError {
            .damaged(position: member.position, shard: run.shard?.text, run: run.id, what: what)
        }
        guard run.source == .simulated else { throw damaged("it is an observed run, not a simulated shard") }
        let loaded: LoadedConfig
        do {
            loaded = try StoredConfig.load(run)
        } catch {
            throw damaged("its stored resolved config no longer loads or no longer hashes to its config sha256")
        }
        let expected = ExperimentRunner(loaded: loaded, configPath: nil, shard: run.shard.map { ($0.index, $0.count) }).header
        var differs: [String] = []
        if run.name != expected.name { differs.append("name") }
        if run.seed != expected.seed { differs.append("seed") }
        if run.replicates != expected.replicates { differs.append("replicates") }
        if run.startMicros != expected.startMicros { differs.append("start") }
        if run.horizonMicros != expected.horizonMicros { differs.append("horizon") }
        if run.gridMicros != expected.gridMicros { differs.append("grid") }
        if run.shard != expected.shard { differs.append("slice of the posting order") }
        let database = try ShardFile.open(member.file, position: member.position)
        try ShardFile.read(position: member.position) {
            if try database.arms(run: run.id) != expected.arms { differs.append("arms") }
            if try database.channels(run: run.id) != expected.channels { differs.append("channels") }
        }
        guard differs.isEmpty else {
            throw damaged("its \(differs.joined(separator: ", ")) \(differs.count == 1 ? "differs" : "differ") from its stored config's")
        }
        let range = member.shard.first..<member.shard.end
        let postings = try ShardFile.read(position: member.position) { try database.postings(run: run.id) }
        guard postings.count == range.count, run.postings == range.count else {
            throw damaged("it holds \(postings.count) postings where its run records \(run.postings) and its slice has \(range.count)")
        }
        if let stray = postings.indices.first(where: { postings[$0].id != Int64(range.lowerBound + $0) }) {
            throw damaged("its posting \(stray + 1) of \(postings.count) has id \(postings[stray].id), not \(range.lowerBound + stray)")
        }
        var (digest, contacts) = try ShardFile.read(position: member.position) { try StoredDigest.accumulate(run: run, database: database) }
        guard contacts == run.contacts else {
            throw damaged("its postings hold \(contacts) contacts where its run records \(run.contacts)")
        }
        guard digest.finalize() == run.digest else {
            throw damaged("its stored events digest to another value than the digest it recorded")
        }
    }
}
