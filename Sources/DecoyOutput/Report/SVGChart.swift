import Foundation

/// A chart drawn as inline SVG: lines or steps with interval ribbons or error bars, reference
/// lines, censoring marks and an optional number-at-risk table drawn in the same SVG on the same
/// x positions as the axis ticks (so it can never drift from the axis).
///
/// Series are told apart by line style as well as colour (Okabe and Ito's colour-blind-safe
/// palette); the chart carries `<title>` and `<desc>` text alternatives. Every text is escaped.
struct SVGChart {
    struct Series {
        var name: String
        var x: [Double]
        var y: [Double?]
        var lower: [Double?] = []
        var upper: [Double?] = []
        /// Right-continuous steps (each value holds until the next x, the last until `stepEnd`).
        var step = false
        var stepEnd: Double?
        /// Intervals as vertical bars at each point instead of a ribbon.
        var errorBars = false
        /// Markers at each point (circles).
        var markers = false
        /// Positions of censoring marks (small vertical ticks on the line).
        var censored: [(x: Double, y: Double)] = []
        /// Style index: colour and dash pattern; the same index gives the same look.
        var style: Int
        /// A model's expected curve: drawn dotted (``expectationDash``, round dots) in the style's
        /// colour, whatever the style's own pattern.
        var expectation = false

        /// The stroke pattern of the line and its legend sample (empty: solid).
        var dash: String { expectation ? SVGChart.expectationDash : SVGChart.dashes[style % SVGChart.dashes.count] }
    }

    /// How positions along the x axis are computed.
    enum XScale {
        case linear
        /// Logarithmic, for hours: ticks at round durations (1 s, 10 s, 1 min, 10 min, 1 h, 10 h, …)
        /// labelled as durations; values below the domain are drawn at its left edge.
        case logHours
    }

    struct ReferenceLine {
        var y: Double
        var label: String
    }

    var id: String
    var title: String
    var description: String
    var xTitle: String
    var yTitle: String
    var series: [Series]
    var references: [ReferenceLine] = []
    var xDomain: ClosedRange<Double>?
    var yDomain: ClosedRange<Double>?
    /// Rows of counts at the x ticks (name, count at each tick), drawn under the axis.
    var atRisk: [(name: String, style: Int, counts: [Int])]? = nil
    /// Integer x ticks only (postings).
    var integerTicks = false
    var xScale = XScale.linear
    /// Where set (and without `yDomain`), interval bands are cut at this multiple of the largest
    /// estimate drawn, so that one arm's wide band cannot squash another arm's curve; the y axis
    /// then ends there (``bandCeiling``).
    var bandLimit: Double?
    /// Height of the plotting area in px.
    var plotHeight = 250.0

    static let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    /// Each style's pattern: solid, or dashes at least twice the line's width (2 px) long, so
    /// that no style looks like the dotted expectation.
    static let dashes = ["", "8 4", "5 3", "10 3 2 3", "16 4", "10 3 2 3 2 3", "14 3 5 3"]
    /// A model's expected curve: dots (dashes of 0.5 px, which round caps make 2.5 px dots) 5 px apart.
    static let expectationDash = "0.5 5"
    /// The width of every series line and legend sample, in px.
    static let lineWidth = 2.0

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func n(_ v: Double) -> String { String(format: "%.2f", v) }

