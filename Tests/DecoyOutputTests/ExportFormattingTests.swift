import DecoyModel
import Foundation
import Testing
@testable import DecoyOutput

/// The byte-level writers of `export --table events` print what the text formatters print.
@Suite struct ExportFormattingTests {
    /// Instants around the epoch, day and year boundaries, a leap day, and a seeded spread.
    static let instants: [Int64] = {
        var values: [Int64] = [
            0, 1, -1, 999_999, 1_000_000, -1_000_000, -1_000_001, 86_399_999_999, 86_400_000_000, -86_400_000_000,
            951_782_400_000_000, 951_868_799_999_999, 1_709_164_800_123_456, 253_402_300_799_999_999,
        ]
        var state: UInt64 = 7
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(bitPattern: state >> 1) % 4_000_000_000_000_000)
        }
        return values
    }()

    @Test func timestampsMatchTheTextFormatter() {
        var writer = Timestamp.UTCWriter()
        for micros in Self.instants.sorted() + Self.instants {
            var bytes: [UInt8] = []
            writer.append(microseconds: micros, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Timestamp(microseconds: micros).utcText, "\(micros)")
        }
    }

    /// The local instants of `at_local` and `posted_at_local`: the bulk writer prints what the text
    /// formatter prints, in every offset, and both read as the instant shifted by the offset.
    @Test(arguments: [0, 3600, -8 * 3600, -(3 * 3600 + 30 * 60), 5 * 3600 + 45 * 60, 14 * 3600])
    func localInstantsMatchTheTextFormatter(offset: Int) {
        var writer = Timestamp.OffsetWriter(utcOffsetSeconds: offset)
        for micros in Self.instants.sorted() + Self.instants {
            var bytes: [UInt8] = []
            writer.append(microseconds: micros, to: &bytes)
            let text = Timestamp(microseconds: micros, utcOffsetSeconds: offset).offsetText
            #expect(String(decoding: bytes, as: UTF8.self) == text, "\(micros) at \(offset) s")
            // ISO-8601 text has four digits of year: the last instant of 9999 is in 10000 east of UTC.
            if text.dropFirst(4).first == "-" {
                #expect(Timestamp(iso8601: text) == Timestamp(microseconds: micros, utcOffsetSeconds: offset), "\(text)")
            }
        }
    }

    @Test func localInstantsAreWrittenWithSixDecimalsAndTheirOffset() {
        #expect(Timestamp(microseconds: 0, utcOffsetSeconds: -(3 * 3600 + 30 * 60)).offsetText == "1969-12-31T20:30:00.000000-03:30")
        #expect(Timestamp(microseconds: 1_748_847_840_000_001, utcOffsetSeconds: 7200).offsetText == "2025-06-02T09:04:00.000001+02:00")
        #expect(Timestamp(microseconds: 1_748_847_840_000_001).offsetText == "2025-06-02T07:04:00.000001Z")
    }

    @Test func secondsIntegersAndNumbersMatchTheTextFormatters() {
        for micros in Self.instants + [Int64.max, Int64.min + 1] {
            var bytes: [UInt8] = []
            Exporter.appendSeconds(micros, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == Units.secondsText(micros: micros), "\(micros)")
            bytes.removeAll()
            DecimalText.append(micros, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(micros))
        }
        for micros in Self.instants {
            for value in [Units.hours(micros: micros), Double(micros), -Double(micros) / 7, 0, -0.0, 1e15, 0.1, .infinity, .nan] {
                var bytes: [UInt8] = []
                Exporter.appendNumber(value, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == CSV.number(value), "\(value)")
            }
        }
        var bytes: [UInt8] = []
        DecimalText.append(.min, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(Int64.min))
    }
}

/// No stored text becomes a formula in a spreadsheet opening an export.
@Suite struct FormulaFieldTests {
    @Test(arguments: [("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"), ("@SUM(A1)", "'@SUM(A1)"), ("+1+cmd", "'+1+cmd"),
                      ("-2", "-2"), ("adult", "adult"), ("=a,b", "\"'=a,b\"")])
    func formulasAreQuotedAsText(field: String, written: String) {
        #expect(CSV.field(field) == written)
    }
}
