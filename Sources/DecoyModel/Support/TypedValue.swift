import Foundation

/// How a value someone typed (a flag's value, a positional argument, a field of an input file, a
/// file name) appears in a message: by its length, never by its text.
///
/// A value typed in the wrong place may be a contact identifier (a phone number where a count
/// was expected), and a message is read on screens and pasted into tickets, so every message that
/// refuses a typed value says what was expected and how long the value was. Commands call this
/// for every value they refuse; ``scrubbed(_:typed:)`` is the last line of defence for messages
/// built deeper down.
public enum TypedValue {
    /// `a value of 12 characters` (or `an empty value`), standing for `text` in a message.
    public static func described(_ text: some StringProtocol) -> String {
        if text.isEmpty { return "an empty value" }
        return text.count == 1 ? "a value of 1 character" : "a value of \(text.count) characters"
    }

    /// A file name the user gave, shown as given unless it could hold a contact identifier.
    public static func fileName(_ path: String) -> String {
        path.split(separator: "/").allSatisfy { identifierProblem(in: $0) == nil } ? path : "a file name of \(path.count) characters"
    }

    /// Why free text (a description, a path, a value) holds something that looks like a contact
    /// identifier, or `nil`: a phone number (9 or more digits in a run of digits, spaces and
    /// `+()./-`, or `+` followed by 6 or more digits, except an ISO date such as `2016-11-04`)
    /// or an e-mail address (`name@domain.tld`).
    public static func identifierProblem(in text: some StringProtocol) -> String? {
        let phone = Set("0123456789+()./- ")
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard phone.contains(characters[index]), characters[index] != " " else { index += 1; continue }
            var end = index
            while end < characters.count, phone.contains(characters[end]) { end += 1 }
            defer { index = end }
            // The digits proper (with a leading `+`); digits glued to letters are part of a word
            // such as a hash or a UUID (`D498821171CA`), not a number written for people.
            guard let first = characters[index..<end].firstIndex(where: { $0.isNumber || $0 == "+" }),
                  let last = characters[index..<end].lastIndex(where: \.isNumber) else { continue }
            // A `+` and its digits after letters (`anna+447700900960`) is still a phone number.
            if first > 0, characters[first - 1].isLetter, characters[first] != "+" { continue }
            if last + 1 < characters.count, characters[last + 1].isLetter { continue }
            if phoneLike(String(characters[first...last])) { return "looks like it holds a phone number" }
        }
        if emailLike(text) { return "looks like it holds an e-mail address" }
        return nil
    }

    /// A message with every identifier-like value of `typed` (and each run of 6 or more digits
    /// in it) replaced by its length: messages built below the command (a count parsed from text,
    /// a name looked up) must not repeat a phone number the user typed in the wrong place.
    public static func scrubbed(_ message: String, typed: [String]) -> String {
        var secrets: [String] = []
        for argument in typed {
            var parts = [argument]
            parts += argument.split(whereSeparator: { ",=:;/".contains($0) }).map(String.init)
            parts += argument.split(whereSeparator: { ",=:;/ ".contains($0) }).map(String.init)
            for part in parts where identifierProblem(in: part) != nil || ObservedData.labelProblem(part).map(Self.namesAnIdentifier) == true {
                secrets.append(part)
                var digits = ""
                for character in part + " " {
                    if character.isASCII, character.isNumber { digits.append(character); continue }
                    if digits.count >= 6 { secrets.append(digits) }
                    digits = ""
                }
            }
        }
        var result = message
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "(\(described(secret)), not repeated here)")
        }
        return result
    }

    /// Why a label would be read as a formula by a spreadsheet opening the CSV it is exported to
    /// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a number), or `nil`.
    public static func formulaProblem(_ label: String) -> String? {
        guard let first = label.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return nil }
        if let number = Double(label), number.isFinite { return nil }
        return "begins with `=`, `+`, `-`, `@`, a tab or a carriage return, which a spreadsheet opening the exported CSV would run as a formula; labels must not"
    }

    private static func namesAnIdentifier(_ problem: String) -> Bool {
        problem.contains("phone number") || problem.contains("e-mail address")
    }

    private static func phoneLike(_ run: String) -> Bool {
        // An ISO date, optionally with an hour: `2016-11-04`, `2016-11-04 09`.
        if run.range(of: #"^\d{4}-\d{2}-\d{2}( \d{1,2})?$"#, options: .regularExpression) != nil { return false }
        let digits = run.filter(\.isNumber).count
        if digits >= 9 { return true }
        if let plus = run.firstIndex(of: "+") {
            var count = 0
            for character in run[run.index(after: plus)...] {
                if character.isNumber { count += 1 } else if !" ()./-".contains(character) { break }
            }
            if count >= 6 { return true }
        }
        return false
    }

    private static func emailLike(_ text: some StringProtocol) -> Bool {
        String(text).range(of: #"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}"#, options: .regularExpression) != nil
    }
}
