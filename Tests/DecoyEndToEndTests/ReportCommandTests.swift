import DecoyTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `decoy report` and the report `decoy quickstart` writes: self-contained, deterministic,
/// escaped, valid HTML5 with SVG that parses as XML, charts whose tables are `decoy curves`,
/// and, in a real headless Chromium, a page that loads offline without errors and prints.
@Suite struct ReportCommandTests {
    static func python(_ arguments: [String]) throws -> TestCLI.Result { try TestProcess.run(["python3"] + arguments) }

    static var html5libAvailable: Bool { (try? python(["-c", "import html5lib"]))?.status == 0 }
    static var browserAvailable: Bool {
        (try? python(["-c", "import playwright"]))?.status == 0
            && ["/usr/bin/chromium", "/usr/bin/chromium-headless-shell", "/usr/lib/chromium/chromium", ProcessInfo.processInfo.environment["DECOY_CHROMIUM"] ?? ""]
                .contains { !$0.isEmpty && FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The quickstart's run and its report, in a fresh folder.
    static func quickstart() throws -> (TestCLI, String) {
        let cli = try TestCLI()
        let result = try cli.decoy("quickstart", "--quiet")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("report: decoy-report.html"))
        return (cli, try String(contentsOfFile: cli.path("decoy-report.html"), encoding: .utf8))
    }

    /// The data rows of a figure's table, cells joined by commas as CSV would write them.
    static func tableRows(_ page: String, figure: String) throws -> [String] {
        let start = try #require(page.range(of: "<figure id=\"\(figure)\">"))
        let end = try #require(page.range(of: "</figure>", range: start.upperBound..<page.endIndex))
        let body = page[start.upperBound..<end.lowerBound]
        let tbody = try #require(body.range(of: "<tbody>")).upperBound
        return body[tbody...].components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td>").dropFirst().map { $0.components(separatedBy: "</td>")[0] }.joined(separator: ",")
        }
    }

    /// The HTML of a section of a page.
    static func section(_ page: String, id: String) throws -> String {
        let start = try #require(page.range(of: "<section id=\"\(id)\">"))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        return String(page[start.lowerBound..<end.upperBound])
    }

    /// A figure's caption, as text.
    static func caption(_ page: String, figure: String) throws -> String {
        let start = try #require(page.range(of: "<figure id=\"\(figure)\">"))
        let open = try #require(page.range(of: "<figcaption>", range: start.upperBound..<page.endIndex))
        let close = try #require(page.range(of: "</figcaption>", range: open.upperBound..<page.endIndex))
        return String(page[open.upperBound..<close.lowerBound]).htmlUnescaped
    }

    /// An observed run imported from files written here. Two arms; the decoy ads went live 2 h apart
    /// (written in UTC; the config's `start` is at +01:00), one was taken down 4.5 h after going
    /// live, and their 5 contacts came by call (3) and sms (2). The control arm's 30 contacts all
    /// came to one of its 3 ads within its first hour, by call and sms in turn, so its interval is
    /// far wider than any curve. The config writes a seed and channel weights, which nothing
    /// observed used, and leaves out schedules, populations and response models.
    static func importObservedRun(_ cli: TestCLI) throws {
        try cli.write("observed.yaml", """
            version: 1
            name: field-run
            seed: 7
            start: 2025-03-07T18:00:00+01:00
            horizon: 72h
            grid: 1h
            arms:
              - name: decoy
                postings: 4
                attributes: { section: adult }
                channels: { call: 1, sms: 1 }
              - name: control
                postings: 3
                attributes: { section: furniture }
                channels: { call: 1, sms: 1 }
            """)
        try cli.write("postings.csv", """
            arm,posting,posted_at,ended_at
            decoy,d1,2025-03-07T17:00:00Z,
            decoy,d2,2025-03-07T19:00:00Z,2025-03-07T23:30:00Z
            decoy,d3,2025-03-07T21:00:00Z,
            decoy,d4,2025-03-07T23:00:00Z,
            control,c1,2025-03-07T17:30:00Z,
            control,c2,2025-03-07T18:30:00Z,
            control,c3,2025-03-07T19:30:00Z,

            """)
        var events = """
            posting,at,channel
            d1,2025-03-07T17:06:00Z,call
            d1,2025-03-07T18:00:00Z,call
            d1,2025-03-07T19:00:00Z,sms
            d2,2025-03-07T19:30:00Z,call
            d3,2025-03-08T00:00:00Z,sms

            """
        // 30 contacts 20 s apart from 17:40:00Z, 10 min after c1 went live.
        for k in 0..<30 { events += "c1,2025-03-07T17:\(40 + k / 3):\(String(format: "%02d", (k % 3) * 20))Z,\(k % 2 == 0 ? "call" : "sms")\n" }
        try cli.write("events.csv", events)
        let imported = try cli.decoy("import", cli.path("observed.yaml"), "--postings", cli.path("postings.csv"), "--events", cli.path("events.csv"))
        try #require(imported.status == 0, "\(imported.stderr)")
    }

