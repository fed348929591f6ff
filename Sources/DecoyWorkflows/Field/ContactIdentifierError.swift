public import DecoyModel

/// A write refused because it would treat contact identifiers another way than its run did: under
/// another pseudonym key, dropped where they were pseudonymised, or the other way round. Nothing
/// was stored. Messages name the run, never an identifier, a pseudonym or anything of a key.
public enum ContactIdentifierError: DecoyFailure, Equatable {
    /// What refused write it was, for what to do next.
    public enum Writing: Sendable, Equatable {
        case `import`, record
    }

    /// The run's contactors were pseudonymised under another key than the one given.
    case otherKey(run: Int64, writing: Writing)
    /// The run's identifiers were pseudonymised, and this import drops them.
    case droppingIntoPseudonymised(run: Int64)
    /// The run's identifiers were dropped, and this write pseudonymises them.
    case pseudonymisingIntoDropped(run: Int64, writing: Writing)
    /// A run stored before decoy recorded its key holds contactors, none of which the given key
    /// gives: the key cannot be told to be the run's.
    case unconfirmedKey(run: Int64, writing: Writing)

    public var exitStatus: ExitStatus { .failure }

    public var description: String {
        switch self {
        case let .otherKey(run, .import):
            return "nothing was stored: run \(run)'s contact identifiers were pseudonymised with another key than the one given, so the same people would get other pseudonyms and every contact stored already would be stored a second time; import with the key the run was imported with, or, to use this key, delete the run (`decoy delete \(run)`) and import all its files again"
        case let .otherKey(run, .record):
            return "nothing was stored: run \(run)'s contact identifiers were pseudonymised with another key than the one given, so this person would get another pseudonym than in the run's stored contacts; record with the key the run was imported with"
        case let .droppingIntoPseudonymised(run):
            return "nothing was stored: run \(run)'s contact identifiers were pseudonymised, and this import drops them, so every contact stored already would be stored a second time, without its contactor; import with the key the run was imported with, which finds the stored contacts"
        case let .pseudonymisingIntoDropped(run, .import):
            return "nothing was stored: run \(run) was imported with its contact identifiers dropped, and this import pseudonymises them, so every contact stored already would be stored a second time, with a contactor; drop the identifiers again, or, to keep contactors, delete the run (`decoy delete \(run)`) and import all its files again with a key"
        case let .pseudonymisingIntoDropped(run, .record):
            return "nothing was stored: run \(run) was imported with its contact identifiers dropped, so its contacts have no contactor and one recorded now would stand alone in its counts of contactors; record the contact without its identifier"
        case let .unconfirmedKey(run, writing):
            let then = writing == .record ? ", then record the contact" : ""
            return "nothing was stored: run \(run) was stored by a decoy that did not record which key pseudonymised its contact identifiers, and none of the contactors given is among its stored ones, so the key given cannot be told to be the run's (another key would store the same people again under other pseudonyms); import again, with the run's key, a file already imported into it, whose contactors confirm the key and have it recorded\(then)"
        }
    }
}
