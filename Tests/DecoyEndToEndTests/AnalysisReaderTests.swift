import DecoyTestSupport
import Foundation
import Testing

/// `analysis/read_decoy.R` and `analysis/read_decoy.py` read real exports of the built binary as
/// decoy wrote them: every instant to the microsecond (as Foundation's ISO-8601 parser reads the
/// text's date, time and offset, and the digits its fraction), every number to the bit, every
/// column with its type; and the exports' added columns say what they are documented to say.
@Suite struct AnalysisReaderTests {
    let cli: TestCLI

    /// Two arms, two replicates, moderation removing some postings, and a start at −03:30
    /// (07:04 UTC), so that the local clock is on another day than UTC for part of the run.
    static let config = """
        version: 1
        name: readers
        seed: 11
        replicates: 2
        start: 2025-06-02T03:34:00-03:30
        horizon: 30h
        grid: 1h
        arms:
          - name: a
            postings: 3
            schedule: { offset: 0h, every: 7h }
            attributes: { section: adult }
            response: { model: poisson, rate: 1/h }
            lifetime: { removal_rate: 0.05/h }
          - name: b
            postings: 2
            schedule: { offset: 20h, every: 90m }
            attributes: { section: furniture }
            response: { model: poisson, rate: 2/h }
        """

    /// Each file's columns and the type a reader gives them, as R's `class()` names it.
    static let types: [String: KeyValuePairs<String, String>] = [
        "events": ["run_id": "integer", "replicate": "integer", "arm": "character", "posting": "character", "seq": "integer",
                   "t_seconds": "numeric", "at": "instant", "channel": "character", "contactor": "character",
                   "t_hours": "numeric", "at_local": "instant"],
        "postings": ["run_id": "integer", "replicate": "integer", "arm": "character", "posting": "character", "posted_at": "instant",
                     "observed_hours": "numeric", "removed": "logical", "contacts": "integer", "first_contact_hours": "numeric",
                     "unique_contactors": "integer", "posted_at_local": "instant", "attr_section": "character"],
        "intervals": ["posting": "integer", "name": "character", "replicate": "integer", "arm": "character", "section": "character",
                      "posted_hour": "integer", "posted_weekday": "character", "start": "numeric", "stop": "numeric", "event": "integer"],
        "curves": ["run_id": "integer", "arm": "character", "replicate": "integer", "metric": "character", "t_hours": "numeric",
                   "estimate": "numeric", "lower": "numeric", "upper": "numeric", "at_risk": "numeric", "events": "integer",
                   "at_risk_postings": "integer", "exposure_hours": "numeric"],
    ]

    /// The files read, and the table each is.
    static let files = [("events", "events"), ("postings", "postings"), ("intervals", "intervals"), ("curves", "curves"),
                        ("curves-replicate", "curves")]