    @Test func quickstartReportIsSmallSelfContainedAndTheSameBytesEachTime() throws {
        let (cli, page) = try Self.quickstart()
        #expect(page.utf8.count < 300_000, "\(page.utf8.count) bytes")
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        // No reference outside the page: no src, href or CSS url() to a network address.
        for pattern in [#"(src|href)\s*=\s*"(https?:|//)"#, #"url\(\s*['"]?(https?:|//)"#, #"@import"#, #"<script"#, #"<link"#] {
            #expect(page.range(of: pattern, options: [.regularExpression, .caseInsensitive]) == nil, "\(pattern)")
        }
        for section in ["experiment", "provenance", "summary", "curves", "comparison", "fits", "population"] {
            #expect(page.contains("<section id=\"\(section)\">"), "section \(section)")
        }
        #expect(page.components(separatedBy: "<svg").count - 1 == 3)
        let again = try cli.decoy("report", "1", "--out", "again.html")
        #expect(again.status == 0, "\(again.stderr)")
        let second = try String(contentsOfFile: cli.path("again.html"), encoding: .utf8)
        let same = zip(second, page).prefix { $0 == $1 }.count
        #expect(second == page, "first difference at character \(same): \(page.dropFirst(max(0, same - 80)).prefix(160)) against \(second.dropFirst(max(0, same - 80)).prefix(160))")
    }

