public import DecoyStore

extension ObservedMergeResult {
    /// `import`, `record` and `end`: what was stored and what the run now holds.
    /// - Parameter action: how table text names the operation ("imported into", "recorded in").
    public func presentation(action: String) -> Presentation {
        Presentation(
            fields: [
                Field("run_id", .integer(runID)), Field("contacts", .int(contacts)), Field("postings", .int(postings)),
                Field("new_contacts", .int(newContacts)), Field("new_postings", .int(newPostings)), Field("already_stored", .int(alreadyStored)),
            ].map { var field = $0; field.shownInTable = false; return field },
            notes: [
                "\(action) run \(runID): \(newPostings) new postings, \(newContacts) new contacts, \(alreadyStored) already stored",
                "run \(runID) now holds \(postings) postings and \(contacts) contacts",
            ])
    }
}
