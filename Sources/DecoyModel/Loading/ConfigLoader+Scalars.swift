import Foundation
import Yams

/// Scalar values with their units and ranges, and required or optional keys.
extension ConfigLoader {
    static func required<T>(_ f: Fields, _ key: String, _ r: NodeReader, _ expected: String, _ read: (Node, String) -> T?) -> T? {
        guard let node = f[key] else {
            r.report(f.node, f.path(key), "missing required key `\(key)` (\(expected))")
            return nil
        }
        return read(node, f.path(key))
    }

    static func optional<T>(_ f: Fields, _ key: String, default value: T, _ read: (Node, String) -> T?) -> T? {
        guard let node = f[key] else { return value }
        return read(node, f.path(key))
    }

    static func readName(_ node: Node, _ path: String, _ r: NodeReader) -> String? {
        let name = r.value(node, path: path, expected: "a name matching \(namePattern)") { text in
            text.range(of: "^[a-z0-9][a-z0-9_-]{0,63}$", options: .regularExpression) != nil ? text : nil
        }
        if let name, let problem = TypedValue.identifierProblem(in: name) {
            r.report(node, path, "\(problem); names are stored with every run and exported, so they must not hold contact identifiers")
            return nil
        }
        return name
    }

    static func positiveDuration(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let hours = r.value(node, path: path, expected: "a duration such as `45s`, `30m`, `3h` or `2d`") { Units.hours(fromDuration: $0) }
        return r.check(hours, node, path: path, "a duration > 0 and at most 100 years") { $0 > 0 && $0 <= 876_600 }
    }

    static func nonNegativeDuration(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let hours = r.value(node, path: path, expected: "a duration such as `0h`, `30m` or `2h`") { Units.hours(fromDuration: $0) }
        return r.check(hours, node, path: path, "a duration ≥ 0 and at most 100 years") { $0 >= 0 && $0 <= 876_600 }
    }

    static func nonNegativeRate(_ node: Node, _ path: String, _ r: NodeReader) -> Double? {
        let rate = r.value(node, path: path, expected: "a rate such as `120/h`, `2/m` or `0.5/d`") { Units.perHour(fromRate: $0) }
        return r.check(rate, node, path: path, "a rate ≥ 0 and at most 1e9/h") { $0 >= 0 && $0 <= 1e9 }
    }
}
