public import Foundation

/// One row problem of an observed-data file.
public struct RowIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// What is wrong, naming any setting that would fix it.
    public var text: SettingText
    /// The posting a postings row defines, when the row is refused (never shown: it matches the
    /// events rows that fail only because of it).
    public var posting: String?
    /// The row fails only because of an earlier problem (its posting was refused): counted, not
    /// listed as a cause.
    public var consequence = false
    /// The posting the row meant to define is unknown: the row could not be read at all (invalid
    /// UTF-8, a quote left open, a line too long) or names none (an empty `posting` field, a row
    /// of a single field), so it may have been any.
    public var unreadable = false

    public init(file: String, line: Int, message: SettingText) {
        self.file = file
        self.line = line
        self.text = message
    }

    /// What is wrong, settings in plain words.
    public var message: String { text.words }

    /// The issue with each setting called by `name`.
    public func written(naming name: (Setting) -> String) -> String { "\(file):\(line): \(text.written(naming: name))" }

    public var description: String { written { $0.words } }
}

/// Every problem of a rejected import, causes first, up to a limit, how many there were in all,
/// and how many rows failed only because of them.
public struct ImportError: SettingFailure, Sendable {
    public var exitStatus: ExitStatus { .failure }
    public static let reportLimit = 50
    /// The causes listed (at most ``reportLimit``), in the order given.
    public var issues: [RowIssue]
    /// The causes in all.
    public var total: Int
    /// Rows that fail only because of a cause (an events row of a refused posting), per file.
    public var consequences: [(file: String, rows: Int)]

    public init(issues: [RowIssue]) {
        let causes = issues.filter { !$0.consequence }
        total = causes.count
        self.issues = Array(causes.prefix(Self.reportLimit))
        var counts: [(file: String, rows: Int)] = []
        for issue in issues where issue.consequence {
            if let k = counts.firstIndex(where: { $0.file == issue.file }) { counts[k].rows += 1 } else { counts.append((issue.file, 1)) }
        }
        consequences = counts
    }

