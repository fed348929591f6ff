import Foundation

/// A forest plot drawn as inline SVG: one row per coefficient, its ratio as a square and its
/// interval as a line on a log-scale axis, a reference line at 1, the label of each row on the
/// left and the ratio with its interval as text on the right (so the numbers read without the
/// axis). Carries `<title>` and `<desc>`; every text is escaped. An interval that runs past the
/// axis (beyond 10⁻³–10³ around the estimates) ends in an arrow rather than off the page.
struct ForestPlot {
    struct Row {
        var label: String
        var ratio: Double
        var lower: Double
        var upper: Double
    }

    var id: String
    var title: String
    var description: String
    var xTitle: String
    var rows: [Row]

    func svg() -> String {
        let width = 720.0, left = 200.0, right = 190.0, top = 30.0, rowHeight = 26.0
        let plotWidth = width - left - right
        let height = top + Double(max(rows.count, 1)) * rowHeight + 50
        // The axis spans the estimates and intervals (and 1), in whole powers of ten, clipped to 10^±6.
        let values = rows.flatMap { [$0.ratio, $0.lower, $0.upper] }.filter { $0.isFinite && $0 > 0 } + [1]
        let low = max(-6, Foundation.floor(Foundation.log10(values.min()!))), high = min(6, Foundation.ceil(Foundation.log10(values.max()!)))
        let span = max(high - low, 1)
        func px(_ ratio: Double) -> Double {
            let l = min(max(Foundation.log10(ratio), low), low + span)
            return left + (l - low) / span * plotWidth
        }
        func text(_ v: Double) -> String { String(format: v >= 0.01 && v < 1000 ? "%.3g" : "%.2e", v) }
        let titleID = "\(id)-title", descID = "\(id)-desc"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"chart forest\" viewBox=\"0 0 \(SVGChart.n(width)) \(SVGChart.n(height))\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\">\n"
        out += "<title id=\"\(titleID)\">\(SVGChart.escape(title))</title>\n<desc id=\"\(descID)\">\(SVGChart.escape(description))</desc>\n"
        let bottom = top + Double(rows.count) * rowHeight
        out += "<g class=\"axis\"><line x1=\"\(SVGChart.n(left))\" x2=\"\(SVGChart.n(left + plotWidth))\" y1=\"\(SVGChart.n(bottom))\" y2=\"\(SVGChart.n(bottom))\"/>"
        for power in stride(from: low, through: low + span, by: 1) {
            let x = px(Foundation.pow(10, power))
            out += "<line x1=\"\(SVGChart.n(x))\" x2=\"\(SVGChart.n(x))\" y1=\"\(SVGChart.n(bottom))\" y2=\"\(SVGChart.n(bottom + 5))\"/>"
            out += "<text x=\"\(SVGChart.n(x))\" y=\"\(SVGChart.n(bottom + 18))\" text-anchor=\"middle\">\(SVGChart.escape(SVGChart.label(Foundation.pow(10, power))))</text>"
        }
        out += "<text class=\"axis-title\" x=\"\(SVGChart.n(left + plotWidth / 2))\" y=\"\(SVGChart.n(bottom + 38))\" text-anchor=\"middle\">\(SVGChart.escape(xTitle))</text></g>\n"
        out += "<g class=\"reference\"><line x1=\"\(SVGChart.n(px(1)))\" x2=\"\(SVGChart.n(px(1)))\" y1=\"\(SVGChart.n(top - 6))\" y2=\"\(SVGChart.n(bottom))\"/></g>\n"
        let colour = SVGChart.colours[0]
        for (i, row) in rows.enumerated() {
            let y = top + (Double(i) + 0.5) * rowHeight
            out += "<g class=\"row\"><text x=\"\(SVGChart.n(left - 10))\" y=\"\(SVGChart.n(y + 4))\" text-anchor=\"end\">\(SVGChart.escape(row.label))</text>"
            let (x1, x2) = (px(row.lower), px(row.upper))
            out += "<line x1=\"\(SVGChart.n(x1))\" x2=\"\(SVGChart.n(x2))\" y1=\"\(SVGChart.n(y))\" y2=\"\(SVGChart.n(y))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            if Foundation.log10(row.lower) < low {
                out += "<path d=\"M\(SVGChart.n(x1 + 6)) \(SVGChart.n(y - 4)) L\(SVGChart.n(x1)) \(SVGChart.n(y)) L\(SVGChart.n(x1 + 6)) \(SVGChart.n(y + 4))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            if Foundation.log10(row.upper) > low + span {
                out += "<path d=\"M\(SVGChart.n(x2 - 6)) \(SVGChart.n(y - 4)) L\(SVGChart.n(x2)) \(SVGChart.n(y)) L\(SVGChart.n(x2 - 6)) \(SVGChart.n(y + 4))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            let x = px(row.ratio)
            out += "<rect x=\"\(SVGChart.n(x - 5))\" y=\"\(SVGChart.n(y - 5))\" width=\"10\" height=\"10\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(SVGChart.n(left + plotWidth + 10))\" y=\"\(SVGChart.n(y + 4))\">\(SVGChart.escape("\(text(row.ratio)) (\(text(row.lower)) – \(text(row.upper)))"))</text></g>\n"
        }
        out += "</svg>"
        return out
    }
}
