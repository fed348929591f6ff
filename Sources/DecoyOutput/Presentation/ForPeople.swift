public import DecoyStatistics
import Foundation

/// Numbers as a table for people shows them: durations in the unit that reads best, p-values that
/// never read 0, estimates with sensible digits, and a limit that was never reached said in words.
/// CSV and JSON keep the full numbers (``Value/shown(_:as:)`` carries both).
public enum ForPeople {
    /// `23 s`, `4.5 min`, `3.6 h`, `4.1 d`: three significant digits in the largest unit the
    /// duration reaches (seconds below a minute, minutes below an hour, hours below three days).
    public static func duration(hours: Double?) -> String {
        guard let hours, hours.isFinite else { return "-" }
        let seconds = hours * 3600
        if seconds == 0 { return "0 s" }
        if abs(seconds) < 60 { return "\(digits(seconds, 3)) s" }
        if abs(seconds) < 3600 { return "\(digits(seconds / 60, 3)) min" }
        if abs(hours) < 72 { return "\(digits(hours, 3)) h" }
        return "\(digits(hours / 24, 3)) d"
    }

    /// A confidence limit; `nil` (the curve never falls to the level, so the limit is not
    /// reached within what was observed) reads `not reached`.
    public static func limit(_ value: Double?, digits count: Int = 4, duration: Bool = false) -> String {
        guard let value, value.isFinite else { return "not reached" }
        return duration ? self.duration(hours: value) : digits(value, count)
    }

    /// A Kaplan–Meier median duration and its interval: `23 s` and `4.22 s – 32.2 s`. Of an arm
    /// with postings whose curve never falls to one half, the median is `not reached`, and so is
    /// its interval where neither limit is; an arm without postings has none (`-`).
    public static func median(_ median: Estimate, postings: Int) -> (median: String, interval: String) {
        guard postings > 0 else { return ("-", "-") }
        guard median.value != nil else {
            return ("not reached", median.lower == nil && median.upper == nil ? "not reached" : interval(median))
        }
        return (duration(hours: median.value), interval(median))
        func interval(_ median: Estimate) -> String {
            "\(limit(median.lower, duration: true)) – \(limit(median.upper, duration: true))"
        }
    }

    /// `p = 0.0312`, `p = 2.1e-07`, and `p < 1e-16` where double arithmetic cannot tell p from 0.
    public static func p(_ value: Double?) -> String {
        let shown = pValue(value)
        return shown.hasPrefix("<") ? "p \(shown)" : "p = \(shown)"
    }

    /// A p-value in a column headed `p`: `0.0312`, `2.10e-07`, `< 1e-16`, or `-` where there is none.
    public static func pValue(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        if value < 1e-16 { return "< 1e-16" }
        return digits(value, 3)
    }

    /// A ratio or estimate with its interval: `4012 (988 – 16280)`.
    public static func estimate(_ value: Double?, _ lower: Double?, _ upper: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        return "\(digits(value, 4)) (\(limit(lower)) – \(limit(upper)))"
    }

    /// `count` significant digits without an exponent between 1e-4 and 1e9 (a large number is
    /// rounded to them and shown whole: `16280`, not `1.628e+04`).
    public static func digits(_ value: Double, _ count: Int) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        if magnitude >= 1e9 || (magnitude < 1e-4 && magnitude > 0) { return String(format: "%.\(max(1, count - 1))e", value) }
        if magnitude >= pow(10, Double(count - 1)) {
            let unit = pow(10, floor(log10(magnitude)) - Double(count - 1))
            return String(format: "%.0f", (value / unit).rounded() * unit)
        }
        var text = String(format: "%.\(count)g", value)
        if text.contains("e") { text = String(format: "%.\(max(0, count - 1 - Int(floor(log10(magnitude)))))f", value) }
        return text
    }
}
