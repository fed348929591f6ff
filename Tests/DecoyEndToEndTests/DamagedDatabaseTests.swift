import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// A database damaged by hand after a run: every command that reads the damaged row stops with an
/// error naming the run, the table and the row, exit status 1, never a trap and never an answer
/// computed from the damage (`rerun` says the run was not reproduced, exit status 3).
@Suite struct DamagedDatabaseTests {
    let cli: TestCLI

    init() throws {
        cli = try TestCLI()
        try cli.write("c.yaml", """
            version: 1
            name: c
            seed: 7
            start: 2026-01-05T09:00:00Z
            horizon: 24h
            arms:
              - name: a
                postings: 10
                attributes: { platform: x }
                response: { model: poisson, rate: 2/h }
              - name: b
                postings: 10
                attributes: { platform: y }
                response: { model: poisson, rate: 2/h }
            """)
        let run = try cli.decoy("run", "c.yaml", "--quiet")
        try #require(run.status == 0, "\(run.stderr)")
    }

    /// One kind of damage: the statement that makes it, the commands that read what it damaged,
    /// and what their message must say.
    struct Damage: Sendable, CustomTestStringConvertible {
        var sql: String
        var commands: [[String]]
        var saying: [String]
        var testDescription: String { sql }
    }

    static let everyReader = [["show", "1"], ["export", "1", "--table", "events"], ["export", "1", "--table", "postings"],
                              ["export", "1", "--table", "intervals"], ["curves", "1", "--format", "csv"], ["rerun", "1"]]
    /// Every reader of the postings' windows and replicates (`show` reads neither).
    static let postingReaders = Array(everyReader.dropFirst())
    static let contactReaders = [["export", "1", "--table", "events"], ["export", "1", "--table", "postings"],
                                 ["curves", "1", "--format", "csv"], ["rerun", "1"], ["show", "1"]]
    static let lastPosting = "(SELECT max(posting_id) FROM postings WHERE run_id = 1 AND contact_count > 0)"

