public import DecoyAnalysis
import DecoyStatistics

extension PopulationEstimate {
    /// `population`: Chao1 and its interval beside the distinct contactors seen.
    public func presentation(confidence: Double) -> Presentation {
        let c = chao1
        func one(_ v: Double) -> String { Renderer.display(.number(v, .fixed(1))) }
        var notes = [
            "distinct contactors observed  \(c.observed)  (seen once: \(c.f1), twice: \(c.f2))",
            "Chao1 estimate                \(one(c.estimate))  (\(CSV.number(confidence * 100))% interval \(one(c.lower)) – \(one(c.upper)))",
        ]
        if let trueSize { notes.append("true population size          \(trueSize)") }
        return Presentation(
            fields: [
                Field("observed", .int(c.observed), shownInTable: false), Field("f1", .int(c.f1), shownInTable: false),
                Field("f2", .int(c.f2), shownInTable: false), Field("chao1", .number(c.estimate), shownInTable: false),
                Field("lower", .number(c.lower), shownInTable: false), Field("upper", .number(c.upper), shownInTable: false),
                Field("true_size", .optionalInt(trueSize), shownInTable: false),
            ],
            notes: notes)
    }
}