    public func message(naming name: (Setting) -> String) -> String {
        var lines = ["nothing imported: \(total) problem\(total == 1 ? "" : "s") in the input"]
        lines += issues.map { "  \($0.written(naming: name))" }
        if total > issues.count { lines.append("  … and \(total - issues.count) more") }
        for (file, rows) in consequences {
            lines.append("  and \(rows) row\(rows == 1 ? "" : "s") of \(file) that name\(rows == 1 ? "s" : "") a posting refused above (not listed: \(rows == 1 ? "it fails" : "they fail") only because of it)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Postings a postings file defined but that were refused, so that events rows naming them are
/// counted as consequences rather than reported as unknown postings.
public enum RefusedPostings: Sendable, Equatable {
    /// These labels.
    case labels(Set<String>)
    /// Every posting the file meant to define (its header or its bytes were refused).
    case every

    func covers(_ label: String) -> Bool {
        switch self {
        case let .labels(labels): labels.contains(label)
        case .every: true
        }
    }

    /// The postings refused by `issues` of a postings file: every posting not found when the
    /// header or any row could not be read or names no posting (that row may have defined it).
    public init(_ issues: [RowIssue]) {
        if issues.contains(where: { ($0.line <= 1 && $0.posting == nil) || $0.unreadable }) {
            self = .every
        } else {
            self = .labels(Set(issues.compactMap(\.posting)))
        }
    }
}

/// A posting of a field replication, as read from the postings file or found in the run.
public struct ObservedPosting: Sendable, Equatable {
    /// Position of the arm in the config.
    public var arm: Int
    /// The team's name for the ad.
    public var label: String
    public var postedAt: Timestamp
    /// When recording stopped (the ad was taken down), if before the horizon.
    public var endedAt: Timestamp?
    /// The line of the postings file it was read from (0 when it comes from the database).
    public var line: Int
    /// Its own attributes (the file's `attr_<name>` columns), by name without the prefix.
    public var attributes: [String: String]

    public init(arm: Int, label: String, postedAt: Timestamp, endedAt: Timestamp?, line: Int = 0, attributes: [String: String] = [:]) {
        self.line = line
        self.attributes = attributes
        self.arm = arm
        self.label = label
        self.postedAt = postedAt
        self.endedAt = endedAt
    }

    /// End of the observation window in microseconds after going live: the horizon, or earlier end.
    public func windowMicros(horizonHours: Double) -> Int64 {
        let horizon = Units.micros(hours: horizonHours)
        guard let endedAt else { return horizon }
        return min(horizon, endedAt.microseconds - postedAt.microseconds)
    }
}

/// A contact of a field replication.
public struct ObservedContact: Sendable, Equatable, Hashable {
    public var posting: String
    public var at: Timestamp
    public var channel: String
    /// The keyed pseudonym of the contact identifier, if one was given.
    public var pseudonym: String?

    public init(posting: String, at: Timestamp, channel: String, pseudonym: String?) {
        self.posting = posting
        self.at = at
        self.channel = channel
        self.pseudonym = pseudonym
    }
}

/// Reads and checks the observed-input CSV files of docs/field-data.md against an experiment.
public enum ObservedData {
    public static let postingColumns = ["arm", "posting", "posted_at", "ended_at"]
    public static let eventColumns = ["posting", "at", "channel", "contact"]

    /// The prefix of a postings file's attribute columns.
    public static let attributePrefix = "attr_"
    /// Covariate names an attribute cannot take: those every run offers.
    /// Covariate names an attribute cannot take: those every run offers, and the columns of the
    /// intervals export beside which attributes are written.
    public static let reservedAttributeNames: Set<String> = [
        "arm", "posted_hour", "posted_weekday", "posting", "name", "replicate", "start", "stop", "event",
    ]
    /// The most attribute columns a postings file may have.
    public static let maximumAttributeColumns = 1_000

    /// Postings from `arm,posting,posted_at[,ended_at][,attr_<name>…]`, checked against the config's arms.
    public static func postings(_ data: Data, file: String, config: ExperimentConfig) -> ([ObservedPosting], [RowIssue]) {
        let table = CSVTable(data: data)
        var issues = table.problems.map { problem in
            var issue = RowIssue(file: file, line: problem.line, message: SettingText(problem.message))
            issue.unreadable = true
            return issue
        }
        let attributeStart = table.header.count > 3 && table.header[3] == "ended_at" ? 4 : 3
        let attributeNames = table.header.count > attributeStart ? checkAttributeHeader(
            Array(table.header[attributeStart...]), first: attributeStart, file: file, config: config, issues: &issues) : []
        guard let attributeNames else { return ([], issues) }
        var base = table
        base.header = Array(table.header.prefix(attributeStart))
        guard checkHeader(base, file: file, required: 3, columns: postingColumns, issues: &issues) else { return ([], issues) }
        var result: [ObservedPosting] = []
        var seen: [String: Int] = [:]
        let armNames = config.arms.map(\.name)
        for row in table.rows {
            // Every issue of the row names the posting it defines, so its events rows are known
            // to fail only because of it; a row naming none may have defined any.
            let before = issues.count
            let label = row.fields.count > 1 ? row.fields[1].trimmingCharacters(in: padding) : ""
            defer {
                for k in before..<issues.count {
                    if label.isEmpty { issues[k].unreadable = true } else { issues[k].posting = label }
                }
            }
            guard row.fields.count == table.header.count else {
                issues.append(RowIssue(file: file, line: row.line, message: "expected \(table.header.count) fields (\(table.header.joined(separator: ","))), found \(row.fields.count)"))
                continue
            }
            let f = row.fields.map { $0.trimmingCharacters(in: padding) }
            var ok = true
            let arm = armNames.firstIndex(of: f[0])
            if arm == nil {
                let hint = Suggestion.closest(to: f[0], among: armNames).map { "; did you mean `\($0)`?" } ?? "; the config's arms: \(armNames.joined(separator: ", "))"
                issues.append(RowIssue(file: file, line: row.line, message: "arm: expected an arm of the config, found \(unquoted(f[0]))\(hint)"))
                ok = false
            }
            if f[1].isEmpty {
                issues.append(RowIssue(file: file, line: row.line, message: "posting: expected a name for the ad, found an empty field"))
                ok = false
            } else if let problem = labelProblem(f[1]) {
                issues.append(RowIssue(file: file, line: row.line, message: "posting: the name \(problem)"))
                ok = false
            } else if let first = seen[f[1]] {
                issues.append(RowIssue(file: file, line: row.line, message: "posting: the name is already on line \(first)"))
                ok = false
            } else {
                seen[f[1]] = row.line
            }
            var posted: Timestamp?
            switch Timestamp.parse(f[2]) {
            case let .success(value): posted = value
            case let .failure(problem):
                issues.append(RowIssue(file: file, line: row.line, message: "posted_at: \(problem)"))
                ok = false
            }
            var ended: Timestamp?
            if attributeStart == 4, !f[3].isEmpty {
                switch Timestamp.parse(f[3]) {
                case let .success(value): ended = value
                case let .failure(problem):
                    issues.append(RowIssue(file: file, line: row.line, message: "ended_at: \(problem) (or leave it empty: the ad stayed up)"))
                    ok = false
                }
                if let posted, let e = ended, e < posted {
                    issues.append(RowIssue(file: file, line: row.line, message: "ended_at: \(e.localText) is before posted_at \(posted.localText)"))
                    ok = false
                }
            }
            var attributes: [String: String] = [:]
            for (k, name) in attributeNames.enumerated() {
                let value = f[attributeStart + k]
                if let problem = attributeValueProblem(value) {
                    issues.append(RowIssue(file: file, line: row.line, message: "\(attributePrefix)\(name): \(problem)"))
                    ok = false
                } else {
                    attributes[name] = value
                }
            }
            if ok, let arm, let posted {
                result.append(ObservedPosting(arm: arm, label: f[1], postedAt: posted, endedAt: ended, line: row.line, attributes: attributes))
            }
        }
        return (result, issues)
    }

    /// Contacts from `posting,at,channel[,contact]`, checked against the known postings.
    ///
    /// A contact identifier is pseudonymised at once and never kept or echoed; with identifiers in
    /// the file and no pseudonymizer, the import is refused unless `dropContacts`.
    public static func contacts(
        _ data: Data, file: String, config: ExperimentConfig, postings: [String: ObservedPosting],
        pseudonymizer: Pseudonymizer?, dropContacts: Bool, refused: RefusedPostings = .labels([])
    ) -> ([ObservedContact], [RowIssue]) {
        let table = CSVTable(data: data)
        var issues = table.problems.map { RowIssue(file: file, line: $0.line, message: SettingText($0.message)) }
        guard checkHeader(table, file: file, required: 3, columns: eventColumns, issues: &issues) else { return ([], issues) }
        var result: [ObservedContact] = []
        var refusedIdentifiers = false
        let labels = Array(postings.keys).sorted()
        for row in table.rows {
            guard row.fields.count == table.header.count else {
                issues.append(RowIssue(file: file, line: row.line, message: "expected \(table.header.count) fields (\(table.header.joined(separator: ","))), found \(row.fields.count)"))
                continue
            }
            let f = row.fields.map { $0.trimmingCharacters(in: padding) }
            var pseudonym: String?
            if f.count > 3, !f[3].isEmpty, !dropContacts {
                if let pseudonymizer {
                    pseudonym = pseudonymizer.pseudonym(of: f[3])
                    if pseudonym == nil {
                        issues.append(RowIssue(file: file, line: row.line, message: "contact: the identifier is empty once normalised"))
                        continue
                    }
                } else if !refusedIdentifiers {
                    refusedIdentifiers = true
                    issues.append(RowIssue(file: file, line: row.line, message: "contact: identifiers are given but no pseudonym key (set \(Setting.pseudonymKey), or choose \(Setting.withoutContacts) to drop them); raw identifiers are never stored"))
                    continue
                } else {
                    continue
                }
            }
            if postings[f[0]] == nil, refused.covers(f[0]) {
                // A row wrong in itself is a cause; one that fails only by its posting is counted.
                if let own = ownProblem(at: f[1], channel: f[2]) {
                    issues.append(RowIssue(file: file, line: row.line, message: SettingText(own)))
                } else {
                    var issue = RowIssue(file: file, line: row.line, message: "posting: refused in the postings file")
                    issue.consequence = true
                    issues.append(issue)
                }
                continue
            }
            // Rows of this file may hold a contact identifier in any column when they are malformed,
            // so its messages never quote what they found.
            let contact = check(posting: f[0], at: f[1], channel: f[2], pseudonym: pseudonym, config: config, postings: postings, labels: labels)
            switch contact {
            case let .success(value): result.append(value)
            case let .failure(problem): issues.append(RowIssue(file: file, line: row.line, message: SettingText(problem.message)))
            }
        }
        return (result, issues)
    }

    /// Checks one contact: known posting, valid instant inside its observation window, channel.
    /// Messages describe a bad field without repeating it: it may hold a contact identifier.
    public static func check(
        posting: String, at text: String, channel: String, pseudonym: String?, config: ExperimentConfig,
        postings: [String: ObservedPosting], labels: [String]? = nil
    ) -> Result<ObservedContact, RowProblem> {
        guard let target = postings[posting] else {
            let names = labels ?? Array(postings.keys).sorted()
            let hint = Suggestion.closest(to: posting, among: names).map { "; did you mean `\($0)`?" } ?? (names.isEmpty ? "; no postings are known yet" : "")
            return .failure(RowProblem(.posting, "unknown posting (not a name in the postings file or the run)\(hint)"))
        }
        let at: Timestamp
        switch Timestamp.parse(text) {
        case let .success(value): at = value
        case let .failure(problem): return .failure(RowProblem(.at, "\(problem)"))
        }
        // Times are shown in the offset the row was written in.
        if at < target.postedAt {
            return .failure(RowProblem(.at, "\(at.localText) is before the posting went live at \(target.postedAt.inOffset(of: at).localText)"))
        }
        let end = target.postedAt.microseconds + target.windowMicros(horizonHours: config.horizon)
        if at.microseconds > end {
            let ended = Timestamp(microseconds: end).inOffset(of: at)
            return .failure(RowProblem(.at, "\(at.localText) is after the end of the posting's observation window (\(ended.localText))"))
        }
        let arm = config.arms[target.arm]
        if let problem = channelLabelProblem(channel) { return .failure(RowProblem(.channel, problem)) }
        if arm.channelsDeclared, !arm.channels.contains(where: { $0.name == channel }) {
            let names = arm.channels.map(\.name)
            let hint = Suggestion.closest(to: channel, among: names).map { "; did you mean `\($0)`?" } ?? "; arm `\(arm.name)` lists \(names.joined(separator: ", "))"
            return .failure(RowProblem(.channel, "not a channel of arm `\(arm.name)`\(hint)"))
        }
        return .success(ObservedContact(posting: posting, at: at, channel: channel, pseudonym: pseudonym))
    }

    /// What is wrong with a row's instant or channel whatever its posting: the problems an events
    /// row of a refused posting still has once the posting is fixed. Never repeats a field.
    static func ownProblem(at text: String, channel: String) -> String? {
        if case let .failure(problem) = Timestamp.parse(text) { return "at: \(problem)" }
        return channelProblem(channel)
    }

    /// Why a channel label is refused before any arm is asked: empty, or not a valid name.
    static func channelProblem(_ channel: String) -> String? {
        channelLabelProblem(channel).map { "channel: \($0)" }
    }

    /// What is wrong with a channel label, without the column's name.
    static func channelLabelProblem(_ channel: String) -> String? {
        if channel.isEmpty { return "expected a channel label, found an empty field" }
        return labelProblem(channel).map { "the label \($0)" }
    }

    /// The names of a postings file's attribute columns (after `ended_at`), or `nil` with the
    /// issues found: each must be `attr_` and a name of lowercase letters, digits and `_`, met
    /// once, neither reserved nor an attribute the config gives the arms. Column names are
    /// never quoted (a swapped file's first line holds data).
    static func checkAttributeHeader(_ columns: [String], first: Int, file: String, config: ExperimentConfig, issues: inout [RowIssue]) -> [String]? {
        var names: [String] = []
        let armAttributes = Set(config.arms.flatMap { $0.attributes.keys })
        let before = issues.count
        guard columns.count <= maximumAttributeColumns else {
            issues.append(RowIssue(file: file, line: 1, message: "expected at most \(maximumAttributeColumns) attribute columns, found \(columns.count)"))
            return nil
        }
        for (k, column) in columns.enumerated() {
            let position = "column \(first + k + 1) of the header"
            guard column.hasPrefix(attributePrefix) else {
                issues.append(RowIssue(file: file, line: 1, message: "\(position): expected `ended_at` or an attribute column `attr_<name>`, found a name that is neither"))
                continue
            }
            let name = String(column.dropFirst(attributePrefix.count))
            guard let head = name.utf8.first, (97...122).contains(head), name.utf8.count <= 64,
                  name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }) else {
                issues.append(RowIssue(file: file, line: 1, message: "\(position): an attribute name after `attr_` must start with a lowercase letter and hold only lowercase letters, digits and `_` (at most 64)"))
                continue
            }
            if reservedAttributeNames.contains(name) {
                issues.append(RowIssue(file: file, line: 1, message: "\(position): `\(name)` is a covariate every run has or a column of the intervals export; name the attribute otherwise"))
            } else if armAttributes.contains(name) {
                issues.append(RowIssue(file: file, line: 1, message: "\(position): `\(name)` is already an attribute of the config's arms; name the posting's attribute otherwise"))
            } else if names.contains(name) {
                issues.append(RowIssue(file: file, line: 1, message: "\(position): attribute `\(name)` is named twice"))
            } else {
                names.append(name)
            }
        }
        return issues.count == before ? names : nil
    }

    /// Why an attribute value cannot be stored: empty, not a finite number where it spells one
    /// (`inf`, `nan`, `1e999`), or a contact identifier. The value is never quoted.
    static func attributeValueProblem(_ value: String) -> String? {
        if value.isEmpty { return "expected a value (a number or a label), found an empty field" }
        let lowered = value.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
        if ["inf", "infinity", "nan"].contains(lowered) { return "expected a finite number or a label, found a non-finite number" }
        if value.utf8.allSatisfy({ (48...57).contains($0) || [43, 45, 46, 69, 101].contains($0) }), let number = Double(value), !number.isFinite {
            return "expected a finite number, found one beyond the range of a double"
        }
        if value.utf8.count > 200 { return "expected a value of at most 200 bytes, found \(value.utf8.count)" }
        // A number with a decimal point or an exponent is a measurement, not a phone number; a
        // whole number is one when it has 9 digits or more, or a `+` before 6 or more.
        let numberBytes = value.utf8.allSatisfy { (48...57).contains($0) || [43, 45, 46, 69, 101].contains($0) }
        if numberBytes, let number = Double(value), number.isFinite {
            let digits = value.utf8.filter { (48...57).contains($0) }.count
            let dots = value.utf8.filter { $0 == 46 }.count
            let exponent = value.utf8.contains { $0 == 69 || $0 == 101 }
            if dots == 1 || exponent { return nil }
            if dots == 0, digits < 9, !(value.hasPrefix("+") && digits >= 6) { return nil }
            return "the value looks like a phone number; attribute values must not hold contact identifiers"
        }
        return labelProblem(value).map { "the value \($0)" }
    }

    static func checkHeader(_ table: CSVTable, file: String, required: Int, columns: [String], issues: inout [RowIssue]) -> Bool {
        let expected = Array(columns.prefix(required))
        let optional = Array(columns.prefix(required + 1))
        let header = table.header
        if header == expected || header == optional { return true }
        // A file refused as a whole (UTF-16) has said why at its first line already.
        if header.isEmpty, table.rows.isEmpty, table.problems.contains(where: { $0.line == 1 }) { return false }
        let message: String
        // Another separator: the expected columns first, whatever follows (a separator after the
        // last, a column more).
        let separated = { (separator: Character) in
            header.count == 1 && Array(header[0].split(separator: separator, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: padding) }.prefix(expected.count)) == expected
        }
        if separated(";") {
            message = "the file looks semicolon-separated (as spreadsheets in some locales save CSV); save it with commas between fields"
        } else if separated("\t") {
            message = "the file looks tab-separated (as spreadsheets save text files); save it as CSV, with commas between fields"
        } else if header.count >= expected.count, header.count <= optional.count,
                  let k = header.indices.first(where: { header[$0] != optional[$0] }) {
            // A renamed column: name the one expected and, if it is a plain word, the one found
            // (the first line may be a data row holding an identifier, which is never repeated).
            let found = Self.isPlainWord(header[k]) ? "`\(header[k])`" : "a field of \(header[k].count) characters"
            message = "column \(k + 1) of the header: expected `\(optional[k])`, found \(found); the header is `\(expected.joined(separator: ","))` or `\(optional.joined(separator: ","))`"
        } else if header.count > optional.count, Array(header.prefix(optional.count)) == optional {
            // The whole header and a column more (notes kept beside the log).
            let extra = header[optional.count]
            let found = Self.isPlainWord(extra) ? "`\(extra)`" : "a field of \(extra.count) characters"
            message = "column \(optional.count + 1) of the header: expected no column after `\(optional.last!)`, found \(found); the header is `\(expected.joined(separator: ","))` or `\(optional.joined(separator: ","))`"
        } else if let last = header.last, header.count < expected.count, header == Array(expected.prefix(header.count)) {
            message = "the header has no column `\(expected[header.count])` after `\(last)`; the header is `\(expected.joined(separator: ","))` or `\(optional.joined(separator: ","))`"
        } else {
            // The first line may be a data row (files swapped, header missing): never quote it.
            let found = "a first line of \(header.count) fields that is not it (is the header missing, or are the files swapped?)"
            message = "expected the header `\(expected.joined(separator: ","))` or `\(optional.joined(separator: ","))`, found \(found)"
        }
        issues.append(RowIssue(file: file, line: 1, message: SettingText(message)))
        return false
    }

    /// Letters, `_` and inner spaces only, at most 40: a column name, never an identifier.
    static func isPlainWord(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 40 && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == " " }
            && text.unicodeScalars.first!.properties.isAlphabetic
    }

