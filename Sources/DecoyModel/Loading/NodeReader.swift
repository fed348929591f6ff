import Yams

/// Walks a composed YAML tree, reading typed values and collecting every problem with its place.
///
/// Reading never stops at the first problem: each accessor records a ``ConfigIssue`` and
/// returns `nil`, so one pass reports all errors of a file.
final class NodeReader {
    let file: String
    private(set) var issues: [ConfigIssue] = []

    /// Nodes from this line on hold values typed on the command line (`--set`, `--seed`), which
    /// messages describe by their length only.
    var typedFromLine = Int.max

    init(file: String) { self.file = file }

    /// How `raw`, the text of `node`, appears in a message: quoted, unless it was typed on the
    /// command line or could hold a contact identifier.
    func shown(_ raw: String, of node: Node?) -> String {
        if (node?.mark?.line ?? 0) >= typedFromLine || TypedValue.identifierProblem(in: raw) != nil
            || raw.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            return TypedValue.described(raw)
        }
        return "`\(Self.clip(raw))`"
    }

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

    /// Text stored with every run and exported (a description, a name, an attribute's value):
    /// refused, without repeating it, when it could hold a contact identifier or holds a
    /// control or bidirectional-override character; a label (`formula: true`) also when a
    /// spreadsheet would read it as a formula.
    func storedText(_ node: Node, path: String, expected: String, label: Bool = false) -> String? {
        guard let text = text(node, path: path, expected: expected) else { return nil }
        if let problem = Self.storedTextProblem(text, label: label) {
            report(node, path, problem)
            return nil
        }
        return text
    }

    /// Why `text` may not be stored, or `nil`.
    static func storedTextProblem(_ text: String, label: Bool) -> String? {
        if let problem = TypedValue.identifierProblem(in: text) {
            return "\(problem); a config is stored with every run and exported, so it must not hold contact identifiers"
        }
        for scalar in text.unicodeScalars {
            let allowed: Set<Unicode.Scalar> = label ? [] : ["\n", "\t"]
            if scalar.properties.isBidiControl || (scalar.properties.generalCategory == .control && !allowed.contains(scalar)) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "contains the control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex); expected printable text"
            }
        }
        if label, let problem = TypedValue.formulaProblem(text) { return problem }
        return nil
    }

    /// A scalar converted by `parse`, with `expected` naming the accepted form in the message.
    func value<T>(_ node: Node, path: String, expected: String, _ parse: (String) -> T?) -> T? {
        guard let raw = text(node, path: path, expected: expected) else { return nil }
        guard let parsed = parse(raw) else {
            report(node, path, "expected \(expected), found \(shown(raw, of: node))")
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
            let typed = (node?.mark?.line ?? 0) >= typedFromLine || TypedValue.identifierProblem(in: shown) != nil
            report(node, path, "expected \(requirement), found \(typed ? "another value" : shown)")
            return nil
        }
        return value
    }

    func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(scalar): return scalar.string.isEmpty ? "an empty value" : shown(scalar.string, of: node)
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
