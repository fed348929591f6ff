import Testing
@testable import DecoyModel

@Suite struct UnitsTests {
    @Test(arguments: [("45s", 0.0125), ("30m", 0.5), ("3h", 3.0), ("2d", 48.0), ("1.5h", 1.5), ("0h", 0.0), ("1e1h", 10.0)])
    func durationsConvertToHours(text: String, hours: Double) {
        #expect(Units.hours(fromDuration: text) == hours)
    }

    @Test(arguments: ["3", "h", "3 hours", "-1h", "nanh", "infh", "3H", "3hh", "0x10h", ""])
    func malformedDurationsAreRejected(text: String) {
        #expect(Units.hours(fromDuration: text) == nil)
    }

    @Test(arguments: [("120/h", 120.0), ("2/m", 120.0), ("0.5/d", 0.5 / 24), ("1/s", 3600.0)])
    func ratesConvertToPerHour(text: String, perHour: Double) {
        #expect(Units.perHour(fromRate: text) == perHour)
    }

    @Test(arguments: ["120", "120/hour", "/h", "1/2/h", "-3/h", "nan/h"])
    func malformedRatesAreRejected(text: String) {
        #expect(Units.perHour(fromRate: text) == nil)
    }

    @Test(arguments: [0.1, 1.0 / 3, 72.0, 1e-9, 123456.789])
    func canonicalTextReadsBackExactly(value: Double) {
        #expect(Units.hours(fromDuration: Units.durationText(hours: value)) == value)
        #expect(Units.perHour(fromRate: Units.rateText(perHour: value)) == value)
    }
}

@Suite struct TimestampTests {
    /// Epoch values from `date -u -d '2016-11-04T08:00:00Z' +%s` and friends.
    @Test(arguments: [
        ("2016-11-04T09:00:00+01:00", Int64(1_478_246_400_000_000), 3600),
        ("1970-01-01T00:00:00Z", 0, 0),
        ("2000-02-29T23:59:59.5-05:30", 951_888_599_500_000, -19_800),
        ("1969-12-31T23:59:59Z", -1_000_000, 0),
        // ISO 8601's basic offset, as R's format(x, "%z") writes it. Python 3.11 reads the same
        // instants: datetime.fromisoformat("2016-11-04T09:00:00+0100").timestamp() == 1478246400,
        // and "2000-02-29T23:59:59.5-0530" gives 951888599.5 with utcoffset -19800 s.
        ("2016-11-04T09:00:00+0100", 1_478_246_400_000_000, 3600),
        ("2000-02-29T23:59:59.5-0530", 951_888_599_500_000, -19_800),
        // The first and last instants decoy stores, and one whose local year is 0000.
        ("0001-01-01T00:00:00Z", -62_135_596_800_000_000, 0), ("9999-12-31T23:59:59.999999Z", 253_402_300_799_999_999, 0),
        ("0000-12-31T23:00:00-02:00", -62_135_593_200_000_000, -7200),
        // Nanoseconds that are whole microseconds (as nanosecond clocks write them) lose nothing.
        // RFC 3339 allows lower-case `t` and `z`.
        ("2016-11-04t08:00:00z", 1_478_246_400_000_000, 0),
        ("1970-01-01T00:00:00.123456000Z", 123_456, 0), ("1970-01-01T00:00:00.5000000+00:00", 500_000, 0),
    ])
    func parsesInstantsWithTheirOffset(text: String, micros: Int64, offset: Int) throws {
        let t = try #require(Timestamp(iso8601: text))
        #expect(t.microseconds == micros)
        #expect(t.utcOffsetSeconds == offset)
        #expect(Timestamp(iso8601: t.localText) == t)
        #expect(Timestamp(iso8601: t.utcText)?.microseconds == micros)
    }

    @Test(arguments: [
        ("2016-11-04T09:00:00", Timestamp.Problem.noOffset), ("2016-11-04T09:00:00.25", .noOffset),
        ("2016-02-30T00:00:00Z", .outOfRange), ("2016-11-04T24:00:00Z", .outOfRange),
        ("2016-11-04", .dateOnly), ("2016-11-04T09:00:00+1:00", .offset), ("2016-11-04T09:00:00+01", .offset),
        ("2016-11-04T09:00:00+01:00:00", .offset), ("2016-11-04T09:00:00 CET", .offset),
        ("2016-11-04T09:00:00.1234567Z", .fraction), ("2016-11-04T09:00:00.123456001Z", .fraction), ("x", .shape), ("04/11/2016 09:00", .shape),
        // Instants the store cannot hold (before year 1 or after 9999 in UTC), however written.
        ("0000-12-31T23:30:00Z", .beyondRange), ("0001-01-01T00:30:00+01:00", .beyondRange), ("9999-12-31T23:30:00-01:00", .beyondRange),
    ])
    func rejectsMalformedOrOffsetlessTimesSayingWhy(text: String, problem: Timestamp.Problem) {
        #expect(Timestamp(iso8601: text) == nil)
        #expect(Timestamp.parse(text) == .failure(problem), "\(text)")
        // The message says what is wrong without repeating the text.
        #expect(text.count < 4 || !problem.description.contains(text))
    }

    @Test func formatsUTCWithMicroseconds() {
        #expect(Timestamp(microseconds: 1_478_246_400_000_001).utcText == "2016-11-04T08:00:00.000001Z")
    }
}

@Suite struct SuggestionTests {
    @Test func closestKeyWithinAFewEdits() {
        #expect(Suggestion.closest(to: "inital", among: ["initial", "half_life", "baseline"]) == "initial")
        #expect(Suggestion.closest(to: "halflife", among: ["initial", "half_life", "baseline"]) == "half_life")
        #expect(Suggestion.closest(to: "colour", among: ["initial", "half_life", "baseline"]) == nil)
    }

    @Test func transpositionCountsAsOneEdit() {
        #expect(Suggestion.editDistance("rtae", "rate") == 1)
        #expect(Suggestion.editDistance("", "abc") == 3)
    }
}
