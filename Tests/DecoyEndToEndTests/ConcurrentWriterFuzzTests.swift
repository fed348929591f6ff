import DecoyModel
import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyStore

/// Seeded fuzzing of concurrent writers on one database file: each iteration starts 2–4 writing
/// commands at nearly the same moment — `run`, `resume` and `delete` of an interrupted run,
/// `sweep`, `import`, `record` and `end` on an observed run — sometimes stops one of them with
/// SIGINT or SIGKILL, and then checks what must hold whatever the interleaving: an intact file,
/// no run left `running`, every finished simulated run reproducible, one run per sweep point, one
/// observed run per experiment, no contact after its posting's window, re-imports that store
/// nothing, and no raw SQLite failure or crash in any process's output.
///
/// Iteration `i` draws everything from `SplitMixForTests(seed: baseSeed + i)`; a failure names
/// its iteration and seed. `DECOY_FUZZ_ITERATIONS` sets the number of iterations (default 12, about 45 s in a debug build on two cores).
@Suite(.serialized) struct ConcurrentWriterFuzzTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["DECOY_FUZZ_ITERATIONS"] ?? "") ?? 12 }
    static let baseSeed: UInt64 = 0xDEC0_5EED
    static let key = "fuzz-writers-key-0123456789abcdef"

    let cli: TestCLI
    var quickstart: String { cli.quickstartPath }

    init() throws {
        cli = try TestCLI()
        try cli.write("field.yaml", """
            version: 1
            name: field-fuzz
            start: 2024-01-01T00:00:00Z
            horizon: 10h
            grid: 30m
            arms:
              - name: decoy
                postings: 6
                channels: { call: 1, sms: 1 }
              - name: control
                postings: 2
            """)
    }

    // MARK: - Processes

    enum Kind: String, CaseIterable {
        case run, resume, delete, sweep, importBase = "import-base", importMore = "import-more", record, end
    }

    /// A started command whose output goes to files (nothing can block on a full pipe).
    final class Child {
        let kind: Kind
        let arguments: [String]
        let process = Process()
        let out: URL, err: URL
        /// The signal the test sent it, if it was still running then.
        var signal: Int32?
        /// For `record` and `end`: the posting and the instant in hours after midnight.
        var posting: String?
        var hours: Double?

        init(kind: Kind, arguments: [String], folder: URL, tag: String) {
            self.kind = kind
            self.arguments = arguments
            out = folder.appendingPathComponent("\(tag).out")
            err = folder.appendingPathComponent("\(tag).err")
        }

        var stdout: String { (try? String(contentsOf: out, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOf: err, encoding: .utf8)) ?? "" }
        var killed: Bool { signal != nil }
        var succeeded: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }
        var summary: String { "\(kind.rawValue) \(arguments.joined(separator: " ")) → \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)\(signal.map { " (sent \($0))" } ?? ""): \(stderr.prefix(300))" }
    }

    func start(_ kind: Kind, _ arguments: [String], tag: String) throws -> Child {
        let child = Child(kind: kind, arguments: arguments, folder: cli.folder, tag: tag)
        _ = FileManager.default.createFile(atPath: child.out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: child.err.path, contents: nil)
        child.process.executableURL = TestCLI.binary
        child.process.arguments = arguments
        child.process.currentDirectoryURL = cli.folder
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DECOY_DB")
        environment["DECOY_PSEUDONYM_KEY"] = Self.key
        child.process.environment = environment
        child.process.standardOutput = try FileHandle(forWritingTo: child.out)
        child.process.standardError = try FileHandle(forWritingTo: child.err)
        try child.process.run()
        return child
    }

    /// Runs a command to its end, with the pseudonym key in its environment.
    func decoy(_ arguments: [String]) throws -> TestCLI.Result {
        try cli.decoy(arguments: arguments, environment: ["DECOY_PSEUDONYM_KEY": Self.key])
    }

    func runs(_ db: String) throws -> [[String: Any]] {
        let result = try decoy(["runs", "--db", db, "--format", "json"])
        guard result.status == 0 else { throw Failure("runs --db \(db) failed: \(result.stderr)") }
        return try #require(try cli.json(result.stdout) as? [[String: Any]])
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: - Field files

    /// 2024-01-01T00:00:00Z plus `hours`, to the second.
    static func at(hours: Double) -> String {
        Timestamp(microseconds: 1_704_067_200_000_000 + Int64((hours * 3600).rounded()) * 1_000_000).utcText
    }

    /// The field files of an iteration: a base import (postings ad-1…ad-4 and c-1 at midnight,
    /// contacts up to 6 h) and a larger one holding all of it plus ad-5 (live from 1 h, ended at 8 h),
    /// sometimes c-2, sometimes an end of ad-2, and more contacts. Each is valid on its own.
    struct FieldFiles {
        var baseRows = 0
        var moreRows = 0
    }

    func writeFieldFiles(_ g: inout SplitMixForTests) throws -> FieldFiles {
        func below(_ n: Int) -> Int { Int(g.next() % UInt64(n)) }
        func contact() -> String { below(3) == 0 ? "" : "+1 555 010 \(10 + below(40))" }
        var base: [String] = []
        for _ in 0..<(3 + below(8)) {
            let posting = below(5)
            let hours = Double(below(360)) / 60
            base.append(posting == 4 ? "c-1,\(Self.at(hours: hours)),message,\(contact())" : "ad-\(posting + 1),\(Self.at(hours: hours)),\(below(2) == 0 ? "call" : "sms"),\(contact())")
        }
        // A repeated row: the same caller twice in one minute is two contacts.
        if below(3) == 0, let first = base.first { base.append(first) }
        let postingsHeader = "arm,posting,posted_at,ended_at\n"
        var postings = (1...4).map { "decoy,ad-\($0),\(Self.at(hours: 0)),\n" }.joined() + "control,c-1,\(Self.at(hours: 0)),\n"
        try cli.write("postings-base.csv", postingsHeader + postings)
        try cli.write("events-base.csv", "posting,at,channel,contact\n" + base.map { $0 + "\n" }.joined())

        var endOfAd2: Double?
        if below(2) == 0 {
            endOfAd2 = 6.5 + Double(below(180)) / 60
            postings = postings.replacingOccurrences(of: "decoy,ad-2,\(Self.at(hours: 0)),\n", with: "decoy,ad-2,\(Self.at(hours: 0)),\(Self.at(hours: endOfAd2!))\n")
        }
        postings += "decoy,ad-5,\(Self.at(hours: 1)),\(Self.at(hours: 8))\n"
        if below(2) == 0 { postings += "control,c-2,\(Self.at(hours: 2)),\n" }
        var more = base
        for _ in 0..<(2 + below(8)) {
            let posting = below(5) + 1
            let hours: Double
            switch posting {
            case 2: hours = Double(below(Int((endOfAd2 ?? 9.9) * 60))) / 60
            case 5: hours = 1 + Double(below(7 * 60)) / 60
            default: hours = Double(below(594)) / 60
            }
            more.append("ad-\(posting),\(Self.at(hours: hours)),\(below(2) == 0 ? "call" : "sms"),\(contact())")
        }
        try cli.write("postings-more.csv", postingsHeader + postings)
        try cli.write("events-more.csv", "posting,at,channel,contact\n" + more.map { $0 + "\n" }.joined())
        return FieldFiles(baseRows: base.count, moreRows: more.count)
    }

    func importArguments(_ which: Kind, db: String) -> [String] {
        let name = which == .importBase ? "base" : "more"
        return ["import", "field.yaml", "--postings", "postings-\(name).csv", "--events", "events-\(name).csv", "--db", db, "--format", "json"]
    }

    // MARK: - Simulated arguments

    /// Sweeps the iterations pick from; the first is the one an interrupted sweep of the setup ran.
    func sweepArguments(_ choice: Int, setupPostings: Int, db: String) -> [String] {
        let grids: [[String]] = [
            ["--grid", "seed=1,2", "--set", "arms.adult.postings=\(setupPostings)"],
            ["--grid", "seed=1,2,3", "--set", "arms.adult.postings=20"],
            ["--grid", "arms.adult.response.initial=100/h,200/h", "--set", "arms.adult.postings=8"],
        ]
        return ["sweep", quickstart, "--db", db, "--quiet", "--format", "json"] + grids[choice]
    }

    /// Starts a run (or the setup's sweep) and stops it with `signal` at a seeded moment: right
    /// after its run row appears, or once some postings are stored. Returns the interrupted run's id,
    /// or nil when the command finished first.
    func interruptedRun(db: String, viaSweep: Bool, postings: Int, signal: Int32, early: Bool, delay: Double) throws -> Int? {
        let arguments = viaSweep
            ? sweepArguments(0, setupPostings: postings, db: db)
            : ["run", quickstart, "--db", db, "--set", "arms.adult.postings=\(postings)", "--quiet"]
        let known = Set(((try? runs(db)) ?? []).compactMap { $0["run_id"] as? Int })
        let child = try start(viaSweep ? .sweep : .run, arguments, tag: "\(db)-setup")
        let deadline = Date().addingTimeInterval(60)
        while child.process.isRunning, Date() < deadline {
            if FileManager.default.fileExists(atPath: cli.path(db)), let list = try? runs(db),
               list.contains(where: { !known.contains($0["run_id"] as? Int ?? -1) && $0["status"] as? String == "running" && (early || ($0["postings"] as? Int ?? 0) > 0) }) {
                break
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        Thread.sleep(forTimeInterval: delay)
        if child.process.isRunning { kill(child.process.processIdentifier, signal) }
        child.process.waitUntilExit()
        #expect(child.process.terminationReason == .uncaughtSignal || [0, 130].contains(child.process.terminationStatus), "\(child.summary)")
        return try runs(db).last { !known.contains($0["run_id"] as? Int ?? -1) && $0["status"] as? String == "interrupted" }?["run_id"] as? Int
    }

    // MARK: - Direct reads

    /// The rows of a query on the file, each as its first `columns` values in text.
    func scalars(_ sql: String, columns: Int = 1, db: String) throws -> [[String]] {
        let connection = try Connection(path: cli.path(db), create: false)
        let statement = try connection.statement(sql)
        defer { try? statement.finish() }
        var rows: [[String]] = []
        while try statement.step() { rows.append(try (0..<columns).map { try statement.optionalText(Int32($0)) ?? "NULL" }) }
        return rows
    }

    // MARK: - The fuzz

    struct Tally {
        var processes = 0
        var kills = 0
        var sigints = 0
        var kinds: [Kind: Int] = [:]
        var reruns = 0
        var reimports = 0
        var resumedAfter = 0
        var freshFiles = 0
    }

    @Test func concurrentWritersKeepEveryInvariant() throws {
        var tally = Tally()
        let started = Date()
        for iteration in 0..<Self.iterations {
            let seed = Self.baseSeed &+ UInt64(iteration)
            try fuzzIteration(iteration, seed: seed, tally: &tally)
        }
        let kinds = Kind.allCases.map { "\($0.rawValue) \(tally.kinds[$0, default: 0])" }.joined(separator: ", ")
        print("concurrent writers: \(Self.iterations) iterations (\(tally.freshFiles) on a new file), \(tally.processes) processes (\(kinds)), \(tally.kills) kills (\(tally.sigints) SIGINT), \(tally.reruns) reruns, \(tally.reimports) re-imports, \(tally.resumedAfter) interrupted runs resumed after, \(Int(Date().timeIntervalSince(started))) s")
        #expect(tally.processes >= 2 * Self.iterations)
    }

    func fuzzIteration(_ iteration: Int, seed: UInt64, tally: inout Tally) throws {
        var g = SplitMixForTests(seed: seed)
        func below(_ n: Int) -> Int { Int(g.next() % UInt64(n)) }
        let db = "fuzz\(iteration).sqlite"
        let label = "iteration \(iteration) (seed \(seed))"
        let files = try writeFieldFiles(&g)

        // Setup: a new file, or one holding an observed run, maybe a finished run and an interrupted run.
        let fresh = below(4) == 0
        var observedRun: Int?
        var interrupted: Int?
        var importedOK: [Kind] = []
        let setupPostings = 250 + below(500)
        if fresh {
            tally.freshFiles += 1
        } else {
            let observedFirst = below(2) == 0
            func setupImport() throws {
                let result = try decoy(importArguments(.importBase, db: db))
                try #require(result.status == 0, "\(label): setup import: \(result.stderr)")
                observedRun = (try cli.json(result.stdout) as? [String: Any])?["run_id"] as? Int
                importedOK.append(.importBase)
            }
            if observedFirst { try setupImport() }
            if below(2) == 0 {
                #expect(try decoy(["run", quickstart, "--db", db, "--set", "arms.adult.postings=3", "--quiet"]).status == 0, "\(label)")
            }
            let viaSweep = below(3) == 0
            interrupted = try interruptedRun(db: db, viaSweep: viaSweep, postings: viaSweep ? setupPostings : 300 + below(700),
                                             signal: below(2) == 0 ? SIGINT : SIGKILL, early: below(4) == 0, delay: Double(below(300)) / 1000)
            if !observedFirst { try setupImport() }
        }

        // The mix, started back to back.
        var available: [Kind] = [.run, .sweep, .importBase, .importMore]
        if observedRun != nil { available += [.record, .end, .record, .end] }
        if interrupted != nil { available += [.resume, .delete, .resume] }
        var children: [Child] = []
        let count = 2 + below(3)
        var planned: [(Kind, [String], String?, Double?)] = []
        for _ in 0..<count {
            let kind = available[below(available.count)]
            switch kind {
            case .run:
                planned.append((kind, ["run", quickstart, "--db", db, "--set", "arms.adult.postings=\(2 + below(40))", "--quiet", "--format", "json"], nil, nil))
            case .resume:
                planned.append((kind, ["resume", String(interrupted!), "--db", db, "--quiet", "--format", "json"], nil, nil))
            case .delete:
                planned.append((kind, ["delete", String(interrupted!), "--db", db], nil, nil))
            case .sweep:
                planned.append((kind, sweepArguments(below(3), setupPostings: setupPostings, db: db), nil, nil))
            case .importBase, .importMore:
                planned.append((kind, importArguments(kind, db: db), nil, nil))
            case .record:
                let posting = "ad-\(1 + below(5))", hours = Double(6 + below(588)) / 60
                var arguments = ["record", String(observedRun!), "--posting", posting, "--channel", below(2) == 0 ? "call" : "sms", "--at", Self.at(hours: hours), "--db", db]
                if below(2) == 0 { arguments += ["--contact", "+1 555 010 \(10 + below(40))"] }
                planned.append((kind, arguments, posting, hours))
            case .end:
                let posting = "ad-\(1 + below(5))", hours = Double(30 + below(558)) / 60
                planned.append((kind, ["end", String(observedRun!), "--posting", posting, "--at", Self.at(hours: hours), "--db", db], posting, hours))
            }
        }
        let victim = below(2) == 0 ? below(count) : nil
        let victimSignal = below(2) == 0 ? SIGINT : SIGKILL
        let victimDelay = Double(below(400)) / 1000
        for (index, (kind, arguments, posting, hours)) in planned.enumerated() {
            let child = try start(kind, arguments, tag: "\(db)-\(index)")
            child.posting = posting
            child.hours = hours
            children.append(child)
        }
        if let victim {
            Thread.sleep(forTimeInterval: victimDelay)
            let child = children[victim]
            if child.process.isRunning, kill(child.process.processIdentifier, victimSignal) == 0 {
                child.signal = victimSignal
                tally.kills += 1
                if victimSignal == SIGINT { tally.sigints += 1 }
            }
        }
        for child in children { child.process.waitUntilExit() }
        tally.processes += children.count
        for child in children { tally.kinds[child.kind, default: 0] += 1 }
        let all = children.map(\.summary).joined(separator: "\n  ")
        let context = "\(label):\n  \(all)"

        // Every process ended by itself, or by the signal it was sent; no raw SQLite failure or crash.
        for child in children {
            let stderr = child.stderr
            for needle in ["constraint failed", "Fatal error", "SQLite error", "database is locked", "UNIQUE", "FOREIGN KEY"] {
                #expect(!stderr.contains(needle), "\(context)\nfound `\(needle)`")
            }
            if child.process.terminationReason == .uncaughtSignal {
                #expect(child.signal == child.process.terminationStatus, "\(context)\ncrashed with signal \(child.process.terminationStatus)")
                continue
            }
            if child.killed { continue }
            switch child.kind {
            case .run, .sweep:
                #expect(child.process.terminationStatus == 0, "\(context)")
            default:
                #expect([0, 1].contains(child.process.terminationStatus), "\(context)")
                if child.process.terminationStatus == 1 { #expect(stderr.hasPrefix("error: "), "\(context)") }
            }
            if child.succeeded, [.importBase, .importMore].contains(child.kind) { importedOK.append(child.kind) }
        }
        guard cli.exists(db) else {
            #expect(children.allSatisfy { $0.killed || ![.run, .sweep].contains($0.kind) }, "\(context)\nno database was written")
            return
        }

        try checkStore(db: db, context: context, children: children, tally: &tally)

        // The observed run: one per experiment, record and end never both past each other, and a
        // re-import of every file pair that was imported stores nothing and leaves the digest as it is.
        let list = try runs(db)
        let observed = list.filter { $0["source"] as? String == "observed" }
        #expect(observed.count == (importedOK.isEmpty ? 0 : 1), "\(context)\nobserved runs: \(observed.map { $0["run_id"] ?? "?" })")
        for end in children where end.kind == .end && end.succeeded {
            for record in children where record.kind == .record && record.succeeded && record.posting == end.posting {
                #expect(record.hours! <= end.hours!, "\(context)\nrecord at \(record.hours!) h and end at \(end.hours!) h of \(end.posting!) both succeeded")
            }
        }
        if let run = observed.first {
            #expect(run["status"] as? String == "complete", "\(context)")
            for which in Set(importedOK).sorted(by: { $0.rawValue < $1.rawValue }) {
                let before = try runs(db).first { $0["run_id"] as? Int == run["run_id"] as? Int }
                let again = try decoy(importArguments(which, db: db))
                #expect(again.status == 0, "\(context)\nre-import \(which.rawValue): \(again.stderr)")
                let json = try cli.json(again.stdout) as? [String: Any]
                #expect(json?["run_id"] as? Int == run["run_id"] as? Int, "\(context)")
                #expect(json?["new_contacts"] as? Int == 0 && json?["new_postings"] as? Int == 0, "\(context)\nre-import \(which.rawValue) stored more: \(again.stdout)")
                #expect(json?["already_stored"] as? Int == (which == .importBase ? files.baseRows : files.moreRows), "\(context)\nre-import \(which.rawValue): \(again.stdout)")
                let after = try runs(db).first { $0["run_id"] as? Int == run["run_id"] as? Int }
                #expect(after?["digest"] as? String == before?["digest"] as? String, "\(context)\nthe stored digest is not the digest of the stored rows")
                #expect(after?["contacts"] as? Int == before?["contacts"] as? Int, "\(context)")
                tally.reimports += 1
            }
        }

        // What is left interrupted can still be finished, to a run that reproduces.
        for run in try runs(db) where run["source"] as? String == "simulated" && run["status"] as? String == "interrupted" {
            let id = String(run["run_id"] as? Int ?? -1)
            let resumed = try decoy(["resume", id, "--db", db, "--quiet"])
            #expect(resumed.status == 0, "\(context)\nresume \(id) afterwards: \(resumed.stderr)")
            let rerun = try decoy(["rerun", id, "--db", db, "--quiet"])
            #expect(rerun.status == 0, "\(context)\nrerun \(id) after resuming it: \(rerun.stdout) \(rerun.stderr)")
            tally.resumedAfter += 1
        }
        #expect(try scalars("PRAGMA integrity_check", db: db).first?.first == "ok", "\(context)")
    }

    /// The invariants of the stored file itself.
    func checkStore(db: String, context: String, children: [Child], tally: inout Tally) throws {
        #expect(try scalars("PRAGMA integrity_check", db: db).first?.first == "ok", "\(context)")
        let list = try runs(db)
        for run in list {
            let status = run["status"] as? String ?? "?"
            #expect(status == "complete" || status == "interrupted", "\(context)\nrun \(run["run_id"] ?? "?") is \(status) with every writer gone")
        }
        // Totals agree with the rows; no row outlives its run or posting; no contact after its window.
        let totals = try scalars("""
            SELECT r.run_id FROM runs r
            WHERE r.postings != (SELECT count(*) FROM postings p WHERE p.run_id = r.run_id)
               OR r.contacts != (SELECT count(*) FROM posting_contacts c WHERE c.run_id = r.run_id)
            """, db: db)
        #expect(totals.isEmpty, "\(context)\nruns whose totals disagree with their rows: \(totals)")
        let orphans = try scalars("""
            SELECT 'contacts', count(*) FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM posting_contacts p WHERE p.contact_id = c.contact_id)
            UNION ALL SELECT 'missing contact', (SELECT coalesce(sum(contact_count), 0) FROM postings) - (SELECT count(*) FROM posting_contacts)
            UNION ALL SELECT 'shared contact', (SELECT count(*) FROM posting_contacts) - (SELECT count(*) FROM contacts)
            UNION ALL SELECT 'postings', count(*) FROM postings p WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = p.run_id)
            UNION ALL SELECT 'arms', count(*) FROM arms a WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = a.run_id)
            UNION ALL SELECT 'channels', count(*) FROM channels h WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = h.run_id)
            UNION ALL SELECT 'contactors', count(*) FROM contactors k WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.run_id = k.run_id)
            """, columns: 2, db: db)
        for row in orphans { #expect(row[1] == "0", "\(context)\n\(row[1]) \(row[0]) rows without their run or posting") }
        let late = try scalars("""
            SELECT c.run_id, p.label, c.t_us, p.window_us FROM posting_contacts c JOIN postings p ON p.run_id = c.run_id AND p.posting_id = c.posting_id
            WHERE c.t_us > p.window_us OR c.t_us < 0 LIMIT 5
            """, columns: 4, db: db)
        #expect(late.isEmpty, "\(context)\ncontacts outside their posting's window: \(late)")
        // One run per sweep point, one observed run per experiment, simulated runs hold a prefix of their postings.
        let shared = try scalars("SELECT sweep, sweep_point, count(*) FROM runs WHERE sweep IS NOT NULL GROUP BY sweep, sweep_point HAVING count(*) > 1", columns: 3, db: db)
        #expect(shared.isEmpty, "\(context)\nsweep points with more than one run: \(shared)")
        let observed = try scalars("SELECT name, count(*) FROM runs WHERE source = 'observed' GROUP BY name, config_sha256 HAVING count(*) > 1", columns: 2, db: db)
        #expect(observed.isEmpty, "\(context)\nexperiments with more than one observed run: \(observed)")
        let gaps = try scalars("""
            SELECT r.run_id FROM runs r WHERE r.source = 'simulated'
              AND (SELECT coalesce(max(posting_id) + 1, 0) FROM postings p WHERE p.run_id = r.run_id) != (SELECT count(*) FROM postings p WHERE p.run_id = r.run_id)
            """, db: db)
        #expect(gaps.isEmpty, "\(context)\nsimulated runs not holding a prefix of their postings: \(gaps)")
        // Every finished simulated run reproduces; a `run` that finished printed the digest stored.
        for run in list where run["source"] as? String == "simulated" && run["status"] as? String == "complete" {
            let id = String(run["run_id"] as? Int ?? -1)
            let rerun = try decoy(["rerun", id, "--db", db, "--quiet"])
            #expect(rerun.status == 0, "\(context)\nrerun \(id): \(rerun.stdout) \(rerun.stderr)")
            tally.reruns += 1
        }
        for child in children where child.kind == .run && child.succeeded {
            let json = try cli.json(child.stdout) as? [String: Any]
            let stored = list.first { $0["run_id"] as? Int == json?["run_id"] as? Int }
            #expect(stored != nil && stored?["digest"] as? String == json?["digest"] as? String, "\(context)\nthe run printed \(child.stdout)")
        }
    }
}