    init() throws {
        cli = try TestCLI()
        try cli.write("readers.yaml", Self.config)
        let run = try cli.decoy("run", "readers.yaml", "--quiet")
        try #require(run.status == 0, "\(run.stderr)")
        for (file, arguments) in [("events", ["export", "1", "--table", "events"]), ("postings", ["export", "1", "--table", "postings"]),
                                  ("intervals", ["export", "1", "--table", "intervals"]),
                                  // Pooled over replicates: `replicate` is empty in every row.
                                  ("curves", ["curves", "1", "--metric", "mcf,rate,ttfc"]),
                                  ("curves-replicate", ["curves", "1", "--metric", "mcf,rate", "--by", "replicate"])] {
            let result = try cli.decoy(arguments: arguments + ["--out", "\(file).csv"])
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    func text(_ file: String) throws -> String { try String(contentsOfFile: cli.path("\(file).csv"), encoding: .utf8) }

    /// A file as its header and rows of fields (decoy quotes no field of these files).
    func table(_ file: String) throws -> (header: [String], rows: [[String]]) {
        let csv = try text(file)
        #expect(!csv.contains("\""), "\(file).csv has a quoted field, which this test does not split")
        let header = csv.split(separator: "\n").first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        return (header, TestCLI.rows(csv))
    }

    /// Microseconds since the epoch of an instant decoy wrote, `YYYY-MM-DDTHH:MM:SS.ffffff` and `Z`
    /// or `±HH:MM`: Foundation's ISO-8601 parser reads the date, time and offset, the six digits
    /// after the point are the microseconds.
    static func micros(_ text: String) throws -> Int64 {
        let characters = Array(text)
        try #require(characters.count >= 27 && characters[19] == ".", "\(text) is not an instant with six decimals")
        let fraction = try #require(Int64(String(characters[20..<26])), "\(text): six digits after the point")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        let date = try #require(parser.date(from: String(characters[0..<19] + characters[26...])), "\(text): not ISO-8601")
        let seconds = date.timeIntervalSince1970
        try #require(seconds == seconds.rounded())
        return Int64(seconds) * 1_000_000 + fraction
    }

    /// Whole microseconds from decoy's exact decimal seconds (`12.000345`).
    static func micros(seconds text: String) throws -> Int64 {
        let parts = text.split(separator: ".")
        try #require(parts.count == 2 && parts[1].count == 6, "\(text)")
        return try #require(Int64(parts[0])) * 1_000_000 + (try #require(Int64(parts[1])))
    }

    /// What every export says without a reader: `t_hours` is `t_seconds` in hours as curves count
    /// them, `at` is the posting's `posted_at` plus `t_seconds`, and the local columns are the same
    /// instants in the config's offset.
    @Test func exportsCarryHoursSinceGoingLiveAndTheLocalInstant() throws {
        let postings = try table("postings")
        let column = Dictionary(uniqueKeysWithValues: postings.header.enumerated().map { ($1, $0) })
        var postedAt: [String: Int64] = [:]
        for row in postings.rows {
            let key = "\(row[column["replicate"]!])/\(row[column["arm"]!])/\(row[column["posting"]!])"
            postedAt[key] = try Self.micros(row[column["posted_at"]!])
            let local = row[column["posted_at_local"]!]
            #expect(local.hasSuffix("-03:30"), "\(local)")
            #expect(try Self.micros(local) == postedAt[key], "\(local) is not \(row[column["posted_at"]!])")
        }
        #expect(postedAt.count == 10)

        let events = try table("events")
        #expect(Array(events.header.prefix(9)) == ["run_id", "replicate", "arm", "posting", "seq", "t_seconds", "at", "channel", "contactor"])
        let at = events.header.firstIndex(of: "at")!, local = events.header.firstIndex(of: "at_local")!
        let seconds = events.header.firstIndex(of: "t_seconds")!, hours = events.header.firstIndex(of: "t_hours")!
        try #require(events.rows.count > 50)
        var localDays = Set<Substring>()
        for row in events.rows {
            let since = try Self.micros(seconds: row[seconds])
            #expect(Double(row[hours]) == Double(since) / 3_600_000_000, "t_hours \(row[hours]) for t_seconds \(row[seconds])")
            let key = "\(row[1])/\(row[2])/\(row[3])"
            #expect(try Self.micros(row[at]) == (try #require(postedAt[key])) + since, "\(row[at]) for \(key)")
            let (localMicros, utcMicros) = (try Self.micros(row[local]), try Self.micros(row[at]))
            #expect(row[local].hasSuffix("-03:30") && localMicros == utcMicros, "\(row[local]) is not \(row[at])")
            localDays.insert(row[local].prefix(10))
        }
        #expect(localDays.count >= 2, "the run spans local days")
    }

    /// `at_risk` of SPEC is postings for mcf and ttfc and posting-hours for rate; the added columns
    /// hold one meaning each, and `at_risk_postings` of a rate bin counts the postings whose window
    /// (in the postings export) reaches the bin's start.
    @Test func curvesSplitAtRiskIntoPostingsAndExposure() throws {
        let postings = try table("postings")
        let observed = postings.header.firstIndex(of: "observed_hours")!, arm = postings.header.firstIndex(of: "arm")!
        let removed = postings.header.firstIndex(of: "removed")!
        #expect(Set(postings.rows.map { $0[removed] }) == ["0", "1"], "some postings removed, some not")
        for file in ["curves", "curves-replicate"] {
            let curves = try table(file)
            #expect(curves.header == Self.types["curves"]!.map(\.key))
            for row in curves.rows {
                let (metric, atRisk, postingsAtRisk, exposure) = (row[3], row[8], row[10], row[11])
                if metric == "rate" {
                    #expect(exposure == atRisk, "\(row)")
                    let t = try #require(Double(row[4]))
                    let windows = postings.rows.filter { $0[arm] == row[1] && (row[2].isEmpty || $0[1] == row[2]) }.map { Double($0[observed])! }
                    #expect(Int(postingsAtRisk) == windows.filter { $0 >= t }.count, "\(file): \(row)")
                } else {
                    #expect(postingsAtRisk == atRisk && exposure.isEmpty, "\(row)")
                }
            }
            #expect(curves.rows.allSatisfy { $0[2].isEmpty } == (file == "curves"))
        }
    }

    /// Checks a reader's report against the files: `type TABLE COLUMN KIND` and
    /// `values TABLE COLUMN v1<TAB>v2…` lines, values as the reader holds them (`NA` for missing,
    /// instants as microseconds since the epoch when `instantsInMicros`, else as seconds), and
    /// `formatted TABLE COLUMN …` lines where the reader writes instants back as text.
    func check(report: String, kind: (String) -> Set<String>, instantsInMicros: Bool) throws {
        var types: [String: String] = [:], values: [String: [String]] = [:], formatted: [String: [String]] = [:]
        for line in report.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            if parts[0] == "type" { types["\(parts[1]) \(parts[2])"] = parts[3] }
            if parts[0] == "values" { values["\(parts[1]) \(parts[2])"] = parts[3].split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            if parts[0] == "formatted" { formatted["\(parts[1]) \(parts[2])"] = parts[3].split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        }
        var instants = 0
        for (file, name) in Self.files {
            let (header, rows) = try table(file)
            #expect(header.sorted() == Self.types[name]!.map(\.key).sorted(), "\(file): a column without an expected type")
            for (index, column) in header.enumerated() {
                let expected = try #require(Self.types[name]!.first { $0.key == column }?.value)
                let read = try #require(types["\(file) \(column)"], "\(file) \(column) not read")
                #expect(kind(expected).contains(read), "\(file) \(column): read as \(read), expected \(expected)")
                let got = try #require(values["\(file) \(column)"])
                try #require(got.count == rows.count, "\(file) \(column): \(got.count) values for \(rows.count) rows")
                if let text = formatted["\(file) \(column)"] {
                    // Written back in UTC: the text decoy wrote where that was UTC, the same instant where it was local.
                    for (row, value) in zip(rows, text) where !row[index].isEmpty {
                        if row[index].hasSuffix("Z") {
                            #expect(value == row[index], "\(file) \(column): \(row[index]) written back as \(value)")
                        } else {
                            #expect(try Self.micros(value) == (try Self.micros(row[index])), "\(file) \(column): \(row[index]) written back as \(value)")
                        }
                    }
                }
                for (row, value) in zip(rows, got) {
                    let written = row[index]
                    if written.isEmpty {
                        #expect(value == "NA", "\(file) \(column): empty read as \(value)")
                        continue
                    }
                    switch expected {
                    case "instant":
                        let micros = try Self.micros(written)
                        if instantsInMicros {
                            #expect(Int64(value) == micros, "\(file) \(column): \(written) read as \(value) µs")
                        } else {
                            // The double nearest to the instant in seconds: exact to the microsecond.
                            #expect(Double(value) == Double(micros) / 1e6, "\(file) \(column): \(written) read as \(value) s")
                        }
                        instants += 1
                    case "numeric": #expect(Double(value) == Double(written), "\(file) \(column): \(written) read as \(value)")
                    case "integer": #expect(Double(value).flatMap { Int64(exactly: $0) } == Int64(written), "\(file) \(column): \(written) read as \(value)")
                    case "logical": #expect(["TRUE": "1", "FALSE": "0", "True": "1", "False": "0"][value] == written, "\(file) \(column): \(written) read as \(value)")
                    default: #expect(value == written, "\(file) \(column): \(written) read as \(value)")
                    }
                }
            }
        }
        #expect(instants > 100)
    }

    static let rScript = #"""
        arguments <- commandArgs(trailingOnly = TRUE)
        source(arguments[1])
        out <- character(0)
        for (file in arguments[-(1:2)]) {
          d <- read_decoy(file.path(arguments[2], paste0(file, ".csv")))
          for (column in names(d)) {
            x <- d[[column]]
            kind <- if (inherits(x, "POSIXct")) paste0("POSIXct/", attr(x, "tzone")) else class(x)[1]
            shown <- if (is.numeric(x) || inherits(x, "POSIXct")) sprintf("%.17g", as.numeric(x)) else as.character(x)
            shown[is.na(x)] <- "NA"
            out <- c(out, paste("type", file, column, kind), paste("values", file, column, paste(shown, collapse = "\t")))
            if (inherits(x, "POSIXct")) {
              written <- decoy_format(x)
              written[is.na(x)] <- "NA"
              out <- c(out, paste("formatted", file, column, paste(written, collapse = "\t")))
            }
          }
        }
        writeLines(out, file.path(arguments[2], "r-report.txt"))
        """#

    @Test func theRReaderReadsEveryExportAsDecoyWroteIt() throws {
        guard let rscript = RCheck.rscript else {
            if RCheck.required { Issue.record("Rscript is not installed, and DECOY_R_REQUIRED is set") }
            print("warning: Rscript is not installed: analysis/read_decoy.R is not checked")
            return
        }
        try cli.write("check.R", Self.rScript)
        let reader = TestCLI.repository.appendingPathComponent("analysis/read_decoy.R").path
        let r = try TestProcess.run([rscript, cli.path("check.R"), reader, cli.folder.path] + Self.files.map(\.0))
        try #require(r.status == 0, "\(r.stderr)")
        let report = try String(contentsOfFile: cli.path("r-report.txt"), encoding: .utf8)
        try check(report: report, kind: { kind in kind == "instant" ? ["POSIXct/UTC"] : [kind] }, instantsInMicros: false)
    }

    static let pandasScript = #"""
        import sys
        sys.path.insert(0, sys.argv[1])
        import pandas as pd
        from read_decoy import read_decoy
        out = []
        epoch = pd.Timestamp(0, tz="UTC")
        for file in sys.argv[3:]:
            d = read_decoy(f"{sys.argv[2]}/{file}.csv")
            for column in d.columns:
                x = d[column]
                if isinstance(x.dtype, pd.DatetimeTZDtype):
                    shown = ["NA" if pd.isna(v) else str((v - epoch) // pd.Timedelta(1, "us")) for v in x]
                else:
                    shown = ["NA" if pd.isna(v) else repr(float(v)) if isinstance(v, float) else str(v) for v in x]
                out += [f"type {file} {column} {x.dtype}", f"values {file} {column} " + "\t".join(shown)]
        with open(f"{sys.argv[2]}/pandas-report.txt", "w") as f:
            f.write("\n".join(out) + "\n")
        """#

    @Test func thePandasReaderReadsEveryExportAsDecoyWroteIt() throws {
        guard let python = PandasCheck.python.path else {
            if PandasCheck.required { Issue.record("\(PandasCheck.python.reason), and DECOY_PANDAS_REQUIRED is set") }
            print("warning: \(PandasCheck.python.reason): analysis/read_decoy.py is not checked")
            return
        }
        try cli.write("check.py", Self.pandasScript)
        let analysis = TestCLI.repository.appendingPathComponent("analysis").path
        // No __pycache__ left in the package's analysis folder.
        let result = try TestProcess.run([python, cli.path("check.py"), analysis, cli.folder.path] + Self.files.map(\.0),
                                         environment: ["PYTHONDONTWRITEBYTECODE": "1"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try String(contentsOfFile: cli.path("pandas-report.txt"), encoding: .utf8)
        try check(report: report, kind: { kind in
            switch kind {
            case "instant": ["datetime64[us, UTC]"]
            case "numeric": ["float64"]
            case "integer": ["Int64"]
            case "logical": ["boolean"]
            default: ["str", "object", "string"]
            }
        }, instantsInMicros: true)
    }
}
