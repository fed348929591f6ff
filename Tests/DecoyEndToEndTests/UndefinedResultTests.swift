import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Analyses that have no answer say so instead of printing numbers: fits without data, arms
/// without postings, runs with different horizons compared over the part they share.
@Suite struct UndefinedResultTests {
    let cli: TestCLI
    init() throws { cli = try TestCLI() }

    func decoy(_ arguments: String...) throws -> TestCLI.Result {
        try cli.decoy(arguments: arguments)
    }

    /// An observed run whose arm `empty` has one posting taken down the moment it went live and
    /// whose arm `two` has one posting with exactly two contacts.
    func importSparseRun() throws {
        try cli.write("sparse.yaml", """
            version: 1
            name: sparse
            seed: 1
            start: 2024-01-01T00:00:00Z
            horizon: 72h
            arms:
              - name: empty
                postings: 1
              - name: two
                postings: 1
              - name: late
                postings: 2
            """)
        try cli.write("postings.csv", """
            arm,posting,posted_at,ended_at
            empty,e-1,2024-01-01T00:00:00Z,2024-01-01T00:00:00Z
            two,t-1,2024-01-01T00:00:00Z,
            late,l-1,2024-01-01T00:00:00Z,
            late,l-2,2024-01-01T00:00:00Z,
            """)
        try cli.write("events.csv", """
            posting,at,channel
            t-1,2024-01-01T01:00:00Z,call
            t-1,2024-01-01T03:00:00Z,call
            l-1,2024-01-01T10:00:00Z,call
            l-1,2024-01-02T02:00:00Z,call
            l-1,2024-01-03T02:00:00Z,call
            l-2,2024-01-02T23:00:00Z,call
            l-2,2024-01-03T20:00:00Z,call
            """)
        let imported = try decoy("import", "sparse.yaml", "--postings", "postings.csv", "--events", "events.csv")
        try #require(imported.status == 0, "\(imported.stderr)")
    }

    /// Seven contacts none of which carries a contact identifier: Chao1 has nobody to count and
    /// says so, rather than `0 distinct contactors, Chao1 0 (0 – 0)` behind seven contacts.
    @Test func populationWithoutContactIdentifiersIsUndefined() throws {
        try importSparseRun()
        let table = try decoy("population", "1", "--format", "table")
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Chao1: undefined: none of the 7 contacts carries a contact identifier"), "\(table.stdout)")
        #expect(!table.stdout.contains("0 distinct contactors"), "\(table.stdout)")
        let json = try #require(try cli.json(try decoy("population", "1", "--format", "json").stdout) as? [String: Any])
        #expect(json["chao1"] is NSNull && json["lower"] is NSNull && json["observed"] is NSNull && json["reading"] as? String == "undefined")
        #expect(json["contacts_without_identifier"] as? Int == 7 && (json["undefined"] as? String)?.contains("7 contacts") == true)
        let csv = try decoy("population", "1", "--format", "csv").stdout
        #expect(csv == "observed,f1,f2,chao1,lower,upper,true_size,reading,contacts_without_identifier,undefined\n,,,,,,,undefined,7,\"none of the 7 contacts carries a contact identifier (none was given, or they were dropped), so distinct contactors cannot be counted\"\n", "\(csv)")
    }

    /// Contacts imported under a key from rows whose contact field is empty, or recorded without
    /// one, carry no identifier either: the reason does not say the run was imported without them.
    @Test func populationWithoutIdentifiersDoesNotBlameTheImport() throws {
        try cli.write("field.yaml", "version: 1\nname: keyed\nstart: 2024-01-01T00:00:00Z\nhorizon: 10h\narms:\n  - name: a\n    postings: 2\n")
        try cli.write("postings.csv", "arm,posting,posted_at\na,a-1,2024-01-01T00:00:00Z\n")
        try cli.write("events.csv", "posting,at,channel,contact\na-1,2024-01-01T01:00:00Z,call,\na-1,2024-01-01T02:00:00Z,call,\n")
        let imported = try cli.decoy(arguments: ["import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv"],
                                     environment: ["DECOY_PSEUDONYM_KEY": "study-key-0123456789abcdef"])
        try #require(imported.status == 0, "\(imported.stderr)")
        let table = try decoy("population", "1", "--format", "table").stdout
        #expect(table.contains("Chao1: undefined: none of the 2 contacts carries a contact identifier"), "\(table)")
        #expect(!table.contains("imported without contacts"), "\(table)")
    }

