/// The contacts of a run, delivered posting by posting, however they are held: read from a
/// database in one streaming pass, or from an experiment simulated in memory.
///
/// Curves consume a source once, so their memory grows with postings and grid, not contacts;
/// comparisons, fits and population sizes load it into ``RunValues``.
public protocol ContactSource {
    /// The run's arms and postings.
    var run: RunDescription { get }

    /// Calls `body` once for each posting that has contacts, in posting order, with its position
    /// in ``RunDescription/postings``, its contact times in microseconds since it went live
    /// (ascending) and, with `contactors`, each contact's contactor (otherwise an empty array).
    /// The arrays may be reused between calls.
    func forEachPosting(contactors: Bool, _ body: (_ posting: Int, _ micros: [Int64], _ contactors: [Int64?]) throws -> Void) throws

    /// The first contact of each contacted posting, in microseconds, by position.
    func firstContacts() throws -> [Int: Int64]
}

extension ContactSource {
    public func firstContacts() throws -> [Int: Int64] {
        var firsts: [Int: Int64] = [:]
        try forEachPosting(contactors: false) { posting, micros, _ in firsts[posting] = micros.first }
        return firsts
    }
}
