extension JSONValue {
    /// The value as a block of YAML that reads back to it, as a config writes it: objects in block
    /// style (`key: value`, two spaces a level), lists of scalars in flow style (`[0.3, 0.2]`),
    /// lists of objects as `- key: value` items. Keys are written plain (config keys are
    /// snake_case); a string is written plain where YAML would read it back as the same string
    /// (`120/h`, `3.6h`, `exponential-decay`), else double-quoted with JSON's escapes, which YAML's
    /// double-quoted style reads alike. No line ends with a line break.
    public var yaml: String { yamlLines(indent: 0).joined(separator: "\n") }

    /// The lines of the value under a key at `indent` spaces (objects and lists of objects), or one
    /// line holding the whole value (scalars and lists of scalars).
    func yamlLines(indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case let .object(pairs):
            guard !pairs.isEmpty else { return [pad + "{}"] }
            return pairs.flatMap { key, value -> [String] in
                if value.isYAMLBlock {
                    return [pad + JSONValue.yamlKey(key) + ":"] + value.yamlLines(indent: indent + 2)
                }
                return [pad + JSONValue.yamlKey(key) + ": " + value.yamlInline]
            }
        case let .array(items) where isYAMLBlock:
            return items.flatMap { item -> [String] in
                guard item.isYAMLBlock else { return [pad + "- " + item.yamlInline] }
                // The item's first line after the dash, the rest indented to match it.
                var lines = item.yamlLines(indent: indent + 2)
                lines[0] = pad + "- " + lines[0].dropFirst(indent + 2)
                return lines
            }
        default:
            return [pad + yamlInline]
        }
    }

    /// Whether the value takes lines of its own: a non-empty object, or a list holding one.
    var isYAMLBlock: Bool {
        switch self {
        case let .object(pairs): return !pairs.isEmpty
        case let .array(items): return items.contains(where: \.isYAMLBlock)
        default: return false
        }
    }

    /// The value on one line, in flow style.
    var yamlInline: String {
        switch self {
        case let .string(text): return JSONValue.yamlScalar(text)
        case let .array(items): return "[" + items.map(\.yamlInline).joined(separator: ", ") + "]"
        case let .object(pairs):
            return "{" + pairs.map { "\(JSONValue.yamlKey($0.0)): \($0.1.yamlInline)" }.joined(separator: ", ") + "}"
        default: return compact
        }
    }

    static func yamlKey(_ key: String) -> String {
        key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) && !key.isEmpty
            ? key : yamlQuoted(key)
    }

    /// A string plain where that reads back as the same string, else quoted.
    static func yamlScalar(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-".unicodeScalars.contains($0)
        }
        // Plain only where no YAML reading makes it a number, a boolean, a null, a date or a time
        // (YAML 1.1 reads `1_000` as a number, so an underscore is quoted too).
        guard safe, let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first),
              Double(text) == nil, Int(text) == nil,
              !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased()),
              !text.hasPrefix("0x"), !text.hasPrefix("0o"), !text.contains("_"), !isSexagesimalOrDate(text)
        else { return yamlQuoted(text) }
        return text
    }

    /// Digits and dashes like a date (`2016-11-04`) or digits with colons, which YAML 1.1 reads as
    /// other types: quoted to be safe.
    static func isSexagesimalOrDate(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "-" || $0 == "." } && text.contains("-")
    }

    static func yamlQuoted(_ text: String) -> String {
        var out = ""
        writeString(text, to: &out)
        return out
    }
}

extension ResponseSpec {
    /// The response as a config writes it, every default filled in: `response:` and its keys
    /// indented by two spaces, durations in hours and rates per hour as in the resolved config.
    public var configYAML: String {
        "response:\n" + resolvedJSON.yamlLines(indent: 2).joined(separator: "\n")
    }
}