    @Test func fitWithoutObservationTimeSaysSoAndEmitsNothing() throws {
        try importSparseRun()
        let json = try decoy("fit", "1", "--arm", "empty", "--format", "json")
        #expect(json.status == 0, "\(json.stderr)")
        let fits = try #require((try cli.json(json.stdout) as? [String: Any])?["fits"] as? [[String: Any]])
        #expect(fits.allSatisfy { $0["converged"] as? Bool == false }, "\(json.stdout)")
        #expect(!json.stdout.contains("nan"))
        let emitted = try decoy("fit", "1", "--arm", "empty", "--emit-config")
        #expect(emitted.status == 1)
        #expect(!emitted.stdout.contains("nan") && emitted.stdout.isEmpty, "\(emitted.stdout)")
        #expect(emitted.stderr.contains("no observation time"), "\(emitted.stderr)")
    }

    /// A power law fitted to two contacts either says it cannot be fitted or emits a block that
    /// validates; it never emits an exponent or a scale no config accepts.
    @Test func emittedConfigsAlwaysValidate() throws {
        try importSparseRun()
        for models in ["power-law", "exponential-decay", "poisson,exponential-decay,power-law"] {
            let emitted = try decoy("fit", "1", "--arm", "two", "--models", models, "--emit-config")
            guard emitted.status == 0 else {
                #expect(emitted.status == 1 && emitted.stderr.contains("can be written as a config"), "\(models): \(emitted.stderr)")
                continue
            }
            // Pasted as printed, comments and indentation included, under the arm.
            try cli.write("fitted.yaml", """
                version: 1
                name: fitted
                seed: 1
                start: 2024-01-01T00:00:00Z
                horizon: 72h
                arms:
                  - name: two
                    postings: 1

                """ + emitted.stdout)
            let validated = try decoy("validate", "fitted.yaml")
            #expect(validated.status == 0, "\(models): \(emitted.stdout)\n\(validated.stderr)")
        }
    }

    /// A 72 h observed arm set against a 48 h simulated arm is compared over the first 48 h.
    @Test func runsWithDifferentHorizonsAreComparedOverTheShorterOne() throws {
        #expect(try decoy("run", cli.quickstartPath, "--quiet").status == 0)
        try importSparseRun()
        let result = try decoy("compare", "2", "--arms", "late", "--against", "1:adult", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        #expect(json["horizon_hours"] as? Double == 48)
        let arms = try #require(json["arms"] as? [[String: Any]])
        // Contacts within 48 h: l-1 at 10 h and 26 h, l-2 at 47 h; the ones at 50 h and 68 h are after it.
        #expect(arms[0]["mcf_at_horizon"] as? Double == 1.5)
        #expect(arms[0]["contacts"] as? Int == 3 && arms[0]["posting_hours"] as? Double == 96)
        #expect(arms[0]["run_horizon_hours"] as? Double == 72 && arms[1]["run_horizon_hours"] as? Double == 48)
        let table = try decoy("compare", "2", "--arms", "late", "--against", "1:adult", "--format", "table")
        #expect(table.stdout.contains("the shorter of the two horizons"), "\(table.stdout)")
    }

    @Test func anArmWithoutPostingsLeavesItsComparisonUndefinedAndAnIncompleteRunIsFlagged() throws {
        #expect(try decoy("run", cli.quickstartPath, "--quiet").status == 0)
        // What an interrupted run holds when it stopped before reaching the control arm.
        try Connection(path: cli.folder.appendingPathComponent("decoy.sqlite").path, create: false).execute("""
            DELETE FROM contacts WHERE contact_id IN (SELECT contact_id FROM posting_contacts WHERE run_id = 1 AND posting_id >= 10);
            DELETE FROM postings WHERE run_id = 1 AND posting_id >= 10;
            UPDATE runs SET status = 'interrupted', digest = NULL WHERE run_id = 1;
            """)
        let result = try decoy("compare", "1", "--arms", "adult,control", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: run 1 is interrupted"), "\(result.stderr)")
        let json = try #require(try cli.json(result.stdout) as? [String: Any])
        for key in ["logrank_chi2", "logrank_p", "mcf_difference", "mcf_difference_lower", "mcf_difference_upper", "rate_ratio"] {
            #expect(json[key] is NSNull, "\(key) should be undefined, found \(json[key] ?? "nothing")")
        }
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms[1]["postings"] as? Int == 0 && arms[1]["mcf_at_horizon"] is NSNull && arms[1]["rate"] is NSNull)
        let table = try decoy("compare", "1", "--arms", "adult,control", "--format", "table")
        #expect(table.stdout.contains("p = -"), "\(table.stdout)")
    }
}
