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
        let chart = SVGChart(
            id: "chart-power", title: "Power and type I error against postings per arm",
            description: "Share of simulated experiments in which \(s.test.rawValue) rejects at α = \(CSV.number(s.alpha)), against the postings of \(s.arms.0) (\(s.arms.1) gets round(\(CSV.number(s.ratio)) · n)), with Clopper–Pearson 95% intervals as bars; the type I error of the null design in the same way; the target \(CSV.number(s.target)) and α as dotted lines\(formulaApplies ? "; dashed, the closed form" : "").",
            xTitle: "postings of \(s.arms.0)", yTitle: "share of experiments rejecting", series: series,
            references: [.init(y: s.target, label: "target \(CSV.number(s.target))"), .init(y: s.alpha, label: "α \(CSV.number(s.alpha))")],
            xDomain: 0...max(1, largest), yDomain: 0...1, integerTicks: true)
        let figure = HTMLPage.figure(id: "figure-power", chart: chart,
                                     caption: "Power of \(s.test.rawValue) by simulation, \(points.first?.sims ?? 0) experiments a point (failed simulations left out).",
                                     data: presentation, file: "power.csv", command: "decoy power --format csv")
        var page = HTMLPage(title: "Power: \(s.arms.0) against \(s.arms.1), \(s.test.rawValue)")
        page.subtitle = presentation.title
        page.sections.append(("curve", "Power curve", HTMLPage.section(id: "curve", heading: "Power curve", figures: [figure])))
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
}
