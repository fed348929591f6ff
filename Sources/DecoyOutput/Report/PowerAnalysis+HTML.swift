import DecoyAnalysis
import DecoyStatistics
public import DecoyStudies

extension PowerAnalysis {
    /// The power curve as one self-contained HTML page: power against postings per arm with its
    /// Clopper–Pearson intervals, the target, the type I error with its intervals beside α, and
    /// Zhu and Lakkis's closed form where it applies; the table beneath.
    public var html: String {
        let s = settings
        let presentation = self.presentation
        let xs = points.map { Double($0.postings) }
        var series = [
            SVGChart.Series(name: "power", x: xs, y: points.map(\.power), lower: points.map { $0.interval?.lower },
                            upper: points.map { $0.interval?.upper }, errorBars: true, markers: true, style: 0),
            SVGChart.Series(name: "type I error", x: xs, y: points.map(\.typeOneError), lower: points.map { $0.typeOneInterval?.lower },
                            upper: points.map { $0.typeOneInterval?.upper }, errorBars: true, markers: true, style: 1),
        ]
        if formulaApplies {
            series.append(SVGChart.Series(name: "Zhu–Lakkis formula", x: xs, y: points.map(\.formulaPower), style: 2))
        }
        let largest = Double(points.map(\.postings).max() ?? 1)
        var chart = SVGChart(
            id: "chart-power", title: "Power and type I error against postings per arm",
            description: "Among the simulated experiments in which \(s.test.rawValue) was defined, the share rejecting at α = \(CSV.number(s.alpha)), against the postings of \(s.arms.0) (\(s.arms.1) gets round(\(CSV.number(s.ratio)) · n)), with Clopper–Pearson 95% intervals as bars; the type I error of the null design in the same way; the target \(CSV.number(s.target)) and α as grey dashed lines\(formulaApplies ? "; in green, the closed form" : "").",
            xTitle: "postings of \(s.arms.0)", yTitle: "share rejecting, among experiments\nwhere the test was defined", series: series,
            references: [.init(y: s.target, label: "target \(CSV.number(s.target))"), .init(y: s.alpha, label: "α \(CSV.number(s.alpha))")],
            xDomain: 0...max(1, largest), yDomain: 0...1, integerTicks: true)
        chart.plotHeight = 280
        let figure = HTMLPage.figure(id: "figure-power", chart: chart,
                                     caption: "Power of \(s.test.rawValue) by simulation, \(points.first?.sims ?? 0) experiments a point: each point is rejections over the experiments in which the test was defined (power = rejections / (sims − failed)); those in which it was not are counted \(failureNote == nil ? "in the table (none here)" : "below").",
                                     data: presentation, file: "power.csv", command: "decoy power --format csv")
        var page = HTMLPage(title: "Power: \(s.arms.0) against \(s.arms.1), \(s.test.rawValue)")
        page.subtitle = presentation.title
        page.sections.append(("curve", "Power curve", HTMLPage.section(id: "curve", heading: "Power curve", figures: [figure],
                                                                         notes: failureNote.map { [$0] } ?? [])))
        page.sections.append(("table", "Every point", HTMLPage.section(id: "table", heading: "Every point", presentation: presentation)))
        page.sections.append(("provenance", "Provenance", HTMLPage.section(
            id: "provenance", heading: "Provenance",
            presentation: Presentation(fields: [
                Field("config sha256", .text(configSHA256)), Field("seed", .text(String(seed))), Field("test", .text(s.test.rawValue)),
                Field("alpha", .number(s.alpha)), Field("intervals", .text(s.method.rawValue)), Field("tool version", .text(toolVersion)),
            ]))))
        page.footer = "decoy \(toolVersion) · config sha256 \(configSHA256) · seed \(seed)"
        return page.html
    }

    /// At each n where any simulation failed (the test undefined), how many of how many, of the
    /// alternative and of the null design; `nil` where none failed.
    var failureNote: String? {
        let failing = points.filter { $0.failed > 0 || $0.nullFailed > 0 }
        guard !failing.isEmpty else { return nil }
        let counts = failing.map { p in
            "n = \(p.postings): \(p.failed) of \(p.sims)" + (nullSimulated ? " (null design \(p.nullFailed) of \(p.sims))" : "")
        }
        return "Simulations in which the test was undefined (failed), left out of the shares drawn: \(counts.joined(separator: "; "))."
    }
}
