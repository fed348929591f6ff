import DecoyModel
public import DecoyStatistics

/// A run held in memory: its description and every posting's contacts.
///
/// Built from any ``ContactSource`` (``init(loading:contactors:)``), or directly from values an
/// experiment simulated in memory produced.
public struct RunValues: ContactSource, Sendable {
    public var run: RunDescription
    /// Each posting's contact times in microseconds since it went live, ascending.
    public var contacts: [[Int64]]
    /// Each posting's contactors, one per contact (`nil` where unknown); empty when not loaded.
    public var contactors: [[Int64?]]

    public init(run: RunDescription, contacts: [[Int64]], contactors: [[Int64?]] = []) {
        precondition(contacts.count == run.postings.count, "one list of contacts per posting")
        precondition(contactors.isEmpty || contactors.count == run.postings.count, "one list of contactors per posting")
        self.run = run
        self.contacts = contacts
        self.contactors = contactors
    }

    /// Reads every contact of `source` into memory (with contactors when asked).
    public init(loading source: some ContactSource, contactors: Bool = false) throws {
        run = source.run
        var contacts = [[Int64]](repeating: [], count: source.run.postings.count)
        var who = contactors ? [[Int64?]](repeating: [], count: source.run.postings.count) : []
        try source.forEachPosting(contactors: contactors) { posting, micros, ids in
            contacts[posting] = micros
            if contactors { who[posting] = ids }
        }
        self.contacts = contacts
        self.contactors = who
    }

    public func forEachPosting(contactors: Bool, _ body: (Int, [Int64], [Int64?]) throws -> Void) throws {
        for (posting, micros) in contacts.enumerated() where !micros.isEmpty {
            try body(posting, micros, contactors && !self.contactors.isEmpty ? self.contactors[posting] : [])
        }
    }

    /// The recurrent-event data of some postings (positions), in hours.
    public func events(_ members: [Int]) -> RecurrentEvents {
        RecurrentEvents(windows: members.map { run.postings[$0].window }, times: members.map { contacts[$0].map(hours) })
    }

    /// The recurrent-event data of an arm, replicates pooled.
    public func events(ofArm arm: Int) -> RecurrentEvents { events(run.members(ofArm: arm)) }
}
