public import DecoyStatistics

/// One arm's postings as the two-arm tests read them, in hours since each went live: every
/// posting's observation window and number of contacts, and where known its first contact and
/// every contact time.
///
/// A stored or in-memory run gives everything (``init(_:)``); a power simulation draws only what
/// its test needs, so a test reads the parts it needs and no others.
public struct ArmSample: Sendable, Equatable {
    /// The arm's name, for messages.
    public var name: String
    /// Cᵢ, each posting's observation window.
    public var windows: [Double]
    /// Each posting's contacts within its window.
    public var counts: [Int]
    /// Each posting's first contact (`nil` without one), where known.
    public var firstContacts: [Double?]?
    /// Each posting's contact times, ascending, where known.
    public var times: [[Double]]?

    public init(name: String = "", windows: [Double], counts: [Int], firstContacts: [Double?]? = nil, times: [[Double]]? = nil) {
        precondition(windows.count == counts.count, "one count per window")
        precondition(firstContacts.map { $0.count == windows.count } ?? true, "one first contact per window")
        precondition(times.map { $0.count == windows.count } ?? true, "one list of times per window")
        self.name = name
        self.windows = windows
        self.counts = counts
        self.firstContacts = firstContacts ?? times.map { $0.map(\.first) }
        self.times = times
    }

    /// Every part of recurrent-event data.
    public init(name: String = "", _ events: RecurrentEvents) {
        self.init(name: name, windows: events.windows, counts: events.times.map(\.count), times: events.times)
    }

    public var postings: Int { windows.count }
    public var contacts: Int { counts.reduce(0, +) }
    /// Σ Cᵢ, the posting-hours observed.
    public var postingHours: Double { windows.reduce(0, +) }

    /// The recurrent-event data, where every contact time is known.
    public var events: RecurrentEvents? { times.map { RecurrentEvents(windows: windows, times: $0) } }

    /// Time to first contact, where first contacts are known.
    public var firstContact: FirstContact? {
        firstContacts.map { firsts in
            FirstContact(followUp: zip(firsts, windows).map { $0 ?? $1 }, contacted: firsts.map { $0 != nil })
        }
    }

    /// Whether every window has length `t` (then counts alone say everything about [0, t]).
    func everyWindowIs(_ t: Double) -> Bool { windows.allSatisfy { $0 == t } }
}