    @Test func everySVGParsesAsXMLWithTextAlternatives() throws {
        let (_, page) = try Self.quickstart()
        var rest = Substring(page)
        var count = 0
        while let open = rest.range(of: "<svg"), let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex) {
            let svg = String(rest[open.lowerBound..<close.upperBound])
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "SVG \(count): \(String(describing: parser.parserError))")
            #expect(svg.contains("<title id=") && svg.contains("<desc id="))
            count += 1
            rest = rest[close.upperBound...]
        }
        #expect(count == 3)
    }

    @Test(.enabled(if: html5libAvailable || BrowserCheck.required, "html5lib is not installed (pip install html5lib==1.1): the HTML5 parse is not checked"))
    func thePageParsesAsHTML5WithoutErrors() throws {
        let (cli, _) = try Self.quickstart()
        let result = try Self.python([TestCLI.repository.appendingPathComponent("scripts/check-html5.py").path, cli.path("decoy-report.html")])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try cli.json(result.stdout) as? [String: Any])
        #expect((object["errors"] as? [Any])?.isEmpty == true, "\(result.stdout)")
        #expect((object["elements"] as? Int ?? 0) > 1000)
    }

    /// `report --terms`: a forest plot whose rows and table are `regress`'s coefficients, an SVG that
    /// parses with its text alternatives, and an HTML5 page without errors.
    @Test func aRegressionAddsAForestPlotOfRegressNumbers() throws {
        let cli = try TestCLI()
        try #require(try cli.decoy("run", TestCLI.repository.appendingPathComponent("experiments/two-platforms.yaml").path, "--quiet").status == 0)
        let flags = ["--terms", "section,platform,section:platform", "--strata", "city", "--reference", "section=control"]
        let report = try cli.decoy(arguments: ["report", "1", "--out", "forest.html"] + flags)
        try #require(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("forest.html"), encoding: .utf8)
        #expect(page.contains("<section id=\"regression\">"))
        let start = try #require(page.range(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-forest\""))
        let end = try #require(page.range(of: "</svg>", range: start.upperBound..<page.endIndex))
        let svg = String(page[start.lowerBound..<end.upperBound])
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="))
        #expect(svg.components(separatedBy: "<g class=\"row\">").count - 1 == 3)
        #expect(svg.contains("section:platform: adult:site-b"))
        let regress = try cli.decoy(arguments: ["regress", "1", "--format", "csv"] + flags)
        let expected = TestCLI.rows(regress.stdout).map { $0.joined(separator: ",") }
        #expect(try Self.tableRows(page, figure: "figure-forest") == expected)
        if Self.html5libAvailable || BrowserCheck.required {
            let result = try Self.python([TestCLI.repository.appendingPathComponent("scripts/check-html5.py").path, cli.path("forest.html")])
            #expect(result.status == 0, "\(result.stderr)")
            #expect((try cli.json(result.stdout) as? [String: Any])?["errors"].map { ($0 as? [Any])?.isEmpty == true } == true, "\(result.stdout)")
        }
        let refused = try cli.decoy("report", "1", "--out", "x.html", "--strata", "city")
        #expect(refused.status == 64 && !cli.exists("x.html"))
    }

    @Test func theChartTablesAreDecoyCurves() throws {
        let (cli, page) = try Self.quickstart()
        let mcf = try cli.decoy("curves", "1", "--metric", "mcf,expected", "--format", "csv")
        #expect(try Self.tableRows(page, figure: "figure-mcf") == mcf.stdout.split(separator: "\n").dropFirst().map(String.init))
        // The rate chart uses the default (corrected) intervals, as `decoy curves` gives them.
        let rate = try cli.decoy("curves", "1", "--metric", "rate", "--format", "csv")
        #expect(try Self.tableRows(page, figure: "figure-rate") == rate.stdout.split(separator: "\n").dropFirst().map(String.init))
        // Kaplan–Meier at each first contact and window end: `curves --metric ttfc` at that time.
        let ttfc = try Self.tableRows(page, figure: "figure-ttfc")
        #expect(ttfc.count > 4)
        for row in [ttfc[1], ttfc[ttfc.count / 2], ttfc[ttfc.count - 2]] {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let t = try #require(Double(fields[4]))
            let duration = "\(String(format: "%.6f", t * 3600))s"
            let curve = try cli.decoy("curves", "1", "--metric", "ttfc", "--grid", duration, "--until", duration, "--format", "csv")
            let line = try #require(TestCLI.rows(curve.stdout).first { $0[1] == fields[1] && Double($0[4]).map { abs($0 - t) < 1e-9 } == true })
            #expect(line[5...9].joined(separator: ",") == fields[5...9].joined(separator: ","), "\(row)")
        }
        // The CSV download is the same table.
        let uri = try #require(page.range(of: #"href="data:text/csv;charset=utf-8,[^"]*""#, options: .regularExpression))
        let csv = try #require(String(page[uri]).dropFirst(6).dropLast().components(separatedBy: ",").dropFirst().joined(separator: ",").removingPercentEncoding)
        #expect(csv == mcf.stdout)
    }

    /// The rate chart's bands are drawn at the limits `decoy curves --metric rate` prints (its
    /// default intervals), to the 0.01 px the SVG is written in: the y axis is read back from two
    /// of its tick labels, and each arm's ribbon (a polygon over the upper limits left to right,
    /// then the lower ones back, two points per bin) is compared bin by bin.
    @Test func theRateBandsAreDrawnAtTheLimitsOfDecoyCurves() throws {
        let (cli, page) = try Self.quickstart()
        let start = try #require(page.range(of: "id=\"chart-rate\""))
        let svg = String(page[start.lowerBound..<(try #require(page.range(of: "</svg>", range: start.upperBound..<page.endIndex))).lowerBound])
        // y tick labels: <text x=".." y="py + 4" text-anchor="end">label</text>.
        let ticks = try Self.matches(#"<text x="[0-9.]+" y="([0-9.]+)" text-anchor="end">([0-9.e+-]+)</text>"#, in: svg)
            .map { (pixel: try #require(Double($0[0])) - 4, value: try #require(Double($0[1]))) }
        try #require(ticks.count >= 2)
        let (first, last) = (ticks[0], ticks[ticks.count - 1])
        func pixel(_ value: Double) -> Double { first.pixel + (value - first.value) / (last.value - first.value) * (last.pixel - first.pixel) }
        let ribbons = try Self.matches(#"<polygon class="ribbon"[^>]* points="([^"]*)"/>"#, in: svg).map { match in
            try match[0].split(separator: " ").map { try #require(Double($0.split(separator: ",")[1])) }
        }
        let curves = try cli.decoy("curves", "1", "--metric", "rate", "--format", "csv")
        let rows = TestCLI.rows(curves.stdout)
        var arms: [String] = []
        for row in rows where !arms.contains(row[1]) { arms.append(row[1]) }
        try #require(ribbons.count == arms.count && arms.count >= 2)
        var compared = 0
        for (arm, ribbon) in zip(arms, ribbons) {
            let limits = rows.filter { $0[1] == arm && !$0[6].isEmpty }.map { (lower: Double($0[6])!, upper: Double($0[7])!) }
            try #require(ribbon.count == 4 * limits.count, "\(arm): \(ribbon.count) points for \(limits.count) bins")
            let m = 2 * limits.count
            for (j, limit) in limits.enumerated() {
                for (drawn, value) in [(ribbon[2 * j], limit.upper), (ribbon[2 * j + 1], limit.upper),
                                       (ribbon[2 * m - 1 - 2 * j], limit.lower), (ribbon[2 * m - 2 - 2 * j], limit.lower)] {
                    #expect(abs(drawn - pixel(value)) < 0.05, "\(arm) bin \(j): drawn at \(drawn) px, curves' \(value) is at \(pixel(value)) px")
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
    }

    /// The capture groups of each match of `pattern` in `text`.
    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
            (1..<match.numberOfRanges).map { String(text[Range(match.range(at: $0), in: text)!]) }
        }
    }

    @Test func stringsFromTheConfigAreEscapedNeverRun() throws {
        let cli = try TestCLI()
        var config = try String(contentsOfFile: cli.quickstartPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "description: >", with: "description: \"<script>alert(1)</script> & <img src=x onerror=alert(2)>\"\nx_old_description: >")
        config = config.replacingOccurrences(of: "x_old_description: >", with: "# old:")
        let lines = config.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Drop the folded old description's lines (indented, after the comment).
        var kept: [String] = []
        var skipping = false
        for line in lines {
            if line.hasPrefix("# old:") { skipping = true; continue }
            if skipping, line.hasPrefix("  ") { continue }
            skipping = false
            kept.append(line)
        }
        config = kept.joined(separator: "\n").replacingOccurrences(of: "section: escorts", with: "section: \"</td><script>alert(3)</script>\"")
        try cli.write("hostile.yaml", config)
        let run = try cli.decoy("run", cli.path("hostile.yaml"), "--quiet")
        #expect(run.status == 0, "\(run.stderr)")
        let report = try cli.decoy("report", "1", "--out", "hostile.html")
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("hostile.html"), encoding: .utf8)
        #expect(!page.contains("<script") && !page.contains("<img"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;"))
        #expect(page.contains("&lt;/td&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
    }

    @Test func observedAndInterruptedRunsSayWhatTheyAre() throws {
        let cli = try TestCLI()
        let template = TestCLI.repository.appendingPathComponent("experiments/field-template")
        let imported = try cli.decoy(arguments: [
            "import", template.appendingPathComponent("field.yaml").path, "--postings", template.appendingPathComponent("postings.csv").path,
            "--events", template.appendingPathComponent("events.csv").path, "--no-contacts"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try cli.decoy("report", "1", "--out", "observed.html").status == 0)
        let observed = try String(contentsOfFile: cli.path("observed.html"), encoding: .utf8)
        #expect(observed.contains("observed run 1") && !observed.contains(", model</text>") && !observed.contains(",expected,"))
        // A run stopped by SIGINT is interrupted, and its report says so first. Many postings with
        // few contacts, stopped by the signal as its second chunk arrives: the stored part is small to report.
        let stopped = try cli.decoy(arguments: [
            "run", cli.quickstartPath, "--set", "replicates=20000", "--set", "arms.adult.response.initial=1/h",
            "--set", "arms.adult.response.baseline=0.01/h", "--quiet", "--db", "big.sqlite"], environment: ["DECOY_FAILPOINT": "run-chunk:2"])
        #expect(stopped.status == 130, "\(stopped.stderr)")
        let report = try cli.decoy("report", "last", "--db", "big.sqlite", "--out", "stopped.html")
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("stopped.html"), encoding: .utf8)
        #expect(page.contains("<p class=\"banner\" role=\"alert\">This run is interrupted"))
    }

    @Test func anArmOfAnotherRunIsOverlaid() throws {
        let (cli, _) = try Self.quickstart()
        #expect(try cli.decoy("run", cli.quickstartPath, "--seed", "2", "--quiet").status == 0)
        let result = try cli.decoy("report", "1", "--arms", "adult", "--against", "2:adult", "--out", "against.html")
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: cli.path("against.html"), encoding: .utf8)
        #expect(page.contains(">run 2: adult</text>"))
        let other = try cli.decoy("curves", "2", "--metric", "mcf", "--format", "csv")
        let rows = Set(try Self.tableRows(page, figure: "figure-mcf"))
        #expect(other.stdout.split(separator: "\n").dropFirst().filter { $0.contains(",adult,") }.allSatisfy { rows.contains(String($0)) })
        #expect(page.contains("Comparison: adult (run 1) against adult (run 2)"), "the two arms of one name are told apart by their run")
    }

    @Test func theReportNeverReplacesTheDatabase() throws {
        let (cli, _) = try Self.quickstart()
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.path("decoy.sqlite")))
        let result = try cli.decoy("report", "1", "--out", "decoy.sqlite")
        #expect(result.status != 0 && result.stderr.hasPrefix("error: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("decoy.sqlite"))) == before)
    }

    /// An observed run's Experiment section and provenance facts hold what was observed: go-live
    /// times in the offset of the config's `start`, windows and early takedowns, the channels used
    /// with their counts; no seed, schedule, channel weight, population, replicate or model.
    @Test func anObservedRunShowsWhatWasObservedAndNothingSimulated() throws {
        let cli = try TestCLI()
        try Self.importObservedRun(cli)
        let report = try cli.decoy("report", "1", "--out", "observed.html")
        try #require(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("observed.html"), encoding: .utf8)
        let experiment = try Self.section(page, id: "experiment")
        // 17:00Z is 18:00 at +01:00; four ads: the first and the last, three: each.
        #expect(experiment.contains("first 2025-03-07T18:00:00+01:00, last 2025-03-08T00:00:00+01:00"), "\(experiment)")
        #expect(experiment.contains("2025-03-07T18:30:00+01:00, 2025-03-07T19:30:00+01:00, 2025-03-07T20:30:00+01:00"))
        #expect(experiment.contains("3 for the whole 72 h, 1 taken down early (after 4.5 h)"))
        #expect(experiment.contains("72 h each"))
        #expect(experiment.contains("call 3, sms 2") && experiment.contains("call 15, sms 15"))
        for leftover in ["seed", "every", "call 0.5", "sms 0.5", "10000", "population", "response", "model", "replicate"] {
            #expect(!experiment.contains(leftover), "the Experiment section shows \(leftover)")
        }
        // The facts, before the config texts (the config as given does write its seed).
        let provenance = try Self.section(page, id: "provenance")
        let facts = provenance[..<(provenance.range(of: "<details")?.lowerBound ?? provenance.endIndex)]
        #expect(facts.contains("<dt>source</dt><dd>observed</dd>"))
        #expect(!facts.contains("<dt>seed</dt>") && !facts.contains("<dt>replicates</dt>"), "\(facts)")
        // The config as given, not the resolved one, which would fill in schedules and weights.
        #expect(provenance.contains("The config as given") && !provenance.contains("The resolved config"), "\(provenance)")
        #expect(!provenance.contains("&quot;every&quot;") && !provenance.contains("\"every\""))
    }

    /// A simulated run's Experiment section keeps its settings, and shows each arm's response as
    /// the config's YAML: put in place of the arm's `response:` in the config, it gives the run's
    /// config sha256 again.
    @Test func theResponseIsShownAsTheConfigWritesIt() throws {
        let (cli, page) = try Self.quickstart()
        let experiment = try Self.section(page, id: "experiment")
        for kept in ["seed 20161104", "from 0h every 2h", "call 0.5, sms 0.5", "1 replicate(s)"] {
            #expect(experiment.contains(kept), "\(kept)")
        }
        #expect(!experiment.contains("{&quot;"), "JSON in the Experiment section")
        let shown = try cli.json(try cli.decoy("show", "1", "--format", "json").stdout) as? [String: Any]
        let sha = try #require(shown?["config_sha256"] as? String)
        let original = try String(contentsOfFile: cli.quickstartPath, encoding: .utf8).components(separatedBy: "\n")
        for arm in ["adult", "control"] {
            let open = try #require(experiment.range(of: "<details open><summary>\(arm): response</summary><pre>"))
            let close = try #require(experiment.range(of: "</pre>", range: open.upperBound..<experiment.endIndex))
            let yaml = String(experiment[open.upperBound..<close.lowerBound]).htmlUnescaped
            #expect(yaml.hasPrefix("response:\n  model: "))
            // The arm's `response:` block of quickstart.yaml: from its key to the next key of the arm.
            let armLine = try #require(original.firstIndex(of: "  - name: \(arm)"))
            let from = try #require(original[armLine...].firstIndex(of: "    response:"))
            let to = original[(from + 1)...].firstIndex { !$0.hasPrefix("      ") } ?? original.endIndex
            var spliced = original
            spliced.replaceSubrange(from..<to, with: yaml.components(separatedBy: "\n").map { "    " + $0 })
            try cli.write("spliced-\(arm).yaml", spliced.joined(separator: "\n"))
            let validated = try cli.decoy("validate", cli.path("spliced-\(arm).yaml"), "--format", "json")
            #expect(validated.status == 0, "\(validated.stderr)\n\(yaml)")
            #expect((try? cli.json(validated.stdout) as? [String: Any])?["config_sha256"] as? String == sha, "\(yaml)")
        }
    }

    /// The caption names the look of the model's expected curve; the drawn line and its legend
    /// sample have that look (by SVG's definition of a dash pattern), and no arm's line does.
    @Test func theExpectedCurveLooksAsTheCaptionSaysAndUnlikeEveryArm() throws {
        let (_, page) = try Self.quickstart()
        let chart = try ChartReading(page: page, id: "chart-mcf")
        let caption = try Self.caption(page, figure: "figure-mcf")
        let clause = try #require(caption.components(separatedBy: ";").first { $0.contains("expectation") })
        let named = ["solid", "dotted", "dashed"].filter { clause.contains($0) }
        try #require(named.count == 1, "\(clause)")
        let models = chart.series.filter { $0.name.hasSuffix(", model") }
        let arms = chart.series.filter { !$0.name.hasSuffix(", model") }
        try #require(models.count == 2 && arms.count == 2)
        for model in models {
            #expect(ChartReading.look(model.attributes) == named[0], "\(model.name): \(model.attributes)")
            let sample = try #require(chart.legend.first { $0.name == model.name })
            #expect(ChartReading.look(sample.attributes) == named[0], "legend of \(model.name): \(sample.attributes)")
            #expect(sample.attributes["stroke-dasharray"] == model.attributes["stroke-dasharray"])
            for arm in arms {
                #expect(ChartReading.look(arm.attributes) != named[0], "\(arm.name) is \(named[0]) too: \(arm.attributes)")
                #expect(arm.attributes["stroke-dasharray"] != model.attributes["stroke-dasharray"])
            }
        }
        for arm in arms {
            let sample = try #require(chart.legend.first { $0.name == arm.name })
            #expect(ChartReading.look(sample.attributes) == ChartReading.look(arm.attributes), "legend of \(arm.name)")
        }
    }

    /// The quickstart's adult ads all had their first contact within a minute or two of a 48 h
    /// horizon: drawn on hours, the whole curve would fall within a pixel of the y axis. The
    /// chart spreads its drops over a tenth of the axis at least, and the caption says how.
    @Test func firstContactsWithinSecondsAreSpreadAlongTheTimeAxis() throws {
        let (_, page) = try Self.quickstart()
        // The premise, from the chart's numbers: every adult ad contacted within 5 minutes.
        let adultRows = try Self.tableRows(page, figure: "figure-ttfc").map { $0.components(separatedBy: ",") }.filter { $0[1] == "adult" }
        let emptied = try #require(adultRows.first { Double($0[5]) == 0 })
        try #require(try #require(Double(emptied[4])) < 5.0 / 60)
        let chart = try ChartReading(page: page, id: "chart-ttfc")
        let adult = try #require(chart.series.first { $0.name == "adult" })
        let drops = ChartReading.drops(adult.d)
        try #require(drops.count >= 5)
        let plot = chart.plot
        #expect((drops.max()! - drops.min()!) / (plot.right - plot.left) > 0.1, "drops at \(drops) of an axis from \(plot.left) to \(plot.right)")
        #expect(try Self.caption(page, figure: "figure-ttfc").contains("The time axis is logarithmic"))
        let labels = chart.xTickLabels
        #expect(labels.contains("1 min") && labels.contains("1 h"), "\(labels)")
    }

    /// The control arm's interval reaches many times above every curve; the chart's y axis ends
    /// between the largest estimate and twice it, so each curve keeps its height, and the caption
    /// says the bands were cut while the table keeps them whole.
    @Test(arguments: ["mcf", "rate"])
    func aWideBandDoesNotSquashTheCurves(chart name: String) throws {
        let cli = try TestCLI()
        try Self.importObservedRun(cli)
        let report = try cli.decoy("report", "1", "--out", "observed.html")
        try #require(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: cli.path("observed.html"), encoding: .utf8)
        let rows = try Self.tableRows(page, figure: "figure-\(name)").map { $0.components(separatedBy: ",") }
        let largest = try #require(rows.compactMap { Double($0[5]) }.max())
        let widest = try #require(rows.compactMap { Double($0[7]) }.max())
        try #require(widest > 3 * largest, "the premise: a band far above every curve (\(widest) against \(largest))")
        let chart = try ChartReading(page: page, id: "chart-\(name)")
        let plot = chart.plot
        let top = chart.value(atY: plot.top)
        #expect(top >= largest * (1 - 1e-6) && top <= 2 * largest, "the y axis ends at \(top), the largest estimate is \(largest)")
        for polygon in chart.elements where polygon.name == "polygon" {
            let ys = (polygon.attributes["points"] ?? "").split(separator: " ").compactMap { Double($0.split(separator: ",").last ?? "") }
            #expect(ys.allSatisfy { $0 >= plot.top - 0.01 && $0 <= plot.bottom + 0.01 })
        }
        let caption = try Self.caption(page, figure: "figure-\(name)")
        #expect(caption.contains("cut at"), "\(caption)")
    }

    @Test func thePowerCurveIsAPage() throws {
        let cli = try TestCLI()
        let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--test", "exact-poisson", "--postings", "1,2,4",
                                   "--sims", "100", "--report", "power.html", "--format", "csv")
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: cli.path("power.html"), encoding: .utf8)
        #expect(page.contains("<svg") && page.contains("target 0.8") && page.contains("Zhu–Lakkis formula"))
        #expect(try Self.tableRows(page, figure: "figure-power") == result.stdout.split(separator: "\n").dropFirst().map(String.init))
    }

    /// The proportional-rates ratio is undefined wherever the quickstart's control arm, a quarter
    /// of a contact an ad, has no contact (at 2 ads per arm in most experiments). The y axis says
    /// its points are shares among the experiments where the test was defined, they are drawn at
    /// rejections / (sims − failed), and every n with failures has its counts written under the chart.
    @Test func thePowerPageSaysWhatItPlotsAndCountsFailures() throws {
        let cli = try TestCLI()
        let result = try cli.decoy("power", cli.quickstartPath, "--arms", "adult,control", "--postings", "2,4,16",
                                   "--sims", "60", "--report", "power.html", "--format", "csv")
        try #require(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: cli.path("power.html"), encoding: .utf8)
        let header = try #require(result.stdout.split(separator: "\n").first).split(separator: ",").map(String.init)
        func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name)) }
        let (n, sims, rejections, failed, nullFailed) = (try column("postings"), try column("sims"), try column("rejections"), try column("failed"),
                                                        try column("type_one_failed"))
        let rows = TestCLI.rows(result.stdout)
        try #require(rows.contains { Int($0[failed])! * 2 > Int($0[sims])! }, "the premise: most experiments fail somewhere")
        let chart = try ChartReading(page: page, id: "chart-power")
        #expect(chart.yTitle.contains("where the test was defined"), "\(chart.yTitle)")
        // The power markers (the first series' colour), left to right, against the table.
        let colour = try #require(chart.series.first { $0.name == "power" }?.attributes["stroke"])
        let markers = chart.elements.filter { $0.name == "circle" && $0.attributes["fill"] == colour }
            .compactMap { e in Double(e.attributes["cy"] ?? "").map { chart.value(atY: $0) } }
        let defined = rows.compactMap { row -> Double? in
            let s = Int(row[sims])!, f = Int(row[failed])!
            return s > f ? Double(Int(row[rejections])!) / Double(s - f) : nil
        }
        try #require(markers.count == defined.count)
        for (drawn, share) in zip(markers, defined) { #expect(abs(drawn - share) < 0.005, "drawn at \(drawn), rejections / defined \(share)") }
        let notes = try Self.section(page, id: "curve")
        for row in rows {
            let listed = notes.contains("n = \(row[n]): \(row[failed]) of \(row[sims])")
            #expect(listed == (Int(row[failed])! > 0 || Int(row[nullFailed])! > 0), "n = \(row[n]), \(row[failed]) failed")
        }
    }

    @Test(.enabled(if: browserAvailable || BrowserCheck.required, "no headless Chromium with Playwright here (apt-get install chromium; pip install playwright==1.65.2): the report is not opened in a browser"))
    func chromiumOpensTheQuickstartReportOfflineWithoutErrors() throws {
        let (cli, _) = try Self.quickstart()
        let artifacts = TestCLI.repository.appendingPathComponent(".build/report-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let screenshot = artifacts.appendingPathComponent("quickstart-report.png").path
        let pdf = artifacts.appendingPathComponent("quickstart-report.pdf").path
        switch try BrowserCheck.run(page: cli.path("decoy-report.html"), screenshot: screenshot, pdf: pdf, phone: true) {
        case let .unavailable(reason):
            Issue.record("the browser check could not run: \(reason)")
        case let .checked(report):
            #expect(report.problems.isEmpty, "\(report.problems)")
            #expect(report.consoleErrors.isEmpty && report.failedRequests.isEmpty && report.pageErrors.isEmpty && report.otherFiles.isEmpty)
            #expect(report.svgCount == 3 && report.title == "quickstart: run 1")
            #expect((2...20).contains(report.pdfPages), "\(report.pdfPages) PDF pages")
            #expect(report.phoneOverflowPx == 0, "wider than a phone by \(report.phoneOverflowPx ?? -1) px: \(report.phoneWideElements ?? [])")
            print("report artifacts: screenshot \(screenshot), PDF \(pdf) (\(report.pdfPages) pages)")
        }
    }
}

extension String {
    /// The text of HTML with the five entities the templates write turned back into characters.
    var htmlUnescaped: String {
        replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
