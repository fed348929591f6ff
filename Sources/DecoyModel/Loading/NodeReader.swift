import Yams

/// Walks a composed YAML tree, reading typed values and collecting every problem with its place.
///
/// Reading never stops at the first problem: each accessor records a ``ConfigIssue`` and
/// returns `nil`, so one pass reports all errors of a file.
final class NodeReader {
    let file: String
    private(set) var issues: [ConfigIssue] = []

    init(file: String) { self.file = file }

    func report(_ node: Node?, _ path: String, _ message: String) {
        let mark = node?.mark
        issues.append(ConfigIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message))
    }

    /// The fields of a mapping node, after checking that every key is one of `keys`.
    ///
    /// Unknown keys are reported with the closest known key as a suggestion; `explain` may
    /// give a more specific message for a key that is known elsewhere (a parameter of another model).
    func mapping(
        _ node: Node, path: String, keys: [String], explain: (String) -> String? = { _ in nil }
    ) -> Fields? {
        guard case let .mapping(map) = node else {
            report(node, path, "expected a mapping of keys (\(keys.prefix(4).map { "`\($0)`" }.joined(separator: ", "))…), found \(describe(node))")
            return nil
        }
        var fields = Fields(node: node, path: path)
        for (keyNode, value) in map {
            guard case let .scalar(scalar) = keyNode else {
                report(keyNode, path, "expected a plain key, found \(describe(keyNode))")
                continue
            }
            let key = scalar.string
            let keyPath = Fields.join(path, key)
            if keys.contains(key) {
                fields.entries[key] = (keyNode, value)
            } else if let explanation = explain(key) {
                report(keyNode, keyPath, explanation)
            } else if let suggestion = Suggestion.closest(to: key, among: keys) {
                report(keyNode, keyPath, "unknown key; did you mean `\(suggestion)`?")
            } else {
                report(keyNode, keyPath, "unknown key; expected one of \(keys.map { "`\($0)`" }.joined(separator: ", "))")
            }
        }
        return fields
    }

    /// The elements of a sequence node, each with its indexed path.
    func sequence(_ node: Node, path: String, of what: String) -> [(node: Node, path: String)]? {
        guard case let .sequence(seq) = node else {
            report(node, path, "expected a list of \(what), found \(describe(node))")
            return nil
        }
        return seq.enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
    }

    /// The text of a scalar node.
    func text(_ node: Node, path: String, expected: String) -> String? {
        guard case let .scalar(scalar) = node else {
            report(node, path, "expected \(expected), found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// A scalar converted by `parse`, with `expected` naming the accepted form in the message.
    func value<T>(_ node: Node, path: String, expected: String, _ parse: (String) -> T?) -> T? {
        guard let raw = text(node, path: path, expected: expected) else { return nil }
        guard let parsed = parse(raw) else {
            report(node, path, "expected \(expected), found `\(Self.clip(raw))`")
            return nil
        }
        return parsed
    }

    /// Checks a parsed value against a condition, reporting `requirement` when it fails.
    func check<T>(_ value: T?, _ node: Node?, path: String, _ requirement: String, _ condition: (T) -> Bool) -> T? {
        guard let value else { return nil }
        guard condition(value) else {
            let shown: String
            if let number = value as? Double { shown = Units.shortest(number) } else { shown = "\(value)" }
            report(node, path, "expected \(requirement), found \(shown)")
            return nil
        }
        return value
    }

    func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): return scalar.string.isEmpty ? "an empty value" : "`\(Self.clip(scalar.string))`"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func clip(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(57)) + "..." : text
    }
}

/// The known keys of one mapping, with their nodes, and the path to it.
struct Fields {
    let node: Node
    let path: String
    var entries: [String: (key: Node, value: Node)] = [:]

    init(node: Node, path: String) {
        self.node = node
        self.path = path
    }

    subscript(key: String) -> Node? { entries[key]?.value }

    func path(_ key: String) -> String { Fields.join(path, key) }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}
