/// Time to first contact of each posting: the first contact, or censoring at the window's end.
public struct FirstContact: Sendable, Equatable {
    /// The first contact time, or the end of the window for a posting without contact.
    public var followUp: [Double]
    /// Whether each posting had a contact.
    public var contacted: [Bool]

    public init(followUp: [Double], contacted: [Bool]) {
        precondition(followUp.count == contacted.count, "one flag per follow-up time")
        self.followUp = followUp
        self.contacted = contacted
    }

    public init(_ data: RecurrentEvents) {
        followUp = zip(data.times, data.windows).map { $0.first ?? $1 }
        contacted = data.times.map { !$0.isEmpty }
    }

    /// The Kaplan–Meier estimate of the probability of no contact yet.
    public var kaplanMeier: KaplanMeier { KaplanMeier(followUp: followUp, contacted: contacted) }
}
