import Foundation

/// An instant with the UTC offset it was written with, so that "local time" is defined.
///
/// Stored as whole microseconds since 1970-01-01T00:00:00Z; `utcOffsetSeconds` is the offset of
/// the text it was read from (`+01:00` → 3600).
public struct Timestamp: Sendable, Equatable, Hashable, Codable, Comparable {
    /// Microseconds since the Unix epoch, UTC.
    public var microseconds: Int64
    /// The offset from UTC of the written form, in seconds.
    public var utcOffsetSeconds: Int

    public init(microseconds: Int64, utcOffsetSeconds: Int = 0) {
        self.microseconds = microseconds
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.microseconds < rhs.microseconds }

    /// Parses ISO-8601 `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM|±HHMM)` (`t`, `z` or a space as RFC 3339 allows); an explicit offset is
    /// required. `nil` when the text is not one; ``parse(_:)`` says why.
    public init?(iso8601 text: String) {
        guard case let .success(value) = Self.parse(text) else { return nil }
        self = value
    }

    /// Why a text is not an instant, in words that never repeat the text (it may be a field of a
    /// file that holds contact identifiers).
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Not `YYYY-MM-DDTHH:MM:SS` at all.
        case shape
        /// A date with no time of day.
        case dateOnly
        /// A date and time with nothing after them.
        case noOffset
        /// Something after the time that is not `Z`, `±HH:MM` or `±HHMM`.
        case offset
        /// A fraction of a second finer than a microsecond (a non-zero seventh digit or later).
        case fraction
        /// A month, day, hour, minute or second that does not exist.
        case outOfRange
        /// An instant before 0001-01-01T00:00:00Z or after 9999-12-31T23:59:59.999999Z, which
        /// the store does not hold and ISO-8601 with a 4-digit year cannot write in UTC.
        case beyondRange

