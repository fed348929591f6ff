/// One problem found in a config: where it is, which key, what was expected and what was found.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it (or `<--set>` for an override).
    public var file: String
    /// 1-based line of the offending node.
    public var line: Int
    /// 1-based column of the offending node.
    public var column: Int
    /// The key path, such as `arms[0].response.half_life`; empty for the whole document.
    public var path: String
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(path): \(message)"
    }
}

/// Every problem of a rejected config, in document order.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    public var description: String {
        let header = issues.count == 1 ? "invalid config (1 problem)" : "invalid config (\(issues.count) problems)"
        return ([header] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
