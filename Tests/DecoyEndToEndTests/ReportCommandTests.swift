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
        #expect(page.contains("Comparison: adult against adult"))
    }

    @Test func theReportNeverReplacesTheDatabase() throws {
        let (cli, _) = try Self.quickstart()
        let before = try Data(contentsOf: URL(fileURLWithPath: cli.path("decoy.sqlite")))
        let result = try cli.decoy("report", "1", "--out", "decoy.sqlite")
        #expect(result.status != 0 && result.stderr.hasPrefix("error: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: cli.path("decoy.sqlite"))) == before)
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