        public var description: String {
            switch self {
            case .shape: "expected an ISO-8601 time with its UTC offset such as `2024-03-01T20:15:00+01:00`"
            case .dateOnly: "a date without a time of day: add one and its UTC offset, such as `T20:15:00+01:00`"
            case .noOffset: "no UTC offset: add one such as `+02:00` (or `+0200`), or `Z` for UTC, so the instant is not read in some unknown zone"
            case .offset: "the UTC offset is not `Z`, `±HH:MM` or `±HHMM` (such as `+02:00` or `-0500`)"
            case .fraction: "a fraction of a second finer than a microsecond (more than 6 decimal places that are not all zeros; times are kept to the microsecond)"
            case .outOfRange: "not a date and time that exist (a month, day, hour, minute or second out of range)"
            // No `.999999`: a typed time holds those digits too, and the command line withholds
            // digit runs of a typed value wherever a message repeats them.
            case .beyondRange: "outside the times decoy stores, from 0001-01-01T00:00:00Z to the end of 9999-12-31 in UTC (is the year right?)"
            }
        }
    }

    /// The instant `text` writes, or why it is not one.
    public static func parse(_ text: String) -> Result<Timestamp, Problem> {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= s.count else { return nil }
            var value = 0
            for i in range {
                guard s[i] >= 48, s[i] <= 57 else { return nil }
                value = value * 10 + Int(s[i] - 48)
            }
            return value
        }
        func isDigit(_ i: Int) -> Bool { i < s.count && s[i] >= 48 && s[i] <= 57 }
        guard s.count >= 10, let year = digits(0..<4), s[4] == UInt8(ascii: "-"), let month = digits(5..<7),
              s[7] == UInt8(ascii: "-"), let day = digits(8..<10) else { return .failure(.shape) }
        if s.count == 10 { return .failure(.dateOnly) }
        guard s.count >= 19, s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t") || s[10] == UInt8(ascii: " "),
              let hour = digits(11..<13), s[13] == UInt8(ascii: ":"), let minute = digits(14..<16),
              s[16] == UInt8(ascii: ":"), let second = digits(17..<19)
        else { return .failure(.shape) }
        var index = 19
        var micros = 0
        if index < s.count, s[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 100_000
            let begin = index
            var belowMicro = false
            while isDigit(index) {
                if index - begin < 6 { micros += Int(s[index] - 48) * scale } else if s[index] != UInt8(ascii: "0") { belowMicro = true }
                scale /= 10
                index += 1
            }
            guard index > begin else { return .failure(.shape) }
            // Digits past the sixth are kept only when they are zeros (a nanosecond clock's whole microseconds).
            guard !belowMicro else { return .failure(.fraction) }
        }
        guard index < s.count else { return .failure(.noOffset) }
        var offset = 0
        if s[index] == UInt8(ascii: "Z") || s[index] == UInt8(ascii: "z") {
            index += 1
        } else if s[index] == UInt8(ascii: "+") || s[index] == UInt8(ascii: "-") {
            let sign = s[index] == UInt8(ascii: "-") ? -1 : 1
            // Extended `±HH:MM` or basic `±HHMM` (as R's `%z` and many loggers write it).
            let extended = index + 3 < s.count && s[index + 3] == UInt8(ascii: ":")
            let minutesAt = extended ? index + 4 : index + 3
            guard let oh = digits(index + 1..<index + 3), let om = digits(minutesAt..<minutesAt + 2), oh <= 18, om < 60 else {
                return .failure(.offset)
            }
            offset = sign * (oh * 3600 + om * 60)
            index = minutesAt + 2
        } else {
            return .failure(.offset)
        }
        guard index == s.count else { return .failure(.offset) }
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60 else {
            return .failure(.outOfRange)
        }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let instant = (local - Int64(offset)) * 1_000_000 + Int64(micros)
        guard Timestamp.storable.contains(instant) else { return .failure(.beyondRange) }
        return .success(Timestamp(microseconds: instant, utcOffsetSeconds: offset))
    }

    /// The instants decoy stores, in microseconds since the epoch: 0001-01-01T00:00:00Z to
    /// 9999-12-31T23:59:59.999999Z, those ``utcText`` writes with a 4-digit year.
    public static let storable: ClosedRange<Int64> = -62_135_596_800_000_000...253_402_300_799_999_999

    /// The same instant written in `other`'s offset (a stored instant shown beside one a user
    /// wrote, in the user's zone).
    public func inOffset(of other: Timestamp) -> Timestamp {
        Timestamp(microseconds: microseconds, utcOffsetSeconds: other.utcOffsetSeconds)
    }

    /// This instant shifted by a number of hours, keeping the offset.
    public func adding(hours: Double) -> Timestamp {
        Timestamp(microseconds: microseconds + Units.micros(hours: hours), utcOffsetSeconds: utcOffsetSeconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC.
    public var utcText: String { Timestamp.format(microseconds: microseconds, offset: 0, fraction: true) }

    /// The written form in its own offset, without a fraction when it is zero.
    public var localText: String {
        Timestamp.format(microseconds: microseconds, offset: utcOffsetSeconds, fraction: microseconds % 1_000_000 != 0)
    }

    /// Appends ``utcText`` of many timestamps as bytes, remembering the date of the last one:
    /// the bulk form for exports, where consecutive timestamps mostly share a day.
    public struct UTCWriter: Sendable {
        private var day = Int64.min
        private var datePrefix: [UInt8] = []

        public init() {}

        /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` for `microseconds` since the epoch.
        public mutating func append(microseconds: Int64, to out: inout [UInt8]) {
            let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
            let micros = Int(microseconds - seconds * 1_000_000)
            let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
            let secondOfDay = Int(seconds - days * 86_400)
            if days != day {
                day = days
                let text = Timestamp.format(microseconds: days * 86_400_000_000, offset: 0, fraction: false)
                datePrefix = Array(text.utf8.prefix { $0 != UInt8(ascii: "T") }) + [UInt8(ascii: "T")]
            }
            out.append(contentsOf: datePrefix)
            DecimalText.append(secondOfDay / 3600, width: 2, to: &out)
            out.append(UInt8(ascii: ":"))
            DecimalText.append(secondOfDay / 60 % 60, width: 2, to: &out)
            out.append(UInt8(ascii: ":"))
            DecimalText.append(secondOfDay % 60, width: 2, to: &out)
            out.append(UInt8(ascii: "."))
            DecimalText.append(micros, width: 6, to: &out)
            out.append(UInt8(ascii: "Z"))
        }
    }

    static func format(microseconds: Int64, offset: Int, fraction: Bool) -> String {
        let shifted = microseconds + Int64(offset) * 1_000_000
        let seconds = shifted >= 0 ? shifted / 1_000_000 : (shifted - 999_999) / 1_000_000
        let micros = Int(shifted - seconds * 1_000_000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: Int(days))
        func pad(_ v: Int, _ width: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, width - t.count)) + t
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if fraction { text += ".\(pad(micros, 6))" }
        if offset == 0 { return text + "Z" }
        let sign = offset < 0 ? "-" : "+"
        return text + "\(sign)\(pad(abs(offset) / 3600, 2)):\(pad(abs(offset) / 60 % 60, 2))"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of `daysFromCivil` (Hinnant's `civil_from_days`).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
