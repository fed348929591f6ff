public import DecoyModel
public import DecoyStore

/// What a run of observed data (``RunSource/observed``, made by `decoy import`) holds of its
/// design, read from what was stored rather than from the config: when each arm's ads went live,
/// how long each was observed, and the channels its contacts actually came by. A simulated run's
/// design is its config; an observed run's config only plans one, and its seed, schedules,
/// channel weights, populations and response models were never used.
public struct ObservedDesign: Sendable {
    /// One arm as observed.
    public struct Arm: Sendable {
        public var name: String
        /// The postings the config plans for the arm.
        public var planned: Int
        /// When each stored posting went live, ascending, in the offset of the config's `start`.
        public var goLive: [Timestamp]
        /// Each stored posting's observation window in hours, in the order of ``goLive``.
        public var windows: [Double]
        /// Postings whose window was closed before the horizon (the ad was taken down).
        public var endedEarly: Int
        /// Each channel its contacts came by, with the number of contacts, most used first (ties by name).
        public var channels: [(name: String, contacts: Int)]
        /// The arm's attributes (`attributes:` of the config), sorted by name.
        public var attributes: [(String, String)]

        /// The stored postings.
        public var postings: Int { goLive.count }
        /// The windows of the postings taken down early, ascending.
        public var earlyWindows: [Double] { zip(windows, ended).filter(\.1).map(\.0).sorted() }
        var ended: [Bool]
    }

    /// The horizon in hours: the longest window a posting can have.
    public var horizon: Double
    public var arms: [Arm]

    /// Reads an observed run's postings and contacts; `nil` for a simulated run, whose design is its config.
    /// - Throws: ``StoreError`` where the database cannot be read or its rows disagree.
    public init?(_ record: RunRecord, database: Database) throws {
        guard record.source == .observed else { return nil }
        let offset = StoredRun.utcOffset(of: record)
        horizon = Units.hours(micros: record.horizonMicros)
        let postings = try database.postings(run: record.id)
        let channelNames = try database.channels(run: record.id)
        var armOf: [Int64: Int] = [:]
        for posting in postings { armOf[posting.id] = posting.arm }
        let stored = try database.arms(run: record.id)
        var counts = [[Int: Int]](repeating: [:], count: stored.count)
        try database.forEachContact(run: record.id) { contact in
            guard let arm = armOf[contact.posting], counts.indices.contains(arm) else { return }
            counts[arm][contact.channel, default: 0] += 1
        }
        arms = stored.map { arm in
            let own = postings.filter { $0.arm == arm.id }.sorted { ($0.postedAtMicros, $0.id) < ($1.postedAtMicros, $1.id) }
            let channels = counts[arm.id].map { id, count in
                (name: channelNames.indices.contains(id) ? channelNames[id] : "channel \(id)", contacts: count)
            }.sorted { ($1.contacts, $0.name) < ($0.contacts, $1.name) }
            return Arm(
                name: arm.name, planned: arm.postings,
                goLive: own.map { Timestamp(microseconds: $0.postedAtMicros, utcOffsetSeconds: offset) },
                windows: own.map { Units.hours(micros: $0.windowMicros) }, endedEarly: own.filter(\.removed).count,
                channels: channels, attributes: arm.attributes, ended: own.map(\.removed))
        }
    }
}
