@testable import DecoyOutput
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
    }

    @Test func ratiosHaveSensibleDigitsAndMissingLimitsAreSaid() {
        #expect(ForPeople.estimate(4012.3, 987.6, 16_282.4) == "4012 (987.6 – 16280)")
        #expect(ForPeople.estimate(1.333, 0.52, nil) == "1.333 (0.52 – not reached)")
        #expect(ForPeople.limit(nil, duration: true) == "not reached")
        #expect(ForPeople.digits(0.000123456, 4) == "0.0001235")
        #expect(ForPeople.digits(2.5e10, 4) == "2.500e+10")
    }

    /// A median the curve never fell to within what was observed reads `not reached`, and its
    /// interval keeps the limit that was reached (R's `survfit` gives median NA, LCL 3, UCL NA for
    /// one first contact at 3 h among three ads observed 10 h; see ComparisonCommandTests).
    @Test func aMedianNotReachedIsSaidAndItsReachedLimitKept() {
        #expect(ForPeople.median(hours: nil) == "not reached")
        #expect(ForPeople.median(hours: 0.006379) == "23 s")
        #expect(ForPeople.interval(hours: 3, nil) == "3 h – not reached")
        #expect(ForPeople.interval(hours: 0.0026139794444444446, 0.012956066944444445) == "9.41 s – 46.6 s")
        #expect(ForPeople.interval(hours: nil, nil) == "not reached – not reached")
    }
}