    static let damages: [Damage] = [
        Damage(sql: "UPDATE postings SET arm_id = 7 WHERE run_id = 1 AND posting_id = 1", commands: everyReader,
               saying: ["run 1 is damaged: postings row posting_id 1: arm_id is 7, and the run has 2 arms"]),
        Damage(sql: "UPDATE postings SET contact_count = contact_count + 1000 WHERE run_id = 1 AND posting_id = \(lastPosting)",
               commands: contactReaders, saying: ["run 1 is damaged: postings row posting_id", "contact_count is", "not stored"]),
        Damage(sql: "UPDATE postings SET contact_count = contact_count + 1 WHERE run_id = 1 AND posting_id = 0",
               commands: contactReaders, saying: ["run 1 is damaged: postings row posting_id", "overlap"]),
        Damage(sql: "DELETE FROM contacts WHERE contact_id = 3", commands: contactReaders,
               saying: ["run 1 is damaged: postings row posting_id 0: contact_count is", "not stored"]),
        Damage(sql: "UPDATE runs SET contacts = contacts + 1000 WHERE run_id = 1", commands: [["show", "1"], ["rerun", "1"]],
               saying: ["run 1 is damaged: runs row run_id 1: contacts is"]),
        Damage(sql: "UPDATE runs SET postings = 19 WHERE run_id = 1", commands: [["show", "1"], ["rerun", "1"]],
               saying: ["run 1 is damaged: runs row run_id 1: postings is 19, and 20 postings are stored"]),
        Damage(sql: "UPDATE arms SET attributes = '[1' WHERE run_id = 1 AND arm_id = 1", commands: everyReader,
               saying: ["run 1 is damaged: arms row arm_id 1: attributes is not a JSON object"]),
        Damage(sql: "DELETE FROM arms WHERE run_id = 1 AND arm_id = 0", commands: everyReader,
               saying: ["run 1 is damaged: arms row arm_id 1: arm_id 0 is missing"]),
        Damage(sql: "UPDATE postings SET window_us = -5 WHERE run_id = 1 AND posting_id = 2", commands: postingReaders,
               saying: ["run 1 is damaged: postings row posting_id 2: window_us is -5, outside 0…86400000000"]),
        Damage(sql: "UPDATE postings SET removed = 'yes' WHERE run_id = 1 AND posting_id = 2", commands: everyReader,
               saying: ["run 1 is damaged: postings row posting_id 2: removed is not an integer"]),
        Damage(sql: "UPDATE postings SET replicate = 2 WHERE run_id = 1 AND posting_id = 2", commands: postingReaders,
               saying: ["run 1 is damaged: postings row posting_id 2: replicate is 2, outside 1…1"]),
        Damage(sql: "UPDATE contacts SET channel_id = 9 WHERE contact_id = 2", commands: [["export", "1", "--table", "events"], ["rerun", "1"]],
               saying: ["run 1 is damaged: contacts row contact_id 2: channel_id is 9, outside 0…"]),
        Damage(sql: "UPDATE contacts SET t_us = 9223372036854775807 WHERE contact_id = 5", commands: contactReaders.dropLast(),
               saying: ["run 1 is damaged: contacts row contact_id 5: t_us is 9223372036854775807, outside 0…86400000000"]),
        Damage(sql: "UPDATE contacts SET t_us = -1 WHERE contact_id = 5", commands: contactReaders.dropLast(),
               saying: ["run 1 is damaged: contacts row contact_id 5: t_us is -1, outside 0…86400000000"]),
        Damage(sql: "UPDATE postings SET posted_at_us = -9223372036854775807 WHERE run_id = 1 AND posting_id = 2", commands: postingReaders,
               saying: ["run 1 is damaged: postings row posting_id 2: posted_at_us is -9223372036854775807, outside"]),
        Damage(sql: "UPDATE arms SET population_size = 9223372036854775807 WHERE run_id = 1 AND arm_id = 1",
               commands: [["population", "1"], ["show", "1"], ["report", "1", "--out", "r.html"]],
               saying: ["run 1 is damaged: arms row arm_id 1: population_size is 9223372036854775807, outside 1…1000000000"]),
        Damage(sql: "UPDATE postings SET contact_count = 9223372036854775807 WHERE run_id = 1 AND posting_id = 3", commands: contactReaders,
               saying: ["run 1 is damaged: postings row posting_id 3: first_contact", "and contact_count 9223372036854775807 end past the largest contact id"]),
        Damage(sql: "UPDATE runs SET sweep = 's' WHERE run_id = 1", commands: [["runs"], ["show", "1"], ["export", "1", "--table", "events"]],
               saying: ["run 1 is damaged: runs row run_id 1: sweep_point is NULL where a text is due"]),
        Damage(sql: "UPDATE runs SET wall_seconds = -1 WHERE run_id = 1", commands: [["runs"], ["show", "1"]],
               saying: ["run 1 is damaged: runs row run_id 1: wall_seconds is -1.0"]),
    ]

    @Test(arguments: damages)
    func eachReaderNamesTheDamagedRow(damage: Damage) throws {
        try Connection(path: cli.path("decoy.sqlite"), create: false).execute("PRAGMA ignore_check_constraints = 1; " + damage.sql)
        for command in damage.commands {
            let result = try cli.decoy(arguments: command)
            // `rerun` calls a damaged run not reproduced (exit 3, as for a difference); the others fail (exit 1).
            let status: Int32 = command[0] == "rerun" ? 3 : 1
            #expect(result.status == status, "\(command): exit \(result.status): \(result.stdout)\(result.stderr)")
            #expect(!result.stdout.contains("reproduced"), "\(command): \(result.stdout)")
            if command[0] == "rerun" { #expect(result.stderr.hasPrefix("error: run 1 was not reproduced: "), "\(result.stderr)") }
            for text in damage.saying {
                #expect(result.stderr.contains(text), "\(command): \(result.stderr)")
            }
        }
    }
}
