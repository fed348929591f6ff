public import DecoyWorkflows

extension RunOutcome {
    /// `run`, `resume` and `quickstart`: the stored run's id, contacts, postings and digest.
    public func presentation(database: String) -> Presentation {
        Presentation(
            title: "run \(runID) stored in \(database)",
            fields: [
                Field("run_id", .integer(runID), shownInTable: false), Field("contacts", .int(contacts)),
                Field("postings", .int(postings)), Field("digest", .text(digest)),
            ])
    }
}
