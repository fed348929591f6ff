import Foundation
import Yams

/// One `--set KEY=VALUE` override of a config key.
///
/// Keys are dotted paths of config keys; list items of `arms` and `populations` are addressed by
/// their `name` (`arms.adult.response.initial`), other lists by 0-based index
/// (`arms.adult.response.steps.1.rate`). The value is read as YAML (`200/h`, `7`,
/// `{ call: 1 }`). Unknown keys are reported like typos in a file, with a suggestion.
public struct Override: Sendable, Equatable, CustomStringConvertible {
    /// The key path segments.
    public var path: [String]
    /// The value's text.
    public var value: String
    /// The setting it came from, for messages (an override, a sweep's grid, the seed).
    public var origin: Setting = .overrides

    /// Parses `KEY=VALUE`; `nil` when there is no `=` or the key is empty.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = text[..<equals].trimmingCharacters(in: .whitespaces)
        let segments = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !key.isEmpty, segments.allSatisfy({ !$0.isEmpty }) else { return nil }
        path = segments
        value = String(text[text.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
    }

    public init(path: [String], value: String, origin: Setting = .overrides) {
        self.path = path
        self.value = value
        self.origin = origin
    }

    public var key: String { path.joined(separator: ".") }

    public var description: String { "\(key)=\(value)" }
}

/// Applies overrides to a composed YAML tree before it is read, giving every node an override
/// creates a position on a line past the end of the file, so that issues found while reading
/// can be traced back to the override.
struct OverrideApplier {
    let overrides: [Override]
    /// The first line number used for overrides; override k lives on line `firstLine + k`.
    let firstLine: Int
    private(set) var issues: [ConfigIssue] = []

    init(overrides: [Override], fileLineCount: Int) {
        self.overrides = overrides
        self.firstLine = fileLineCount + 2
    }

    /// An issue of override `k`, reported under its setting and key.
    func issue(_ k: Int, column: Int, path: String, message: String) -> ConfigIssue {
        // The key, not the value: a value typed on the command line is never repeated.
        ConfigIssue(setting: overrides[k].origin, key: overrides[k].origin == .overrides ? "\(overrides[k].key)=…" : "",
                    column: column, path: path, message: message)
    }

    /// Applies every override in order.
    mutating func apply(to root: Node) -> Node {
        var root = root
        for (k, override) in overrides.enumerated() {
            let line = firstLine + k
            let valueColumn = override.key.count + 2
            let valueNode: Node
            do {
                guard let composed = try Yams.compose(yaml: override.value.isEmpty ? "\"\"" : override.value) else {
                    issues.append(issue(k, column: valueColumn, path: override.key, message: "expected a value after `=`"))
                    continue
                }
                valueNode = Self.relocate(composed, to: Self.mark(line: line, column: valueColumn))
            } catch {
                issues.append(issue(k, column: valueColumn, path: override.key, message: "the value is not valid YAML"))
                continue
            }
            if let updated = set(valueNode, at: override.path[...], in: root, walked: [], k: k, line: line) {
                root = updated
            }
        }
        return root
    }

    /// Moves issues located on override lines to the override they came from.
    func translate(_ issue: ConfigIssue) -> ConfigIssue {
        let k = issue.line - firstLine
        guard k >= 0, k < overrides.count else { return issue }
        return self.issue(k, column: issue.column, path: issue.path, message: issue.message)
    }

    private mutating func set(_ value: Node, at path: ArraySlice<String>, in node: Node, walked: [String], k: Int, line: Int) -> Node? {
        guard let segment = path.first else { return value }
        let column = walked.reduce(1) { $0 + $1.count + 1 }
        switch node {
        case let .mapping(map):
            var pairs = Array(map)
            if let index = pairs.firstIndex(where: { $0.key.scalar?.string == segment }) {
                guard let child = set(value, at: path.dropFirst(), in: pairs[index].value, walked: walked + [segment], k: k, line: line) else { return nil }
                pairs[index] = (pairs[index].key, child)
            } else {
                let mark = Self.mark(line: line, column: column)
                let empty = Node.mapping(Node.Mapping([], .implicit, .any, mark))
                guard let child = set(value, at: path.dropFirst(), in: path.count > 1 ? empty : value, walked: walked + [segment], k: k, line: line) else { return nil }
                pairs.append((Node.scalar(Node.Scalar(segment, .implicit, .any, mark)), child))
            }
            return .mapping(Node.Mapping(pairs.map { ($0.key, $0.value) }, map.tag, map.style, map.mark))
        case let .sequence(sequence):
            var items = Array(sequence)
            let named = walked.last == "arms" || walked.last == "populations"
            let index: Int?
            if named {
                index = items.firstIndex { $0.mapping?["name"]?.scalar?.string == segment }
                if index == nil {
                    let names = items.compactMap { $0.mapping?["name"]?.scalar?.string }
                    let hint = Suggestion.closest(to: segment, among: names).map { "; did you mean `\($0)`?" }
                        ?? "; \(walked.last!) are addressed by name: \(names.map { "`\($0)`" }.joined(separator: ", "))"
                    issues.append(issue(k, column: column, path: (walked + [segment]).joined(separator: "."),
                                              message: "no \(walked.last == "arms" ? "arm" : "population") named `\(segment)`\(hint)"))
                    return nil
                }
            } else if let position = Int(segment), position >= 0, position < items.count {
                index = position
            } else {
                issues.append(issue(k, column: column, path: (walked + [segment]).joined(separator: "."),
                                          message: "expected a list index from 0 to \(items.count - 1), found `\(segment)`"))
                return nil
            }
            guard let index, let child = set(value, at: path.dropFirst(), in: items[index], walked: walked + [segment], k: k, line: line) else { return nil }
            items[index] = child
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        default:
            issues.append(issue(k, column: column, path: (walked + [segment]).joined(separator: "."),
                                      message: "`\(walked.joined(separator: "."))` is a single value, not a group of keys"))
            return nil
        }
    }

    /// A YAML position; Yams makes marks only while parsing, so one is parsed into being.
    static func mark(line: Int, column: Int) -> Mark? {
        let text = String(repeating: "\n", count: max(0, line - 1)) + String(repeating: " ", count: max(0, column - 1)) + "x"
        return (try? Yams.compose(yaml: text))?.mark
    }

    /// The same tree with every position set to `mark`.
    static func relocate(_ node: Node, to mark: Mark?) -> Node {
        switch node {
        case let .scalar(scalar):
            return .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style, mark))
        case let .mapping(map):
            return .mapping(Node.Mapping(map.map { (relocate($0.key, to: mark), relocate($0.value, to: mark)) }, map.tag, map.style, mark))
        case let .sequence(sequence):
            return .sequence(Node.Sequence(sequence.map { relocate($0, to: mark) }, sequence.tag, sequence.style, mark))
        case .alias:
            return node
        }
    }
}
