public import DecoyWorkflows
import DecoyModel

extension ReproductionReport {
    /// `rerun`: whether the stored run was reproduced, and where it first differs when not.
    public var presentation: Presentation {
        let difference: Value = firstDifference.map { d in
            .json(.object([("replicate", .integer(Int64(d.replicate))), ("arm", .string(d.arm)), ("posting", .integer(Int64(d.posting))),
                           ("seq", d.seq.map { .integer(Int64($0)) } ?? .null), ("stored", .string(d.stored)), ("recomputed", .string(d.recomputed))]))
        } ?? .missing
        let notes = reproduced
            ? ["reproduced", "run \(runID): \(postings) postings, \(contacts) contacts, digest \(recomputedDigest)"]
            : ["not reproduced", problem ?? "", "stored digest    \(storedDigest ?? "(none)")",
               "stored events    \(digestOfStoredEvents)", "recomputed       \(recomputedDigest)"]
        return Presentation(
            fields: [
                Field("run_id", .integer(runID)), Field("reproduced", .bool(reproduced)), Field("contacts", .int(contacts)),
                Field("postings", .int(postings)), Field("digest", .text(recomputedDigest)), Field("stored_digest", .optionalText(storedDigest)),
                Field("digest_of_stored_events", .text(digestOfStoredEvents)), Field("first_difference", difference),
                Field("problem", .optionalText(problem)),
            ].map { var field = $0; field.shownInTable = false; return field },
            tables: [Table(
                columns: ["run_id", "reproduced", "contacts", "postings", "digest", "problem"].map { Column($0) },
                rows: [[.integer(runID), .text(reproduced ? "true" : "false"), .int(contacts), .int(postings), .text(recomputedDigest), .text(problem ?? "")]],
                shownInTable: false)],
            notes: notes)
    }
}
