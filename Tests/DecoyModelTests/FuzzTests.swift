import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyModel

/// Seeded, bounded fuzzing of everything that reads user input: every input must give a value or
/// a located error, never a crash or a hang. `DECOY_FUZZ_ITERATIONS` scales the runs for a soak.
@Suite struct FuzzTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["DECOY_FUZZ_ITERATIONS"] ?? "") ?? 400 }

    typealias Generator = SeededGenerator

    static let seedConfig = """
        version: 1
        name: fuzz
        seed: 3
        replicates: 2
        start: 2016-11-04T09:00:00+01:00
        horizon: 48h
        grid: 1h
        populations:
          - { name: p, size: 300, heterogeneity: 0.7 }
        arms:
          - name: adult
            postings: 3
            schedule: { offset: 1h, every: 2h }
            attributes: { section: erotica }
            population: p
            response:
              model: hawkes
              background: { model: exponential-decay, initial: 120/h, half_life: 3h, baseline: 0.5/h }
              branching: 0.3
              decay: 30m
              bumps: [12h, 24h]
              diurnal: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
            lifetime: { removal_rate: 0.01/h }
            channels: { call: 0.5, sms: 0.5 }
          - name: control
            postings: 2
            response: { model: piecewise, steps: [{ until: 1h, rate: 2/h }, { until: 2d, rate: 0.1/h }] }
        """

    static let tokens = ["", " ", "\n", ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "\"", "'", "#", "|", ">", "\t",
                         "-1", "1e999", "nan", "0", "999999999999999999999", "h", "/h", "2d", "model", "hawkes", "\u{0}", "é", "\u{FEFF}"]

    func mutate(_ text: String, _ g: inout Generator) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + g.below(4)) {
            let at = g.below(bytes.count + 1)
            switch g.below(4) {
            case 0: bytes.insert(contentsOf: Array(Self.tokens[g.below(Self.tokens.count)].utf8), at: at)
            case 1: if at < bytes.count { bytes.remove(at: at) }
            case 2: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: g.next()) }
            default:
                let length = min(bytes.count - at, g.below(40))
                if length > 0 { bytes.insert(contentsOf: bytes[at..<at + length], at: g.below(bytes.count)) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func configLoaderNeverCrashesOnMutatedConfigs() {
        var g = Generator(seed: 0xDEC0)
        var accepted = 0, rejected = 0
        for _ in 0..<Self.iterations {
            let text = mutate(Self.seedConfig, &g)
            do {
                let loaded = try ConfigLoader.load(text: text, file: "fuzz.yaml")
                // Whatever loads must survive its own canonical form.
                let again = try ConfigLoader.load(text: loaded.resolvedText, file: "resolved")
                #expect(again.sha256 == loaded.sha256)
                accepted += 1
            } catch {
                #expect(!error.issues.isEmpty)
                #expect(error.issues.allSatisfy { $0.line >= 1 && $0.column >= 1 && !$0.message.isEmpty })
                rejected += 1
            }
        }
        print("fuzz: \(Self.iterations) mutated configs, \(accepted) accepted, \(rejected) rejected with located errors")
        #expect(accepted + rejected == Self.iterations)
    }

    @Test func overridesNeverCrash() throws {
        var g = Generator(seed: 0x5E7)
        let keys = ["seed", "arms.adult.response.branching", "arms.adult.postings", "arms.control.response.steps.1.rate", "populations.p.size", "arms.x", "grid", "arms.adult.response.diurnal.3"]
        for _ in 0..<Self.iterations {
            let key = mutate(keys[g.below(keys.count)], &g)
            let value = Self.tokens[g.below(Self.tokens.count)] + Self.tokens[g.below(Self.tokens.count)]
            guard let override = Override("\(key)=\(value)") else { continue }
            do {
                _ = try ConfigLoader.load(text: Self.seedConfig, file: "fuzz.yaml", overrides: [override])
            } catch {
                #expect(error.issues.allSatisfy { !$0.message.isEmpty })
            }
        }
    }

    @Test func csvImportNeverCrashesOnMutatedFiles() throws {
        let config = try ConfigLoader.load(text: Self.seedConfig, file: "fuzz.yaml").config
        let postingsText = "arm,posting,posted_at,ended_at\nadult,a1,2016-11-04T09:00:00+01:00,\nadult,a2,2016-11-04T10:00:00+01:00,2016-11-05T10:00:00+01:00\ncontrol,c1,2016-11-04T09:00:00Z,\n"
        let eventsText = "posting,at,channel,contact\na1,2016-11-04T09:05:00+01:00,call,+33 6 12 34 56 78\n\"a2\",\"2016-11-04T11:00:00+01:00\",sms,\"x@y.org\"\r\nc1,2016-11-04T10:00:00Z,sms,\n"
        let key = try #require(Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8)))
        var g = Generator(seed: 0xC5F)
        var accepted = 0
        for _ in 0..<Self.iterations {
            let (postings, postingIssues) = ObservedData.postings(Data(mutate(postingsText, &g).utf8), file: "p.csv", config: config)
            let known = Dictionary(postings.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
            var bytes = Data(mutate(eventsText, &g).utf8)
            if g.below(4) == 0, !bytes.isEmpty { bytes[g.below(bytes.count)] = 0xFF }   // invalid UTF-8
            let (contacts, contactIssues) = ObservedData.contacts(bytes, file: "e.csv", config: config, postings: known, pseudonymizer: key, dropContacts: false)
            for issue in postingIssues + contactIssues {
                #expect(issue.line >= 1 && !issue.message.isEmpty)
                #expect(!issue.message.contains("12 34 56") && !issue.message.contains("x@y.org"), "raw identifier in \(issue.file):\(issue.line): \(issue.message)")
            }
            for contact in contacts { #expect(contact.pseudonym?.count ?? 32 == 32) }
            if postingIssues.isEmpty && contactIssues.isEmpty { accepted += 1 }
        }
        print("fuzz: \(Self.iterations) mutated CSV pairs, \(accepted) accepted whole")
    }

    @Test func csvLineOfExactlyTheLimitIsAcceptedAndOneByteMoreRefused() {
        let header = "a,b\n"
        let exact = String(repeating: "x", count: CSVTable.maximumLineBytes - 2) + ",1"
        let accepted = CSVTable(data: Data((header + exact + "\nok,2\n").utf8))
        #expect(accepted.problems.isEmpty)
        #expect(accepted.rows.count == 2 && accepted.rows.first?.fields.first?.count == CSVTable.maximumLineBytes - 2)
        let crlf = CSVTable(data: Data((header + exact + "\r\nok,2\r\n").utf8))
        #expect(crlf.problems.isEmpty && crlf.rows.count == 2)
        let over = CSVTable(data: Data((header + "x" + exact + "\nok,2\n").utf8))
        #expect(over.problems.map(\.line) == [2] && over.rows.map(\.fields) == [["ok", "2"]])
    }

    /// Posting and channel labels with control characters, invisible format characters and
    /// non-characters are refused with their line, never stored under another name.
    @Test func labelsWithControlCharactersAreRefusedWithTheirLine() throws {
        let config = try ConfigLoader.load(text: Self.seedConfig, file: "fuzz.yaml").config
        let key = try #require(Pseudonymizer(keyBytes: Array("0123456789abcdef".utf8)))
        let bad: [String] = ["\u{0}", "\u{1}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{200B}", "\u{202E}", "\u{2028}", "\u{FEFF}", "\u{FFFE}", "\u{E000}", "\u{F0000}"]
        var g = Generator(seed: 0xC7A1)
        for _ in 0..<Self.iterations {
            let control = bad[g.below(bad.count)]
            let base = "ad-\(g.below(100))"
            let at = g.below(base.count + 1)
            let label = String(base.prefix(at)) + control + String(base.dropFirst(at))
            let (postings, issues) = ObservedData.postings(Data("arm,posting,posted_at\ncontrol,ok,2016-11-04T09:00:00Z\ncontrol,\"\(label)\",2016-11-04T09:00:00Z\n".utf8), file: "p.csv", config: config)
            #expect(postings.map(\.label) == ["ok"], "label \(label.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(issues.map(\.line) == [3] && issues.allSatisfy { $0.message.hasPrefix("posting:") })
            let known = Dictionary(postings.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
            let events = "posting,at,channel,contact\nok,2016-11-04T10:00:00Z,\"\(label)\",\n"
            let (contacts, contactIssues) = ObservedData.contacts(Data(events.utf8), file: "e.csv", config: config, postings: known, pseudonymizer: key, dropContacts: false)
            #expect(contacts.isEmpty && contactIssues.map(\.line) == [2] && contactIssues.allSatisfy { $0.message.hasPrefix("channel:") })
        }
    }

    @Test(arguments: ["+33 6 12 34 56 78", "0612345678", "(555) 010-1234", "jane.doe@example.com", "x@y.org"])
    func labelsThatLookLikeIdentifiersAreRefusedWithoutEchoingThem(label: String) throws {
        let config = try ConfigLoader.load(text: Self.seedConfig, file: "fuzz.yaml").config
        let (postings, issues) = ObservedData.postings(Data("arm,posting,posted_at\ncontrol,\(label),2016-11-04T09:00:00Z\n".utf8), file: "p.csv", config: config)
        #expect(postings.isEmpty && issues.map(\.line) == [2])
        let known = ["ok": ObservedPosting(arm: 1, label: "ok", postedAt: config.start, endedAt: nil)]
        let (contacts, contactIssues) = ObservedData.contacts(Data("posting,at,channel\nok,2016-11-04T09:30:00Z,\(label)\n".utf8), file: "e.csv", config: config, postings: known, pseudonymizer: nil, dropContacts: false)
        #expect(contacts.isEmpty && contactIssues.map(\.line) == [2])
        for issue in issues + contactIssues {
            #expect(!issue.message.contains(label) && !issue.message.contains("34") && !issue.message.contains("1234") && !issue.message.contains("doe") && !issue.message.contains("y.org"), "\(issue.message)")
        }
        // Ordinary labels with digits stay accepted.
        let (fine, none) = ObservedData.postings(Data("arm,posting,posted_at\ncontrol,ad-2024-03,2016-11-04T09:00:00Z\ncontrol,Ad 12,2016-11-04T09:00:00Z\n".utf8), file: "p.csv", config: config)
        #expect(fine.count == 2 && none.isEmpty)
    }

    @Test func csvReaderHandlesQuotesLineEndsBOMAndLongLines() {
        let table = CSVTable(data: Data("\u{FEFF}a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\"multi\nline\",2\n".utf8))
        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.fields) == [["x,1", "say \"hi\""], ["multi\nline", "2"]])
        #expect(table.rows.map(\.line) == [2, 3])
        let open = CSVTable(data: Data("a,b\n\"x,1\n".utf8))
        #expect(open.problems.first?.message.contains("not closed") == true)
        let long = CSVTable(data: Data(("a,b\n" + String(repeating: "x", count: CSVTable.maximumLineBytes + 10) + ",1\nok,2\n").utf8))
        #expect(long.problems.first?.line == 2 && long.rows.map(\.fields) == [["ok", "2"]])
        let stray = CSVTable(data: Data("a,b\n\"x\"y,1\n".utf8))
        #expect(stray.problems.first?.message.hasPrefix("text after a closing quote") == true)
    }
}
