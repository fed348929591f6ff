import DecoyModel
import DecoyStore

extension FieldData {
    /// How an import treats contact identifiers: dropped when it drops any the events file gives,
    /// pseudonymised under the key when it stores any pseudonym, else `nil` (it handles none).
    static func contactIdentifiers(of contacts: [ObservedContact], pseudonymizer: Pseudonymizer?, dropping: Bool) -> ContactIdentifiers? {
        if dropping { return .dropped }
        guard let pseudonymizer, contacts.contains(where: { $0.pseudonym != nil }) else { return nil }
        return .pseudonymised(keyFingerprint: pseudonymizer.keyFingerprint)
    }

    /// Checks that a write treats contact identifiers the way its run did, and returns what to
    /// record on the run (`nil`: nothing new). Called inside the write's transaction, on the state
    /// read there, so that two writes at once cannot both pass.
    ///
    /// A run treats its identifiers one way throughout: a contact stored under one key (or without
    /// its contactor) is not found under another key (or with one), so a re-import would store it
    /// again, and one person would count as two contactors. A run stored before schema 9 recorded
    /// nothing: when it holds contactors, a key is taken as its own only when one of the
    /// `pseudonyms` given is among them (another key gives a stored person another pseudonym), and
    /// dropping identifiers is refused. Such a run without contactors cannot tell dropped
    /// identifiers from none, and takes the write's way.
    /// - Parameters:
    ///   - incoming: how the write treats identifiers; `nil` when it pseudonymises and drops none.
    ///   - pseudonyms: the pseudonyms of the write's contacts.
    /// - Throws: ``ContactIdentifierError`` when the ways differ.
    static func checkContactIdentifiers(
        _ incoming: ContactIdentifiers?, pseudonyms: Set<String>, state: ObservedState, writing: ContactIdentifierError.Writing
    ) throws(ContactIdentifierError) -> ContactIdentifiers? {
        guard let incoming, let run = state.run else { return incoming }
        if let recorded = run.contactIdentifiers {
            switch (recorded, incoming) {
            case (.dropped, .dropped): return nil
            case let (.pseudonymised(stored), .pseudonymised(given)):
                guard stored == given else { throw .otherKey(run: run.id, writing: writing) }
                return nil
            case (.pseudonymised, .dropped): throw .droppingIntoPseudonymised(run: run.id)
            case (.dropped, .pseudonymised): throw .pseudonymisingIntoDropped(run: run.id, writing: writing)
            }
        }
        let stored = Set(state.contacts.keys.compactMap(\.pseudonym))
        guard !stored.isEmpty else { return incoming }
        switch incoming {
        case .dropped: throw .droppingIntoPseudonymised(run: run.id)
        case .pseudonymised:
            guard !stored.isDisjoint(with: pseudonyms) else { throw .unconfirmedKey(run: run.id, writing: writing) }
            return incoming
        }
    }
}
