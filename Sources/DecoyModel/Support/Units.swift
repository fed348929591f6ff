import Foundation

/// Parsing and formatting of the config's units.
///
/// Durations are written `45s`, `30m`, `3h`, `2d` or with a fraction (`1.5h`); rates are
/// `COUNT/UNIT` (`120/h`, `2/m`, `0.5/d`). Internally every duration is in hours and every
/// rate in events per hour.
public enum Units {
    /// Hours in one unit of each suffix the config accepts.
    static let hoursPerUnit: [(suffix: String, hours: Double)] = [
        ("s", 1.0 / 3600), ("m", 1.0 / 60), ("h", 1), ("d", 24),
    ]

    /// Parses a duration such as `3h` or `1.5d` into hours; `nil` when the text is not one.
    public static func hours(fromDuration text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = hoursPerUnit.first(where: { trimmed.hasSuffix($0.suffix) }) else { return nil }
        guard let count = plainNumber(String(trimmed.dropLast(unit.suffix.count))) else { return nil }
        return count * unit.hours
    }

    /// Parses a rate such as `120/h` into events per hour; `nil` when the text is not one.
    public static func perHour(fromRate text: String) -> Double? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = plainNumber(String(parts[0])) else { return nil }
        guard let unit = hoursPerUnit.first(where: { $0.suffix == parts[1] }) else { return nil }
        return count / unit.hours
    }

    /// A duration in hours written back in the canonical form `<hours>h`, exact on re-parsing.
    public static func durationText(hours: Double) -> String { "\(shortest(hours))h" }

    /// A rate per hour written back in the canonical form `<count>/h`, exact on re-parsing.
    public static func rateText(perHour: Double) -> String { "\(shortest(perHour))/h" }

    /// The shortest decimal text that reads back as exactly `value`, without a trailing `.0`.
    public static func shortest(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A non-negative decimal number: digits, an optional fraction, an optional exponent.
    /// Rejects `nan`, `inf`, hexadecimal and signs so that unit texts stay unambiguous.
    static func plainNumber(_ text: String) -> Double? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({ "0123456789.eE+-".unicodeScalars.contains($0) }),
              let first = text.unicodeScalars.first, CharacterSet.decimalDigits.contains(first) || first == ".",
              let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}
