/// One problem found in a config: where it is, which key, what was expected and what was found.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it; for an issue of a setting (an override), what follows the
    /// setting's name, such as `arms.adult.postings=…`, or nothing.
    public var file: String
    /// The setting the issue came from instead of a file (an override, a sweep's grid).
    public var setting: Setting?
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

    /// An issue of a value given by `setting` rather than read from a file; `key` follows the
    /// setting's name (the override's key, never its value).
    public init(setting: Setting, key: String = "", line: Int = 1, column: Int, path: String, message: String) {
        self.init(file: key, line: line, column: column, path: path, message: message)
        self.setting = setting
    }

    /// The issue with its setting, if any, called by `name`.
    public func written(naming name: (Setting) -> String) -> String {
        let source = setting.map { file.isEmpty ? name($0) : "\(name($0)) \(file)" } ?? file
        return path.isEmpty ? "\(source):\(line):\(column): \(message)" : "\(source):\(line):\(column): \(path): \(message)"
    }

    public var description: String { written { $0.words } }
}

/// Every problem of a rejected config, in document order.
public struct ConfigError: Error, Sendable, Equatable {
    public var issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }
}

extension ConfigError: SettingFailure {
    public func message(naming name: (Setting) -> String) -> String {
        let header = issues.count == 1 ? "invalid config (1 problem)" : "invalid config (\(issues.count) problems)"
        return ([header] + issues.map { "  \($0.written(naming: name))" }).joined(separator: "\n")
    }
}