    /// What is trimmed around a field: spaces and tabs only, so that an invisible character at
    /// either end is seen and refused rather than silently dropped.
    static let padding = CharacterSet(charactersIn: " \t")

    /// A field described without repeating it: it may hold a contact identifier.
    static func unquoted(_ text: String) -> String { "a field of \(text.count) characters that is not one" }

    /// Why a posting or channel name is refused, or `nil` when it is fine: it must be printable
    /// text (no control, format, separator, private-use, unassigned or non-character code point,
    /// which could make two names look or store alike) and must not look like a contact identifier
    /// (a phone number: only digits and `+ ( ) . / -` and spaces with at least 6 digits, or a run
    /// of at least 9 digits among such characters, or `+` followed by 6 digits; an e-mail address).
    /// The message never repeats the name.
    public static func labelProblem(_ label: String) -> String? {
        for scalar in label.unicodeScalars {
            let category = scalar.properties.generalCategory
            if [.control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned].contains(category)
                || scalar.properties.isNoncharacterCodePoint {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                return "contains the control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex); names must be printable text"
            }
        }
        let phone = Set("0123456789+()./- ")
        var runDigits = 0, maxRun = 0, afterPlus = false, plusRun = false
        for character in label {
            if phone.contains(character) {
                if character == "+" { afterPlus = true; runDigits = 0 }
                if character.isNumber { runDigits += 1; maxRun = max(maxRun, runDigits); if afterPlus, runDigits >= 6 { plusRun = true } }
            } else {
                runDigits = 0
                afterPlus = false
            }
        }
        let digits = label.filter(\.isNumber).count
        let onlyPhone = label.allSatisfy { phone.contains($0) }
        if (onlyPhone && digits >= 6) || maxRun >= 9 || plusRun {
            return "looks like a phone number; names must not hold contact identifiers"
        }
        if let at = label.firstIndex(of: "@"), at != label.startIndex, label[label.index(after: at)...].contains(".") {
            return "looks like an e-mail address; names must not hold contact identifiers"
        }
        return TypedValue.formulaProblem(label)
    }
}

/// Why one observed row is refused: the events column at fault and what is wrong with it.
public struct RowProblem: Error, Sendable, Equatable {
    public enum Column: String, Sendable, Equatable { case posting, at, channel }

    public var column: Column
    /// The problem without the column's name.
    public var detail: String

    init(_ column: Column, _ detail: String) {
        self.column = column
        self.detail = detail
    }

    /// As a row of the events file reports it: `at: … is before the posting went live …`.
    public var message: String { "\(column.rawValue): \(detail)" }
}
