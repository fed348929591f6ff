import DecoyModel
public import DecoyStatistics
public import DecoyStore

/// A stored run read into plain arrays for the estimators: its arms, postings, and each
/// posting's contact times in hours (in storage order, which is time order).
public struct RunData {
    public let run: RunRecord
    public let arms: [ArmRecord]
    public let postings: [PostingRecord]
    /// Contact times of each posting, in hours since it went live.
    public let times: [[Double]]
    /// Contacts per distinct contactor, keyed by population and contactor (filled on request).
    public let contactsPerContactor: [String: [Int64: Int]]

    public init(run: RunRecord, database: Database, distinctContactors: Bool = false) throws {
        self.run = run
        arms = try database.arms(run: run.id)
        postings = try database.postings(run: run.id)
        var slot: [Int64: Int] = [:]
        for (index, posting) in postings.enumerated() { slot[posting.id] = index }
        var times = [[Double]](repeating: [], count: postings.count)
        var perContactor: [String: [Int64: Int]] = [:]
        if distinctContactors {
            let arms = self.arms, postings = self.postings
            try database.forEachContact(run: run.id) { contact in
                guard let index = slot[contact.posting] else { return }
                times[index].append(Self.hours(contact.micros))
                guard let contactor = contact.contactor else { return }
                // Pseudonyms of observed runs are the same people whatever the arm.
                let population = run.source == .observed ? "observed"
                    : arms.indices.contains(postings[index].arm) ? arms[postings[index].arm].population : "?"
                perContactor[population, default: [:]][contactor, default: 0] += 1
            }
        } else {
            try database.forEachContactTime(run: run.id) { posting, micros in
                if let index = slot[posting] { times[index].append(Self.hours(micros)) }
            }
        }
        self.times = times
        self.contactsPerContactor = perContactor
    }

    /// The postings (indices) of an arm, optionally of one replicate.
    public func members(ofArm arm: Int, replicate: Int? = nil) -> [Int] {
        postings.indices.filter { postings[$0].arm == arm && (replicate == nil || postings[$0].replicate == replicate) }
    }

    /// The recurrent-event data of some postings.
    public func events(_ members: [Int]) -> RecurrentEvents {
        RecurrentEvents(windows: members.map { Self.hours(postings[$0].windowMicros) }, times: members.map { times[$0] })
    }

    static func hours(_ micros: Int64) -> Double { Double(micros) / 3.6e9 }
}
