import Foundation
import Testing
@testable import DecoyModel

/// Configs whose size the simulation could not hold are refused at the key that makes them so.
@Suite struct ConfigLimitTests {
    static func config(horizon: String = "48h", start: String = "2016-11-04T09:00:00Z", schedule: String = "{ offset: 0h, every: 2h }",
                       postings: Int = 10, modifiers: String = "") -> String {
        """
        version: 1
        name: limits
        seed: 1
        start: \(start)
        horizon: \(horizon)
        arms:
          - name: adult
            postings: \(postings)
            schedule: \(schedule)
            response:
              model: poisson
              rate: 1/h
        \(modifiers)
        """
    }

    func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(text: text, file: "x.yaml")
            return []
        } catch {
            return error.issues
        }
    }

    static let diurnal = "      diurnal: [" + Array(repeating: "1", count: 24).joined(separator: ", ") + "]"

    @Test func bumpsTooOftenForTheHorizonAreRefusedAtTheKey() throws {
        let found = issues(Self.config(horizon: "36500d", modifiers: "      bumps: { every: 1s }"))
        let issue = try #require(found.first)
        #expect(found.count == 1)
        #expect(issue.path == "arms[0].response.bumps.every")
        #expect(issue.line == 13)
        #expect(issue.message.contains("3153600000"), "\(issue.message)")
        #expect(issue.message.contains("1000000"), "\(issue.message)")
    }

    /// Diurnal alone stays under the limit within the longest horizon (100 years); with frequent
    /// bumps it can pass it, and is then named where it contributes most.
    @Test func diurnalWithBumpsOverAVeryLongHorizonIsRefusedAtTheKey() throws {
        let found = issues(Self.config(horizon: "36500d", modifiers: "      bumps: { every: 4h }\n" + Self.diurnal))
        let issue = try #require(found.first)
        #expect(issue.path == "arms[0].response.diurnal")
        #expect(issue.message.contains("1000000"), "\(issue.message)")
    }

    @Test func segmentsWithinTheLimitAreAccepted() {
        #expect(issues(Self.config(horizon: "48h", modifiers: "      bumps: { every: 1s }\n" + Self.diurnal)).isEmpty)
        #expect(issues(Self.config(horizon: "36500d", modifiers: Self.diurnal)).isEmpty)
        #expect(issues(Self.config(horizon: "36500d", modifiers: "      bumps: { every: 24h }\n" + Self.diurnal)).isEmpty)
    }

    @Test func windowsPastYear9999AreRefused() throws {
        let late = issues(Self.config(start: "9999-12-31T00:00:00Z"))
        let issue = try #require(late.first)
        #expect(issue.path == "arms[0].schedule", "\(late)")
        #expect(issue.message.contains("9999-12-31T23:59:59.999999Z"), "\(issue.message)")
        // The schedule alone can push the last posting's window past the limit.
        let scheduled = issues(Self.config(start: "9990-01-01T00:00:00Z", schedule: "{ offset: 0h, every: 500d }"))
        #expect(scheduled.first?.path == "arms[0].schedule", "\(scheduled)")
        #expect(issues(Self.config(start: "9999-12-29T00:00:00Z")).isEmpty)
    }

    /// A `start` before year 1 or after 9999 in UTC is a well-formed time the store cannot hold:
    /// the message says so, not that the form is wrong.
    @Test(arguments: ["0000-06-01T00:00:00Z", "10000-01-01T00:00:00Z", "9999-12-31T23:30:00-01:00"])
    func aStartOutsideTheStoredYearsSaysSo(start: String) throws {
        let found = issues(Self.config(start: start))
        let issue = try #require(found.first)
        #expect(found.count == 1 && issue.path == "start", "\(found)")
        if start.hasPrefix("10000") {
            #expect(issue.message.hasPrefix("expected an ISO-8601 time"), "\(issue.message)")
        } else {
            #expect(issue.message.hasPrefix("outside the times decoy stores"), "\(issue.message)")
        }
    }
}
