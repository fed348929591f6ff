import Foundation
import Yams

/// Reads experiment configs (YAML, or JSON) into a validated ``ExperimentConfig``.
///
/// Every problem of a file is collected and thrown together as a ``ConfigError``; each names
/// the file, line, column and key path, what was expected and what was found.
public enum ConfigLoader {
    /// Response models of config v1.
    public static let models = ResponseModel.Kind.allCases.map(\.rawValue)
    /// Parameters of each model.
    static let modelParameters = Dictionary(uniqueKeysWithValues: ResponseModel.Kind.allCases.map { ($0.rawValue, $0.parameters) })
    /// Keys that modify any model.
    static let modifierKeys = ["multiplier", "diurnal", "bumps"]
    static let namePattern = "`[a-z0-9][a-z0-9_-]*`"

    /// Loads the config at `path`.
    /// - Throws: ``ConfigError`` listing every problem, or one issue when the file cannot be read.
    public static func load(path: String, overrides: [Override] = [], purpose: Purpose = .simulation) throws(ConfigError) -> LoadedConfig {
        if let problem = TypedValue.identifierProblem(in: (path as NSString).lastPathComponent) {
            // The path is stored with every run: a file named after a person stays on their disk.
            throw ConfigError(issues: [ConfigIssue(file: TypedValue.fileName(path), line: 1, column: 1, path: "",
                                                   message: "the config's file name \(problem); it is stored with every run, so rename the file")])
        }
        var info = stat()
        func refuse(_ message: String) -> ConfigError {
            ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: message)])
        }
        guard stat(path, &info) == 0 else {
            throw refuse(errno == ENOENT ? "cannot read the file: no such file; expected an experiment config (YAML or JSON)" : "cannot read the file (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw refuse("is a folder, not a config file")
        default: throw refuse("is not a regular file (a device, FIFO or socket); expected an experiment config file")
        }
        if info.st_size == 0 { throw refuse("the file is empty; expected an experiment config (see `version`, `name`, `arms`)") }
        let data: Data
        do {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if size > maximumBytes {
                throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "the file has \(size) bytes; a config may have at most \(maximumBytes)")])
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "cannot read the file (\(Self.reason(error)))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(issues: [ConfigIssue(file: path, line: 1, column: 1, path: "", message: "the file is not UTF-8 text")])
        }
        return try load(text: text, file: path, overrides: overrides, purpose: purpose)
    }

    /// What the config is for: simulation needs a `response` in every arm; observed field data
    /// does not.
    public enum Purpose: Sendable {
        case simulation, observation
    }

    /// The largest config accepted, in bytes.
    public static let maximumBytes = 1 << 20
    /// The most segments (stretches between bumps and local-hour changes of `diurnal`) one
    /// posting's intensity may have within the horizon; each is a step of the simulation and of
    /// the expected-count integrals, so more would take hours and gigabytes.
    public static let maximumSegments = 1_000_000
    /// At most this many problems are listed; the count of the rest is given.
    public static let maximumIssues = 100

    /// Loads a config from its text; `file` names it in messages.
    public static func load(text: String, file: String, overrides: [Override] = [], purpose: Purpose = .simulation) throws(ConfigError) -> LoadedConfig {
        guard text.utf8.count <= maximumBytes else {
            throw ConfigError(issues: [ConfigIssue(file: file, line: 1, column: 1, path: "", message: "the text has \(text.utf8.count) bytes; a config may have at most \(maximumBytes)")])
        }
        let reader = NodeReader(file: file)
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(issues: [syntaxIssue(error, file: file)])
        }
        guard let composed else {
            throw ConfigError(issues: [ConfigIssue(file: file, line: 1, column: 1, path: "", message: "the file is empty; expected an experiment config (see `version`, `name`, `arms`)")])
        }
        if let issue = identifierInComment(text, file: file) { throw ConfigError(issues: [issue]) }
        var applier = OverrideApplier(overrides: overrides, fileLineCount: text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let root = applier.apply(to: composed)
        reader.typedFromLine = applier.firstLine
        guard applier.issues.isEmpty else { throw ConfigError(issues: applier.issues) }
        let config = readExperiment(root, reader, responseRequired: purpose == .simulation)
        guard reader.issues.isEmpty, let config else {
            var sorted = reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }.map(applier.translate)
            if sorted.count > maximumIssues {
                let rest = sorted.count - maximumIssues
                sorted = Array(sorted.prefix(maximumIssues))
                sorted.append(ConfigIssue(file: file, line: sorted.last!.line, column: 1, path: "", message: "… and \(rest) more problems"))
            }
            throw ConfigError(issues: sorted)
        }
        return LoadedConfig(config: config, text: text, overrides: overrides)
    }

    /// A comment of the config that could hold a contact identifier: the config's text is stored
    /// with every run, comments included.
    static func identifierInComment(_ text: String, file: String) -> ConfigIssue? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var previous: Character = " "
            var quote: Character?
            for (offset, character) in line.enumerated() {
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    if previous == " " || previous == ":" || previous == "[" || previous == "{" || previous == "," || offset == 0 { quote = character }
                } else if character == "#", previous == " " || previous == "\t" || offset == 0 {
                    let comment = line.dropFirst(offset + 1)
                    if let problem = TypedValue.identifierProblem(in: comment) {
                        return ConfigIssue(file: file, line: index + 1, column: offset + 1, path: "",
                                           message: "the comment \(problem); the config's text is stored with every run, comments included, so it must not hold contact identifiers")
                    }
                    break
                }
                previous = character
            }
        }
        return nil
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }

    static func syntaxIssue(_ error: any Error, file: String) -> ConfigIssue {
        guard let yamlError = error as? YamlError else {
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not valid YAML: \(error)")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            var detail = context.map { "\(problem) \($0.text)" } ?? problem
            if problem.contains("nesting level") { detail = "the document is nested too deeply" }
            return ConfigIssue(file: file, line: mark.line, column: mark.column, path: "", message: "not valid YAML: \(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return ConfigIssue(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                message: "duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping")
        case let .reader(problem, offset, _, _):
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not readable as YAML: \(problem)\(offset.map { " at byte \($0)" } ?? "")")
        default:
            return ConfigIssue(file: file, line: 1, column: 1, path: "", message: "not valid YAML: \(yamlError)")
        }
    }
}
