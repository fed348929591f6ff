public import DecoyAnalysis
import DecoyStatistics

extension PopulationEstimate {
    /// `population` and the report's section: Chao1 and its interval beside the distinct
    /// contactors seen, for each population and pooled, read as a lower bound, and whether the
    /// interval holds a simulated population's true size.
    public func presentation(confidence: Double) -> Presentation {
        func one(_ v: Double) -> String { Renderer.display(.number(v, .fixed(1))) }
        let level = "\(CSV.number(confidence * 100))%"
        if let reason = undefined { return undefinedPresentation(reason) }
        var notes: [String] = []
        if contactsWithoutContactor > 0 {
            notes.append("\(contactsWithoutContactor) of the \(contacts) contacts \(contactsWithoutContactor == 1 ? "carries" : "carry") no contact identifier and \(contactsWithoutContactor == 1 ? "is" : "are") not counted")
        }
        for part in populations {
            let truth = part.trueSize.map { size in
                switch part.holdsTrueSize {
                case true?: "; true size \(size), inside the interval"
                default: "; true size \(size), outside the interval" + (Double(size) > part.chao1.upper ? ", above it" : ", below it")
                }
            } ?? ""
            notes.append("\(part.name): \(part.chao1.observed) distinct contactors seen (once: \(part.chao1.f1), twice: \(part.chao1.f2)); Chao1 \(one(part.chao1.estimate)) (\(level) interval \(one(part.chao1.lower)) – \(one(part.chao1.upper)))\(truth)")
        }
        if populations.count > 1 {
            let c = chao1
            notes.append("pooled: \(c.observed) distinct contactors seen; Chao1 \(one(c.estimate)) (\(level) interval \(one(c.lower)) – \(one(c.upper)))\(trueSize.map { "; true size \($0)" } ?? "")")
        }
        notes.append("Chao1 counts the people who could have been seen, from those seen once and twice: read it as \"at least\". It falls short of the size when some people are more likely to make contact than others, and cannot see a population whose members (almost) never make contact.")
        if populations.contains(where: { $0.holdsTrueSize == false && Double($0.trueSize!) > $0.chao1.upper }) {
            notes.append("A population whose true size is above its interval holds people who rarely or never made contact in this run (a low response rate, or propensities that differ between people).")
        }
        let rows: [[Value]] = populations.map { part in
            [.text(part.name), .int(part.chao1.observed), .int(part.chao1.f1), .int(part.chao1.f2), .number(part.chao1.estimate),
             .number(part.chao1.lower), .number(part.chao1.upper), .optionalInt(part.trueSize),
             part.holdsTrueSize.map { .bool($0) } ?? .missing]
        }
        return Presentation(
            fields: [
                Field("observed", .int(chao1.observed), shownInTable: false), Field("f1", .int(chao1.f1), shownInTable: false),
                Field("f2", .int(chao1.f2), shownInTable: false), Field("chao1", .number(chao1.estimate), shownInTable: false),
                Field("lower", .number(chao1.lower), shownInTable: false), Field("upper", .number(chao1.upper), shownInTable: false),
                Field("true_size", .optionalInt(trueSize), shownInTable: false),
                Field("reading", .text("lower bound"), shownInTable: false),
                Field("contacts_without_identifier", .int(contactsWithoutContactor), shownInTable: false),
                Field("undefined", .missing, shownInTable: false),
            ],
            tables: [Table(
                key: "populations",
                columns: Self.populationColumns,
                rows: rows, csv: false, shownInTable: false)],
            notes: notes)
    }

    /// The JSON columns of each population.
    private static let populationColumns = ["population", "observed", "f1", "f2", "chao1", "lower", "upper", "true_size", "true_size_in_interval"].map { Column($0) }

    /// No estimate, with the reason, in the same fields and columns as an estimate.
    private func undefinedPresentation(_ reason: String) -> Presentation {
        Presentation(
            fields: [
                Field("observed", .missing, shownInTable: false), Field("f1", .missing, shownInTable: false),
                Field("f2", .missing, shownInTable: false), Field("chao1", .missing, shownInTable: false),
                Field("lower", .missing, shownInTable: false), Field("upper", .missing, shownInTable: false),
                Field("true_size", .optionalInt(trueSize), shownInTable: false),
                Field("reading", .text("undefined"), shownInTable: false),
                Field("contacts_without_identifier", .int(contactsWithoutContactor), shownInTable: false),
                Field("undefined", .text(reason), shownInTable: false),
            ],
            tables: [Table(
                key: "populations",
                columns: Self.populationColumns,
                rows: [], csv: false, shownInTable: false)],
            notes: ["Chao1: undefined: \(reason)"])
    }
}
