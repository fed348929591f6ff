import DecoyAnalysis
import DecoyModel
import DecoyStore
public import DecoyWorkflows

extension Exporter {
    /// The counting-process form of a run, the shape R's `coxph(Surv(start, stop, event) ~ …)`,
    /// reda and lifelines' `CoxTimeVaryingFitter` read: one row per posting interval between
    /// contacts, in hours since the posting went live, (0, t₁], (t₁, t₂], …, each ending in a
    /// contact (`event` 1), then (t_last, Cᵢ] with `event` 0 where the window ends after the last
    /// contact (a posting without contact is one row (0, Cᵢ]).
    ///
    /// Columns: `posting` (1, 2, … in canonical order: the cluster), `name` (the team's name of an
    /// observed posting, else `arm-index`), `replicate`, `arm`, every covariate the run offers
    /// (its arm attributes and postings' own, `posted_hour`, `posted_weekday`), `start`, `stop`,
    /// `event`. Times are written exactly (the shortest decimal that reads back as the same
    /// double), so a fit in R on this file gives `regress --intervals classic`'s numbers.
    ///
    /// Contacts of one posting at one instant (field data recorded to the minute), or at the
    /// instant of going live, are written as rows of zero length, so that nothing is dropped; R's
    /// coxph drops such rows with a warning and `analysis/regress_from_export.R` stops on them, so
    /// their number is returned for the command to say.
    /// - Returns: the number of rows of zero length written.
    @discardableResult
    public static func writeIntervals(of run: StoredRun, to sink: OutputSink) throws -> Int {
        let description = run.run
        let members = Array(description.postings.indices)
        let covariates = PostingCovariates(run: description, members: members)
        let names = covariates.names.filter { $0 != "arm" }
        var columns: [[String]] = []
        for name in names { columns.append(try covariates.textValues(of: name)) }
        try sink.line(CSV.row(["posting", "name", "replicate", "arm"] + names + ["start", "stop", "event"]))
        let stored = try run.record.source == .observed ? run.labels() : [:]
        var contacts = [[Int64]](repeating: [], count: members.count)
        var zeroLength = 0
        try run.forEachPosting(contactors: false) { position, micros, _ in contacts[position] = micros }
        for (i, posting) in description.postings.enumerated() {
            let arm = description.arms[posting.arm].name
            let prefix = [String(i + 1), stored[i] ?? "\(arm)-\(posting.index)", String(posting.replicate), arm] + columns.map { $0[i] }
            var start = 0.0
            for micros in contacts[i] {
                let stop = hours(micros)
                if stop <= start { zeroLength += 1 }
                try sink.line(CSV.row(prefix + [CSV.number(start), CSV.number(stop), "1"]))
                start = stop
            }
            if contacts[i].isEmpty || start < posting.window {
                try sink.line(CSV.row(prefix + [CSV.number(start), CSV.number(posting.window), "0"]))
            }
        }
        return zeroLength
    }
}
