import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A chart of a page read back as a reader's eye would: its elements as parsed XML, so tests
/// measure what is drawn (positions, stroke patterns, axis labels) rather than trusting the code
/// that drew it.
final class ChartReading: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var parent: Int?
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []

    /// The `<svg>` of `id` in `page`, parsed.
    init(page: String, id: String) throws {
        super.init()
        guard let start = page.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\""),
              let end = page.range(of: "</svg>", range: start.upperBound..<page.endIndex) else { throw Missing(what: "chart \(id)") }
        let parser = XMLParser(data: Data(page[start.lowerBound..<end.upperBound].utf8))
        parser.delegate = self
        guard parser.parse() else { throw Missing(what: "a parse of chart \(id): \(String(describing: parser.parserError))") }
    }

    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { "no \(what)" }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, parent: open.last))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    /// Whether element `index` lies inside a `<g>` of class `group`.
    func inside(_ index: Int, group: String) -> Bool {
        var at = elements[index].parent
        while let i = at {
            if elements[i].name == "g", elements[i].classes.contains(group) { return true }
            at = elements[i].parent
        }
        return false
    }

    /// All the text inside element `index`, its children's included, in order.
    func fullText(_ index: Int) -> String {
        elements[index].text + elements.indices.filter { elements[$0].parent == index }.map(fullText).joined()
    }

    /// One drawn line of a series: its name (its `<title>`), stroke and path.
    struct Series {
        var name: String
        var attributes: [String: String]
        var d: String
    }

    var series: [Series] {
        elements.indices.filter { elements[$0].name == "path" && elements[$0].classes.contains("series") }.map { i in
            let title = elements.indices.first { elements[$0].parent == i && elements[$0].name == "title" }.map { elements[$0].text } ?? ""
            return Series(name: title, attributes: elements[i].attributes, d: elements[i].attributes["d"] ?? "")
        }
    }

    /// The legend's samples: each line's attributes with the name written after it.
    var legend: [(name: String, attributes: [String: String])] {
        let items = elements.indices.filter { inside($0, group: "legend") }
        return zip(items.filter { elements[$0].name == "line" }, items.filter { elements[$0].name == "text" }).map { (elements[$1].text, elements[$0].attributes) }
    }

    /// The plotting area: the x axis runs from `left` to `right` at `bottom`, the y axis from `bottom` up to `top`.
    var plot: (left: Double, right: Double, top: Double, bottom: Double) {
        let lines = elements.indices.filter { inside($0, group: "axis") && elements[$0].name == "line" }.map { elements[$0].attributes }
        func v(_ a: [String: String], _ k: String) -> Double { Double(a[k] ?? "") ?? .nan }
        let xAxis = lines[0], yAxis = lines[1]
        return (v(xAxis, "x1"), v(xAxis, "x2"), v(yAxis, "y1"), v(yAxis, "y2"))
    }

    /// The y axis's tick labels as (value, pixel y): each label is written 4 px below its tick.
    var yTicks: [(value: Double, y: Double)] {
        elements.indices.filter { inside($0, group: "axis") && elements[$0].name == "text" && elements[$0].attributes["text-anchor"] == "end" }
            .compactMap { i in
                guard let value = Double(elements[i].text), let y = Double(elements[i].attributes["y"] ?? "") else { return nil }
                return (value, y - 4)
            }
    }

    /// The value at pixel height `y`, read from the first and last y tick labels (a linear axis).
    func value(atY y: Double) -> Double {
        let ticks = yTicks
        let a = ticks[0], b = ticks[ticks.count - 1]
        return a.value + (y - a.y) / (b.y - a.y) * (b.value - a.value)
    }

    /// The x axis's tick labels, left to right.
    var xTickLabels: [String] {
        elements.indices.filter { inside($0, group: "axis") && elements[$0].name == "text" && elements[$0].attributes["text-anchor"] == "middle" && !elements[$0].classes.contains("axis-title") }
            .map { elements[$0].text }
    }

    /// The y axis title (its lines joined by a space).
    var yTitle: String {
        elements.indices.first { inside($0, group: "axis") && elements[$0].classes.contains("axis-title") && (elements[$0].attributes["transform"] ?? "").contains("rotate") }
            .map { i in
                let lines = elements.indices.filter { elements[$0].parent == i }.map { elements[$0].text }
                return lines.isEmpty ? elements[i].text : lines.joined(separator: " ")
            } ?? ""
    }

    /// The points of a path made of `M x y`, `L x y`, `H x` and `V y` commands, in order.
    static func points(_ d: String) -> [(x: Double, y: Double)] {
        var points: [(x: Double, y: Double)] = []
        var x = 0.0, y = 0.0
        let scanner = Scanner(string: d)
        scanner.charactersToBeSkipped = .whitespaces
        while let command = scanner.scanCharacter() {
            switch command {
            case "M", "L":
                guard let nx = scanner.scanDouble(), let ny = scanner.scanDouble() else { return points }
                x = nx
                y = ny
            case "H":
                guard let nx = scanner.scanDouble() else { return points }
                x = nx
            case "V":
                guard let ny = scanner.scanDouble() else { return points }
                y = ny
            default: return points
            }
            points.append((x, y))
        }
        return points
    }

    /// The x positions at which a step path drops (its `V` commands).
    static func drops(_ d: String) -> [Double] {
        var drops: [Double] = []
        var x = 0.0
        let scanner = Scanner(string: d)
        scanner.charactersToBeSkipped = .whitespaces
        while let command = scanner.scanCharacter() {
            switch command {
            case "M", "L":
                guard let nx = scanner.scanDouble(), scanner.scanDouble() != nil else { return drops }
                x = nx
            case "H":
                guard let nx = scanner.scanDouble() else { return drops }
                x = nx
            case "V":
                guard scanner.scanDouble() != nil else { return drops }
                drops.append(x)
            default: return drops
            }
        }
        return drops
    }

    /// How a stroke looks, by SVG's definition of `stroke-dasharray` (lengths of dash and gap in
    /// turn; an odd list is repeated): solid without one; dotted when every dash is no longer than
    /// the line is wide (round or butt caps make each a dot); dashed otherwise.
    static func look(_ attributes: [String: String]) -> String {
        guard let pattern = attributes["stroke-dasharray"], !pattern.isEmpty else { return "solid" }
        var lengths = pattern.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
        if lengths.count % 2 == 1 { lengths += lengths }
        let width = Double(attributes["stroke-width"] ?? "1") ?? 1
        let dashes = lengths.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        return dashes.allSatisfy { $0 <= width } ? "dotted" : "dashed"
    }
}
