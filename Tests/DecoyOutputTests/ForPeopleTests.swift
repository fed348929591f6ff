@testable import DecoyOutput
import DecoyStatistics
import Testing

/// The forms a table for people uses, worked by hand.
@Suite struct ForPeopleTests {
    @Test(arguments: [
        (0.006379, "23 s"),        // 0.006379 h × 3600 = 22.96 s
        (0.075, "4.5 min"),       // 270 s
        (3.6233839465641076, "3.62 h"),
        (48.0, "48 h"),
        (72.0, "3 d"),
        (100.0, "4.17 d"),
        (0.0, "0 s"),
    ])
    func durationsReadInTheirUnit(hours: Double, text: String) {
        #expect(ForPeople.duration(hours: hours) == text)
    }

    @Test func pNeverReadsZero() {
        #expect(ForPeople.p(0) == "p < 1e-16")
        #expect(ForPeople.p(3e-17) == "p < 1e-16")
        #expect(ForPeople.p(2.1e-7) == "p = 2.10e-07")
        #expect(ForPeople.p(0.03124) == "p = 0.0312")
        #expect(ForPeople.p(nil) == "p = -")
        #expect(ForPeople.pValue(0) == "< 1e-16" && ForPeople.pValue(0.03124) == "0.0312" && ForPeople.pValue(nil) == "-")
    }

    @Test func ratiosHaveSensibleDigitsAndMissingLimitsAreSaid() {
        #expect(ForPeople.estimate(4012.3, 987.6, 16_282.4) == "4012 (987.6 – 16280)")
        #expect(ForPeople.estimate(1.333, 0.52, nil) == "1.333 (0.52 – not reached)")
        #expect(ForPeople.limit(nil, duration: true) == "not reached")
        #expect(ForPeople.digits(0.000123456, 4) == "0.0001235")
        #expect(ForPeople.digits(2.5e10, 4) == "2.500e+10")
    }

    /// A median time to first contact: a duration with its interval; `not reached` where the
    /// curve never falls to one half (an arm nobody contacted); `-` for an arm without postings.
    @Test func mediansSayWhenTheyAreNotReached() {
        #expect(ForPeople.median(Estimate(0.006379, lower: 0.001172, upper: 0.008944), postings: 10) == ("23 s", "4.22 s – 32.2 s"))
        #expect(ForPeople.median(Estimate(nil, lower: nil, upper: nil), postings: 10) == ("not reached", "not reached"))
        #expect(ForPeople.median(Estimate(nil, lower: 30, upper: nil), postings: 10) == ("not reached", "30 h – not reached"))
        #expect(ForPeople.median(Estimate(2, lower: 1, upper: nil), postings: 10) == ("2 h", "1 h – not reached"))
        #expect(ForPeople.median(Estimate(nil, lower: nil, upper: nil), postings: 0) == ("-", "-"))
        // R's `survfit` gives median NA, LCL 3, UCL NA for one first contact at 3 h among three ads
        // observed 10 h (see ComparisonCommandTests).
        #expect(ForPeople.median(Estimate(nil, lower: 3, upper: nil), postings: 3) == ("not reached", "3 h – not reached"))
        #expect(ForPeople.median(Estimate(0.006379, lower: 0.0026139794444444446, upper: 0.012956066944444445), postings: 10).interval == "9.41 s – 46.6 s")
    }
}
