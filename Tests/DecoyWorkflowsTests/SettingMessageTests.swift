import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import DecoyStudies
import DecoyTestSupport
@testable import DecoyWorkflows
import Foundation
import Testing

/// The library's refusals name the setting to change, never a flag: in plain words by default,
/// and by whatever name a front end gives each setting (the command line's flags are one table in
/// the executable). Each refusal here is reached through the library's own entry points.
@Suite struct SettingMessageTests {
    /// A front end that calls every setting `<name>`, to see which settings a message names.
    static func marked(_ setting: Setting) -> String { "<\(setting.rawValue)>" }

    /// The message in words and as the marking front end writes it.
    static func written(_ error: any Error) throws -> (words: String, marked: String) {
        let failure = try #require(error as? any SettingFailure, "\(type(of: error)) does not name settings")
        return (failure.description, failure.message(naming: marked))
    }

    static func expectNoFlag(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.range(of: #"--[a-z]"#, options: .regularExpression) == nil, "a flag in: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("decoy "), "a command line in: \(text)", sourceLocation: sourceLocation)
    }

    @Test func configOverridesAndSweepAxesAreNamedBySetting() throws {
        let typo = Override(path: ["arms", "a", "response", "rat"], value: "3/h")
        do {
            _ = try ConfigLoader.load(text: TestCLI.twoArmConfig, file: "c.yaml", overrides: [typo])
            Issue.record("an unknown key was accepted")
        } catch {
            let (words, marked) = try Self.written(error)
            Self.expectNoFlag(words)
            #expect(words.contains("override arms.a.response.rat=…:1:"), "\(words)")
            #expect(marked.contains("<overrides> arms.a.response.rat=…:1:"), "\(marked)")
            #expect(!words.contains("3/h"), "the value typed is repeated: \(words)")
        }
        let seed = Override(path: ["seed"], value: "x", origin: .seed)
        do {
            _ = try ConfigLoader.load(text: TestCLI.twoArmConfig, file: "c.yaml", overrides: [seed])
            Issue.record("a seed of letters was accepted")
        } catch {
            let (words, marked) = try Self.written(error)
            Self.expectNoFlag(words)
            #expect(marked.contains("<seed>:1:"), "\(marked)")
        }
        for axes in [["seed=1,1"], ["seed"], ["seed=1", "seed=2"], ["seed=1,"]] {
            do {
                _ = try SweepPlan.axes(from: axes)
                Issue.record("axes \(axes) were accepted")
            } catch {
                let (words, marked) = try Self.written(error)
                Self.expectNoFlag(words)
                #expect(words.contains("sweep grid:1:") && marked.contains("<sweepGrid>:1:"), "\(marked)")
            }
        }
    }

    @Test func curveRequestsNameTheStepAndTheEnd() throws {
        let hour: Int64 = 3_600_000_000
        let run = RunDescription(
            id: 1, source: .observed, horizonMicros: 10 * hour, gridMicros: hour,
            arms: [ArmDescription(id: 0, name: "a", population: "p", populationSize: nil)],
            postings: [PostingDescription(replicate: 1, arm: 0, index: 0, windowMicros: 10 * hour)])
        let values = RunValues(run: run, contacts: [[hour]], contactors: [[1]])
        let requests: [(CurveRequest, [Setting])] = [
            (CurveRequest(grid: 1e-12), [.curveStep]),
            (CurveRequest(grid: 11), [.curveStep]),
            (CurveRequest(until: 11), [.curveEnd]),
            (CurveRequest(grid: 1e-7, until: 10), [.curveStep, .curveStep, .curveEnd]),
        ]
        for (request, named) in requests {
            do {
                _ = try CurveBuilder.curves(of: values, request: request)
                Issue.record("\(request) was accepted")
            } catch {
                let (words, marked) = try Self.written(error)
                Self.expectNoFlag(words)
                let found = marked.matches(of: /<([A-Za-z]+)>/).map { String($0.output.1) }
                #expect(found == named.map(\.rawValue), "\(marked)")
            }
        }
    }

    @Test func powerSettingsOutsideTheirRangesAreRefusedByTheLibrary() throws {
        let cases: [(PowerAnalysis.Settings, Setting)] = [
            (.init(arms: ("a", "b"), alpha: 1), .alpha),
            (.init(arms: ("a", "b"), alpha: -0.1), .alpha),
            (.init(arms: ("a", "b"), target: 1), .target),
            (.init(arms: ("a", "b"), ratio: 0), .ratio),
            (.init(arms: ("a", "b"), ratio: .infinity), .ratio),
            (.init(arms: ("a", "b"), sims: 0), .sims),
            (.init(arms: ("a", "b"), precision: 0.5), .precision),
            (.init(arms: ("a", "b"), draws: 998), .draws),
            (.init(arms: ("a", "b"), jobs: 0), .jobs),
        ]
        let loaded = try ConfigLoader.load(text: TestCLI.twoArmConfig, file: "c.yaml")
        for (settings, setting) in cases {
            #expect(throws: PowerError.self) { try settings.validate() }
            do {
                _ = try PowerAnalysis.run(loaded, settings: settings, grid: .postings([2]))
                Issue.record("\(setting) out of range was accepted")
            } catch {
                let (words, marked) = try Self.written(error)
                Self.expectNoFlag(words)
                #expect(marked.hasPrefix("<\(setting.rawValue)> expects"), "\(marked)")
            }
        }
        #expect(throws: Never.self) { try PowerAnalysis.Settings(arms: ("a", "b")).validate() }
        for (grid, setting) in [(PowerAnalysis.Grid.postings([2, 0]), Setting.postings), (.postings([]), .postings), (.search(maximum: 0), .maximumPostings)] {
            do {
                _ = try PowerAnalysis.run(loaded, settings: .init(arms: ("a", "b")), grid: grid)
                Issue.record("\(grid) was accepted")
            } catch {
                #expect(try Self.written(error).marked.hasPrefix("<\(setting.rawValue)> expects"))
            }
        }
    }

    @Test func fieldMergeAndRunStateRefusalsNameSettings() throws {
        let failures: [(any Error, [Setting])] = [
            (FieldError.contactNeedsKey, [.contact, .pseudonymKey]),
            (FieldError.emptyIdentifier, [.contact]),
            (FieldError.unknownPosting(run: 1, hint: ""), [.posting]),
            (FieldError.alreadyEnded(at: Timestamp(microseconds: 0)), [.posting]),
            (FieldError.endBeforeGoLive(at: Timestamp(microseconds: 0), postedAt: Timestamp(microseconds: 1)), [.endedAt]),
            (FieldError.contactsAfterEnd(count: 2, at: Timestamp(microseconds: 0)), [.posting]),
            (FieldError.badName(.channel, problem: "is empty"), [.channel]),
            (MergeError.noShard(position: 1), [.shard]),
            (MergeError.noSweepPoint(position: 1), [.shard]),
            (RunStateError.otherHost(run: 1, pid: 2, host: "h"), [.force]),
            (RegressionError.factorNotInTerms("x"), [.factor]),
            (RegressionError.referenceOfNumber(covariate: "x", level: "1"), [.factor]),
        ]
        for (error, named) in failures {
            let (words, marked) = try Self.written(error)
            Self.expectNoFlag(words)
            let found = marked.matches(of: /<([A-Za-z]+)>/).map { String($0.output.1) }
            #expect(found == named.map(\.rawValue), "\(marked)")
        }
    }

    @Test func partsAndObservedRowsNameTheSettingThatMakesOrFixesThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notJSON = folder.appendingPathComponent("part.json").path
        try Data("not json".utf8).write(to: URL(fileURLWithPath: notJSON))
        do {
            _ = try PowerPart.merge([notJSON])
            Issue.record("a part that is not JSON was merged")
        } catch {
            let (words, marked) = try Self.written(error)
            Self.expectNoFlag(words)
            #expect(marked.contains("<shard>"), "\(marked)")
        }
        // Identifiers in an events file without a key: the key and the way to leave contacts out.
        let config = try ConfigLoader.load(text: TestCLI.twoArmConfig, file: "c.yaml", purpose: .observation).config
        let postingsCSV = "arm,posting,posted_at\na,a1,2024-01-01T00:00:00Z\n"
        let (postings, postingIssues) = ObservedData.postings(Data(postingsCSV.utf8), file: "p.csv", config: config)
        #expect(postingIssues.isEmpty, "\(postingIssues)")
        let eventsCSV = "posting,at,channel,contact\na1,2024-01-01T01:00:00Z,sms,someone\n"
        let (_, issues) = ObservedData.contacts(Data(eventsCSV.utf8), file: "e.csv", config: config,
                                                postings: Dictionary(uniqueKeysWithValues: postings.map { ($0.label, $0) }),
                                                pseudonymizer: nil, dropContacts: false)
        let refusal = ImportError(issues: issues)
        Self.expectNoFlag(refusal.description)
        let found = refusal.message(naming: Self.marked).matches(of: /<([A-Za-z]+)>/).map { String($0.output.1) }
        #expect(found == [Setting.pseudonymKey.rawValue, Setting.withoutContacts.rawValue], "\(refusal.message(naming: Self.marked))")
    }
}
