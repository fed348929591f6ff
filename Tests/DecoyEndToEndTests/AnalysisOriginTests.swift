import DecoyTestSupport
import Foundation
import Testing

/// Every analysis names the database file and the run it read, so that a forgotten `--db` (which
/// reads `./decoy.sqlite`, whose runs may have the same ids and arm names) shows: table text
/// leads with it, JSON objects carry it as `origin`, CSV stays a pure table.
@Suite struct AnalysisOriginTests {
    let cli: TestCLI

    /// `decoy.sqlite` holds the quickstart as run 1 (arms `adult` and `control`) and a field
    /// replication of the same arms as run 2; `study.sqlite` holds the field replication alone, as run 1.
    init() throws {
        cli = try TestCLI()
        #expect(try cli.decoy("run", cli.quickstartPath, "--quiet").status == 0)
        try cli.write("field.yaml", """
            version: 1
            name: field-study
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            arms:
              - name: adult
                postings: 3
              - name: control
                postings: 3
            """)
        try cli.write("postings.csv", "arm,posting,posted_at\n" + ["adult", "control"].flatMap { arm in
            (1...3).map { "\(arm),\(arm)-\($0),2024-01-01T00:00:00Z\n" }
        }.joined())
        // Posting k of `adult` has k + 1 contacts, of `control` k, at minutes that differ between postings.
        func at(minutes: Int) -> String { String(format: "2024-01-01T%02d:%02d:00Z", minutes / 60, minutes % 60) }
        try cli.write("events.csv", "posting,at,channel\n" + (1...3).flatMap { k in
            (0...k).map { "adult-\(k),\(at(minutes: 17 * k + 41 * $0)),call\n" } + (1...k).map { "control-\(k),\(at(minutes: 90 * k + 53 * $0)),sms\n" }
        }.joined())
        for db in ["decoy.sqlite", "study.sqlite"] {
            let imported = try cli.decoy("import", "field.yaml", "--postings", "postings.csv", "--events", "events.csv", "--db", db)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
    }

    func run(_ arguments: [String]) throws -> String {
        let result = try cli.decoy(arguments: arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    @Test func aForgottenDbSaysWhichFileAndRunWereCompared() throws {
        let forgotten = try run(["compare", "1", "--arms", "adult,control", "--format", "table"])
        #expect(forgotten.hasPrefix("run 1 `quickstart`, simulated, in decoy.sqlite\n\n"), "\(forgotten)")
        let meant = try run(["compare", "1", "--arms", "adult,control", "--format", "table", "--db", "study.sqlite"])
        #expect(meant.hasPrefix("run 1 `field-study`, observed, in study.sqlite\n\n"), "\(meant)")
        let against = try run(["compare", "2", "--arms", "adult", "--against", "1:adult", "--format", "table"])
        #expect(against.hasPrefix("run 2 `field-study`, observed, and run 1 `quickstart`, simulated, in decoy.sqlite\n\n"), "\(against)")
    }

    static let analyses: [[String]] = [
        ["compare", "1", "--arms", "adult,control"], ["population", "1"], ["regress", "1", "--terms", "arm"], ["show", "1"],
        ["curves", "1"], ["fit", "1", "--arm", "adult", "--models", "poisson"],
    ]

    @Test(arguments: analyses)
    func tableTextLeadsWithTheFileAndTheRun(command: [String]) throws {
        let text = try run(command + ["--format", "table", "--db", "study.sqlite"])
        #expect(text.hasPrefix("run 1 `field-study`, observed, in study.sqlite\n\n"), "\(command): \(text)")
    }

    /// JSON gains `origin` beside the result's own keys; the rows of `curves` and `fit` move
    /// under a key of their own for it.
    @Test(arguments: analyses)
    func jsonCarriesTheOrigin(command: [String]) throws {
        let object = try #require(try cli.json(try run(command + ["--format", "json", "--db", "study.sqlite"])) as? [String: Any], "\(command)")
        let origin = try #require(object["origin"] as? [String: Any], "\(command)")
        #expect(origin["database"] as? String == "study.sqlite")
        let runs = try #require(origin["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["run_id"] as? Int == 1 && runs[0]["name"] as? String == "field-study" && runs[0]["source"] as? String == "observed")
        #expect(object.count > 1, "the result's own keys stay")
        let listKey = ["curves": "curves", "fit": "fits"][command[0]]
        if let listKey { #expect((object[listKey] as? [[String: Any]])?.isEmpty == false, "\(command)") }
    }

    @Test func csvStaysAPureTable() throws {
        for (command, header) in [
            (["curves", "1"], "run_id,arm,replicate,metric,t_hours,estimate,lower,upper,at_risk,events,at_risk_postings,exposure_hours"),
            (["population", "1"], "observed,f1,f2,chao1,lower,upper,true_size,reading,contacts_without_identifier,undefined"),
            (["regress", "1", "--terms", "arm"], "term,level,coef,ratio,lower,upper,se,p"),
            (["fit", "1", "--arm", "adult", "--models", "poisson"], "arm,model,parameter,estimate,standard_error,log_likelihood,aic,ks_statistic,ks_p,converged"),
            (["export", "1", "--table", "events"], "run_id,replicate,arm,posting,seq,t_seconds,at,channel,contactor,t_hours,at_local"),
        ] {
            let csv = try run(command + ["--format", "csv", "--db", "study.sqlite"].filter { command[0] != "export" || $0 != "--format" && $0 != "csv" })
            #expect(csv.hasPrefix(header + "\n"), "\(command): \(csv)")
            #expect(!csv.contains("study.sqlite") && !csv.contains("field-study"), "\(command): \(csv)")
        }
    }

    /// The first line of table text is one line, and no file name there holds a contact
    /// identifier: a name with a line break or an invisible control (a right-to-left override)
    /// is withheld like one with a phone number, and so is a `+` and its digits after letters
    /// (`anna+447700900960`, which a file name may hold). JSON escapes what it carries.
    @Test func oddFileNamesKeepTheFirstLineOneLineAndHideIdentifiers() throws {
        let study = cli.path("study.sqlite")
        for (name, shown) in [
            ("a\nb.sqlite", "a file name of 10 characters"), ("a\u{202E}b.sqlite", "a file name of 10 characters"),
            ("anna+447700900960.sqlite", "a file name of 24 characters"), ("tel +44 7700 900960.sqlite", "a file name of 26 characters"),
            ("we`ird $x é漢字.sqlite", "we`ird $x é漢字.sqlite"), ("run 12.sqlite", "run 12.sqlite"),
        ] {
            try FileManager.default.copyItem(atPath: study, toPath: cli.path(name))
            let text = try run(["show", "1", "--format", "table", "--db", name])
            #expect(text.hasPrefix("run 1 `field-study`, observed, in \(shown)\n\n"), "\(name): \(text)")
            let json = try #require(try cli.json(try run(["population", "1", "--format", "json", "--db", name])) as? [String: Any])
            let database = (json["origin"] as? [String: Any])?["database"] as? String
            // A phone number is withheld in JSON too (`+44 7700 900960` holds no `447700900960`,
            // so look for a part every spelling has); a line break or control is carried escaped.
            #expect(name.contains("7700") ? database?.contains("7700") == false : database == name, "\(name): \(String(describing: database))")
        }
    }
}