    /// About five round ticks covering the range.
    static func ticks(_ range: ClosedRange<Double>, integer: Bool = false) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        var step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        if integer { step = max(1, step.rounded(.up)) }
        var ticks: [Double] = []
        var t = (range.lowerBound / step).rounded(.up) * step
        while t <= range.upperBound + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return ticks
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e7 { return String(Int(v)) }
        return String(format: "%g", v)
    }

    /// The round durations a logarithmic axis of hours is ticked at, with their labels.
    static let durationTicks: [(hours: Double, label: String)] = [
        (1.0 / 3600, "1 s"), (10.0 / 3600, "10 s"), (1.0 / 60, "1 min"), (10.0 / 60, "10 min"), (1, "1 h"), (10, "10 h"),
        (100, "100 h"), (1000, "1000 h"), (10000, "10000 h"),
    ]

    /// Ticks of a logarithmic axis of hours: the round durations in the range, and its end when
    /// that is well past the last of them (a 48 h horizon gets a tick at 48 h).
    static func logHourTicks(_ range: ClosedRange<Double>) -> [Double] {
        var ticks = durationTicks.map(\.hours).filter { $0 >= range.lowerBound * (1 - 1e-9) && $0 <= range.upperBound * (1 + 1e-9) }
        if let last = ticks.last, range.upperBound > last * 1.5 { ticks.append(range.upperBound) }
        return ticks
    }

    /// A duration tick's label: its round name, or hours to three significant digits.
    static func hourLabel(_ hours: Double) -> String {
        if let tick = durationTicks.first(where: { abs($0.hours - hours) <= $0.hours * 1e-9 }) { return tick.label }
        return "\(String(format: "%.3g", hours)) h"
    }

    /// The lower end of a logarithmic axis of hours for data whose smallest positive time is
    /// `smallest`: the round duration at or below it, at least 1 s.
    static func logHourStart(smallest: Double) -> Double {
        durationTicks.last { $0.hours <= smallest * (1 + 1e-9) }?.hours ?? durationTicks[0].hours
    }

    /// The x range drawn: `xDomain`, or the data's.
    var xRange: ClosedRange<Double> {
        let xs = series.flatMap(\.x) + series.compactMap(\.stepEnd)
        return xDomain ?? ((xs.min() ?? 0)...(max(xs.max() ?? 1, (xs.min() ?? 0) + 1e-9)))
    }

    /// Whether the x axis is drawn logarithmic: asked for, and the range is positive.
    var logX: Bool { xScale == .logHours && xRange.lowerBound > 0 && xRange.upperBound > xRange.lowerBound }

    /// The y range drawn and, where bands were cut, the value they were cut at.
    var yLayout: (range: ClosedRange<Double>, ceiling: Double?) {
        if let yDomain { return (yDomain, nil) }
        let estimates = series.flatMap { $0.y.compactMap { $0 } }.filter(\.isFinite)
        let ys = estimates + series.flatMap { s in s.upper.compactMap { $0 } + s.lower.compactMap { $0 } }.filter(\.isFinite) + references.map(\.y)
        let bottom = min(0, ys.min() ?? 0)
        if let bandLimit, let top = estimates.max(), top > 0, let highest = ys.max(), highest > top * bandLimit {
            return (bottom...(top * bandLimit), top * bandLimit)
        }
        let range = bottom...max(ys.max() ?? 1, 1e-9)
        return (range.upperBound > range.lowerBound ? range.lowerBound...(range.upperBound * 1.05) : range, nil)
    }

    /// The value interval bands were cut at, or `nil` when every band fits (see ``bandLimit``).
    var bandCeiling: Double? { yLayout.ceiling }

    func svg() -> String {
        // Room on the left for the number-at-risk row names, so they never touch the first count.
        let longest = Double(atRisk?.map(\.name.count).max() ?? 0)
        let width = 720.0, left = max(72.0, 30 + 7 * longest), right = 20.0, top = 40.0, plotHeight = self.plotHeight
        let riskRowHeight = 16.0
        let riskHeight = atRisk.map { 28 + Double($0.count) * riskRowHeight } ?? 0
        let height = top + plotHeight + 48 + riskHeight
        let plotWidth = width - left - right
        let xRange = self.xRange, logX = self.logX
        let yRange = yLayout.range
        func px(_ x: Double) -> Double {
            guard logX else { return left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth }
            let clamped = min(max(x, xRange.lowerBound), xRange.upperBound)
            return left + log(clamped / xRange.lowerBound) / log(xRange.upperBound / xRange.lowerBound) * plotWidth
        }
        func py(_ y: Double) -> Double {
            let clamped = min(max(y, yRange.lowerBound), yRange.upperBound)
            return top + plotHeight - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * plotHeight
        }
        let titleID = "\(id)-title", descID = "\(id)-desc"
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" role=\"img\" aria-labelledby=\"\(titleID) \(descID)\">\n"
        out += "<title id=\"\(titleID)\">\(Self.escape(title))</title>\n<desc id=\"\(descID)\">\(Self.escape(description))</desc>\n"
        // Grid and axes.
        let xTicks = self.xTicks, yTicks = Self.ticks(yRange)
        out += "<g class=\"grid\">"
        for t in yTicks { out += "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left + plotWidth))\" y1=\"\(Self.n(py(t)))\" y2=\"\(Self.n(py(t)))\"/>" }
        out += "</g>\n<g class=\"axis\">"
        out += "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left + plotWidth))\" y1=\"\(Self.n(top + plotHeight))\" y2=\"\(Self.n(top + plotHeight))\"/>"
        out += "<line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left))\" y1=\"\(Self.n(top))\" y2=\"\(Self.n(top + plotHeight))\"/>"
        for t in xTicks {
            out += "<line x1=\"\(Self.n(px(t)))\" x2=\"\(Self.n(px(t)))\" y1=\"\(Self.n(top + plotHeight))\" y2=\"\(Self.n(top + plotHeight + 5))\"/>"
            out += "<text x=\"\(Self.n(px(t)))\" y=\"\(Self.n(top + plotHeight + 18))\" text-anchor=\"middle\">\(logX ? Self.hourLabel(t) : Self.label(t))</text>"
        }
        for t in yTicks {
            out += "<text x=\"\(Self.n(left - 6))\" y=\"\(Self.n(py(t) + 4))\" text-anchor=\"end\">\(Self.escape(Self.label(t)))</text>"
        }
        out += "<text class=\"axis-title\" x=\"\(Self.n(left + plotWidth / 2))\" y=\"\(Self.n(top + plotHeight + 38))\" text-anchor=\"middle\">\(Self.escape(xTitle))</text>"
        // A title of two lines (split at a line break) keeps a long one within the plot's height.
        let yLines = yTitle.split(separator: "\n", omittingEmptySubsequences: false)
        out += "<text class=\"axis-title\" transform=\"translate(\(yLines.count > 1 ? 12 : 16) \(Self.n(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">"
        out += yLines.count > 1
            ? yLines.enumerated().map { "<tspan x=\"0\" dy=\"\($0.offset == 0 ? "0" : "14")\">\(Self.escape(String($0.element)))</tspan>" }.joined()
            : Self.escape(yTitle)
        out += "</text>"
        out += "</g>\n"
        // Reference lines.
        for line in references where yRange.contains(line.y) {
            out += "<g class=\"reference\"><line x1=\"\(Self.n(left))\" x2=\"\(Self.n(left + plotWidth))\" y1=\"\(Self.n(py(line.y)))\" y2=\"\(Self.n(py(line.y)))\"/>"
            out += "<text x=\"\(Self.n(left + plotWidth - 4))\" y=\"\(Self.n(py(line.y) - 4))\" text-anchor=\"end\">\(Self.escape(line.label))</text></g>\n"
        }
        // Ribbons first, then lines on top.
        for s in series where !s.lower.isEmpty && !s.errorBars {
            let colour = Self.colours[s.style % Self.colours.count]
            var upperPath: [(Double, Double)] = [], lowerPath: [(Double, Double)] = []
            for i in s.x.indices {
                guard i < s.lower.count, let lo = s.lower[i], let hi = s.upper[i], lo.isFinite, hi.isFinite else { continue }
                let end = s.step ? (i + 1 < s.x.count ? s.x[i + 1] : (s.stepEnd ?? s.x[i])) : s.x[i]
                upperPath.append((px(s.x[i]), py(hi)))
                lowerPath.append((px(s.x[i]), py(lo)))
                if s.step {
                    upperPath.append((px(end), py(hi)))
                    lowerPath.append((px(end), py(lo)))
                }
            }
            guard !upperPath.isEmpty else { continue }
            let points = (upperPath + lowerPath.reversed()).map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
            out += "<polygon class=\"ribbon\" fill=\"\(colour)\" fill-opacity=\"0.18\" stroke=\"none\" points=\"\(points)\"/>\n"
        }
        for s in series {
            let colour = Self.colours[s.style % Self.colours.count]
            let dash = s.dash
            var d = ""
            var open = false
            for i in s.x.indices {
                guard let y = s.y[i], y.isFinite else { open = false; continue }
                let x = px(s.x[i])
                if !open {
                    d += "M\(Self.n(x)) \(Self.n(py(y)))"
                    open = true
                } else if s.step {
                    d += "H\(Self.n(x))V\(Self.n(py(y)))"
                } else {
                    d += "L\(Self.n(x)) \(Self.n(py(y)))"
                }
                if s.step, i == s.x.count - 1, let end = s.stepEnd { d += "H\(Self.n(px(end)))" }
            }
            if !d.isEmpty {
                out += "<path class=\"series\" d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(Self.label(Self.lineWidth))\"\(Self.strokePattern(dash, expectation: s.expectation))><title>\(Self.escape(s.name))</title></path>\n"
            }
            if s.errorBars {
                for i in s.x.indices where i < s.lower.count {
                    guard let lo = s.lower[i], let hi = s.upper[i] else { continue }
                    let x = px(s.x[i])
                    out += "<path class=\"error-bar\" d=\"M\(Self.n(x)) \(Self.n(py(lo)))V\(Self.n(py(hi)))M\(Self.n(x - 4)) \(Self.n(py(lo)))h8M\(Self.n(x - 4)) \(Self.n(py(hi)))h8\" stroke=\"\(colour)\" fill=\"none\"/>"
                }
                out += "\n"
            }
            if s.markers {
                for i in s.x.indices { if let y = s.y[i], y.isFinite { out += "<circle cx=\"\(Self.n(px(s.x[i])))\" cy=\"\(Self.n(py(y)))\" r=\"3.5\" fill=\"\(colour)\"/>" } }
                out += "\n"
            }
            if !s.censored.isEmpty {
                out += "<g class=\"censored\" stroke=\"\(colour)\">"
                for mark in s.censored { out += "<line x1=\"\(Self.n(px(mark.x)))\" x2=\"\(Self.n(px(mark.x)))\" y1=\"\(Self.n(py(mark.y) - 5))\" y2=\"\(Self.n(py(mark.y) + 5))\"/>" }
                out += "</g>\n"
            }
        }
        // Legend: a line sample in each series' style beside its name.
        var legendX = left + 8
        out += "<g class=\"legend\">"
        for s in series {
            let colour = Self.colours[s.style % Self.colours.count]
            out += "<line x1=\"\(Self.n(legendX))\" x2=\"\(Self.n(legendX + 26))\" y1=\"\(Self.n(top - 16))\" y2=\"\(Self.n(top - 16))\" stroke=\"\(colour)\" stroke-width=\"\(Self.label(Self.lineWidth))\"\(Self.strokePattern(s.dash, expectation: s.expectation))/>"
            out += "<text x=\"\(Self.n(legendX + 31))\" y=\"\(Self.n(top - 12))\">\(Self.escape(s.name))</text>"
            legendX += 44 + Double(s.name.count) * 7
        }
        out += "</g>\n"
        // Number at risk, at the x ticks, in the same coordinates.
        if let atRisk {
            let base = top + plotHeight + 58
            out += "<g class=\"at-risk\"><text x=\"\(Self.n(left))\" y=\"\(Self.n(base))\" class=\"axis-title\">Number at risk</text>"
            for (row, entry) in atRisk.enumerated() {
                let y = base + 16 + Double(row) * riskRowHeight
                let colour = Self.colours[entry.style % Self.colours.count]
                out += "<text x=\"\(Self.n(left - 18))\" y=\"\(Self.n(y))\" text-anchor=\"end\" fill=\"\(colour)\">\(Self.escape(entry.name))</text>"
                for (t, count) in zip(xTicks, entry.counts) {
                    out += "<text x=\"\(Self.n(px(t)))\" y=\"\(Self.n(y))\" text-anchor=\"middle\">\(count)</text>"
                }
            }
            out += "</g>\n"
        }
        out += "</svg>"
        return out
    }

    /// The x ticks the chart draws (for the number-at-risk counts).
    var xTicks: [Double] { logX ? Self.logHourTicks(xRange) : Self.ticks(xRange, integer: integerTicks) }

    /// The stroke attributes of a pattern: none for solid; round caps for the expectation's dots.
    static func strokePattern(_ dash: String, expectation: Bool) -> String {
        guard !dash.isEmpty else { return "" }
        return " stroke-dasharray=\"\(dash)\"" + (expectation ? " stroke-linecap=\"round\"" : "")
    }
}
