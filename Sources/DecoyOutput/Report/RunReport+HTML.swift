import DecoyAnalysis
import DecoyModel
import DecoyStatistics
import DecoyStore
public import DecoyWorkflows
import Foundation

extension RunReport {
    /// One line per arm: postings, contacts, contacts per posting, distinct contactors, removals,
    /// median time to first contact with its interval, contacts in the first two hours.
    public var summaryPresentation: Presentation {
        let level = "\(CSV.number(confidence * 100))%"
        return Presentation(tables: [Table(
            key: "arms",
            columns: [Column("arm"), Column("postings", rightAligned: true), Column("contacts", rightAligned: true),
                      Column("contacts_per_posting", title: "per posting", rightAligned: true),
                      Column("distinct_contactors", title: "distinct contactors", rightAligned: true),
                      Column("removed", rightAligned: true), Column("median_ttfc_hours", title: "median time to first contact", rightAligned: true),
                      .data("median_ttfc_lower"), .data("median_ttfc_upper"), .forPeople("\(level) interval"),
                      Column("contacts_first_2h", title: "contacts in the first 2 h", rightAligned: true)],
            rows: arms.map { arm in
                let median = ForPeople.median(arm.medianTTFC, postings: arm.postings)
                return [.text(arm.name), .int(arm.postings), .int(arm.contacts), .number(arm.contactsPerPosting, .significant(4)),
                 .optionalInt(arm.distinctContactors), .int(arm.removed),
                 .shown(median.median, as: .number(arm.medianTTFC.value, .significant(4))),
                 .number(arm.medianTTFC.lower), .number(arm.medianTTFC.upper),
                 .text(median.interval),
                 .int(arm.firstTwoHours)]
            })], notes: comparison?.headline ?? [])
    }

    /// The report as one self-contained HTML page.
    public var html: String {
        let config = self.config
        let run = record
        let armNames = arms.map(\.name)
        func style(_ arm: String) -> Int { armNames.firstIndex(of: arm) ?? armNames.count }
        func f(_ v: Double?, _ digits: Int = 4) -> String { Renderer.display(.number(v, .significant(digits))) }
        let level = "\(CSV.number(confidence * 100))%"
        var page = HTMLPage(title: "\(config.name): run \(run.id)")
        page.subtitle = "\(run.source.rawValue) run \(run.id), \(status.rawValue), \(run.postings) postings, \(run.contacts) contacts, horizon \(Units.durationText(hours: Units.hours(micros: run.horizonMicros)))"
        if status != .complete {
            page.banners.append("This run is \(status.rawValue), not complete: every number below covers only the \(run.postings) postings and \(run.contacts) contacts stored so far.")
        }
        page.description = config.description.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }

        // The experiment: a simulated run's arms as configured; an observed run's as observed
        // (its config's seed, schedules, channel weights, populations and models were never used).
        if let observed {
            page.sections.append(("experiment", "Experiment", HTMLPage.section(
                id: "experiment", heading: "Experiment",
                paragraphs: ["Observed data (decoy import): each ad observed from going live until it was taken down or for the horizon of \(Units.durationText(hours: config.horizon)); times in the offset of the config's start (\(config.start.localText)); curves on a \(Units.durationText(hours: config.grid)) grid."],
                presentation: observed.presentation)))
        } else {
            let armsTable = Presentation(tables: [Table(
                columns: [Column("arm"), Column("postings", rightAligned: true), Column("goes live"), Column("attributes"), Column("response"),
                          Column("removal"), Column("channels"), Column("population")],
                rows: config.arms.map { spec in
                    [.text(spec.name), .int(spec.postings),
                     .text("from \(Units.durationText(hours: spec.schedule.goLive(ofPosting: 0))) every \(Units.durationText(hours: spec.schedule.every))"),
                     .text(spec.attributes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")),
                     .text(spec.response?.model.name ?? "none"),
                     .text(spec.lifetime.map { "\(CSV.number($0.removalRate))/h" } ?? "none"),
                     .text(spec.channels.map { "\($0.name) \(CSV.number($0.probability))" }.joined(separator: ", ")),
                     .text(config.population(of: spec).name)]
                })])
            // Each arm's response as its config writes it, every default filled in.
            let responses = config.arms.compactMap { spec in spec.response.map { (summary: "\(spec.name): response", text: $0.configYAML) } }
            page.sections.append(("experiment", "Experiment", HTMLPage.section(
                id: "experiment", heading: "Experiment",
                paragraphs: ["Start \(config.start.localText), horizon \(Units.durationText(hours: config.horizon)), grid \(Units.durationText(hours: config.grid)), \(config.replicates) replicate(s)\(config.seed.map { ", seed \($0)" } ?? "")."],
                presentation: armsTable, openBlocks: responses)))
        }

        // Provenance, with the config texts folded away.
        let provenance = RunProvenance(run: run, arms: [], showConfigText: false)
        let facts = Presentation(fields: provenance.facts.compactMap { key, value in
            guard let value, !value.isEmpty, key != "message" else { return nil }
            return Field(key, .text(value))
        })
        page.sections.append(("provenance", "Provenance", HTMLPage.section(
            id: "provenance", heading: "Provenance", presentation: facts,
            // As `show`: an observed run's resolved config fills in what was never set.
            blocks: [("The config as given", run.configText)]
                + (run.source == .simulated ? [("The resolved config (what config sha256 hashes)", run.resolvedConfig)] : []))))

        let summary = summaryPresentation
        page.sections.append(("summary", "Arms at a glance", HTMLPage.section(id: "summary", heading: "Arms at a glance", presentation: summary)))

        // mcf with the expected curve and the overlay.
        let hoursTitle = "hours since the posting went live"
        var mcfSeries: [SVGChart.Series] = []
        for name in armNames {
            let rows = mcf.filter { $0.arm == name && $0.metric == .mcf }
            mcfSeries.append(SVGChart.Series(name: name, x: rows.map(\.point.t), y: rows.map(\.point.estimate), lower: rows.map(\.point.lower),
                                              upper: rows.map(\.point.upper), style: style(name)))
            let expected = mcf.filter { $0.arm == name && $0.metric == .expected }
            if !expected.isEmpty {
                mcfSeries.append(SVGChart.Series(name: "\(name), model", x: expected.map(\.point.t), y: expected.map(\.point.estimate),
                                                  style: style(name), expectation: true))
            }
        }
        if let overlay {
            mcfSeries.append(SVGChart.Series(name: overlay.label, x: overlay.mcf.map(\.point.t), y: overlay.mcf.map(\.point.estimate),
                                              lower: overlay.mcf.map(\.point.lower), upper: overlay.mcf.map(\.point.upper), style: armNames.count))
        }
        var mcfChart = SVGChart(
            id: "chart-mcf", title: "Mean cumulative contacts per posting",
            description: "Mean cumulative contacts per posting against hours since going live, one line per arm with its \(level) interval as a band\(run.source == .simulated ? "; dotted, in the arm's colour: the model's expected curve" : "")\(overlay.map { "; \($0.label) overlaid" } ?? "").",
            xTitle: hoursTitle, yTitle: "contacts per posting", series: mcfSeries, xDomain: 0...config.horizon)
        mcfChart.bandLimit = Self.bandLimit
        let mcfRows = mcf + (overlay?.mcf ?? [])
        let mcfFigure = HTMLPage.figure(
            id: "figure-mcf", chart: mcfChart,
            caption: "Mean cumulative contacts per posting (Nelson–Aalen for recurrent events) with its \(level) robust interval, small-sample corrected\(run.source == .simulated ? "; dotted, in the arm's colour, the model's expectation given the windows" : "").\(Self.cutNote(mcfChart))",
            data: CurveTable(mcfRows).presentation, file: "mcf.csv", command: "decoy curves --metric mcf\(run.source == .simulated ? ",expected" : "")")

        // Rate per bin with the default intervals, the rows `decoy curves --metric rate` prints.
        let rateSeries = armNames.map { name -> SVGChart.Series in
            let rows = rate.filter { $0.arm == name }
            return SVGChart.Series(name: name, x: rows.map(\.point.t), y: rows.map(\.point.estimate), lower: rows.map(\.point.lower),
                                   upper: rows.map(\.point.upper), step: true, stepEnd: config.horizon, style: style(name))
        }
        var rateChart = SVGChart(
            id: "chart-rate", title: "Contacts per posting-hour, by bin",
            description: "Contacts per posting-hour in each \(Units.durationText(hours: grid)) bin against hours since going live, one step line per arm with its \(level) interval as a band (cluster-robust, corrected for few postings, as decoy curves gives it).",
            xTitle: hoursTitle, yTitle: "contacts per posting-hour", series: rateSeries, xDomain: 0...config.horizon)
        rateChart.bandLimit = Self.bandLimit
        let rateFigure = HTMLPage.figure(
            id: "figure-rate", chart: rateChart,
            caption: "Contact rate in each \(Units.durationText(hours: grid)) bin (contacts over posting-hours at risk) with its \(level) interval, cluster-robust and corrected for few postings, never narrower than the exact Poisson interval, which it is where fewer than \(BinnedRate.minimumClusters) postings are observed in the bin.\(Self.cutNote(rateChart))",
            data: CurveTable(rate).presentation, file: "rate.csv", command: "decoy curves --metric rate")

        // Time to first contact: Kaplan–Meier steps, censoring marks, number at risk on the ticks.
        let curves = survival + (overlay.map { [$0.survival] } ?? [])
        func label(_ s: Survival, _ i: Int) -> String { i < survival.count ? s.arm : overlay!.label }
        var kmSeries: [SVGChart.Series] = []
        for (i, s) in curves.enumerated() where !s.followUp.isEmpty {
            // Censoring ticks where they can be told apart; past a few hundred they would be a smear.
            let ends = s.censored
            let censored = ends.count > 400 ? [] : ends.map { t in (x: t, y: s.estimate(at: t) ?? 1) }
            kmSeries.append(SVGChart.Series(
                name: label(s, i), x: s.points.map(\.t), y: s.points.map(\.estimate), lower: s.points.map(\.lower), upper: s.points.map(\.upper),
                step: true, stepEnd: s.followUp.max() ?? config.horizon, censored: censored, style: i < survival.count ? style(s.arm) : armNames.count))
        }
        // First contacts crowded against the y axis are drawn on a logarithmic time axis.
        let early = Self.earlyFirstContacts(curves.enumerated().map { (label($1, $0), $1) }, horizon: config.horizon)
        var kmChart = SVGChart(
            id: "chart-ttfc", title: "Probability a posting has had no contact yet",
            description: "Kaplan–Meier probability of no contact yet against \(early == nil ? "hours" : "time (logarithmic)") since going live, one step line per arm with its \(level) log-log interval as a band; ticks mark postings whose window ended without a contact; the number of postings still at risk is printed under each axis tick.",
            xTitle: early == nil ? hoursTitle : "time since the posting went live (log scale)", yTitle: "no contact yet", series: kmSeries,
            xDomain: (early?.start ?? 0)...config.horizon, yDomain: 0...1)
        if early != nil { kmChart.xScale = .logHours }
        kmChart.atRisk = curves.enumerated().map { i, s in
            (label(s, i), i < survival.count ? style(s.arm) : armNames.count, kmChart.xTicks.map { s.atRisk($0) })
        }
        let kmRows = curves.enumerated().flatMap { i, s in
            s.points.map { CurveRow(runID: i < survival.count ? run.id : 0, arm: s.arm, metric: .ttfc, point: $0) }
        }
        let kmFigure = HTMLPage.figure(
            id: "figure-ttfc", chart: kmChart,
            caption: "Time to first contact: Kaplan–Meier estimate at every first contact and window end, Greenwood variance, \(level) log-log interval."
                + (early.map { " The time axis is logarithmic, from \(SVGChart.hourLabel($0.start)) to \(Renderer.durationText(config.horizon)), because half of \($0.arm)'s first contacts came within \(Renderer.durationText($0.median)) of going live: on hours they would lie against the axis. Each curve starts at 1 at the left edge; times before \(SVGChart.hourLabel($0.start)) are drawn there." } ?? ""),
            data: CurveTable(kmRows).presentation, file: "ttfc.csv", command: "decoy curves --metric ttfc")
        page.sections.append(("curves", "Response curves", HTMLPage.section(
            id: "curves", heading: "Response curves",
            paragraphs: ["Each chart's numbers are in the table under it (click to open) and as a CSV file with the columns of decoy curves."],
            figures: [mcfFigure, rateFigure, kmFigure])))

        if let comparison {
            page.sections.append(("comparison", "Comparison", HTMLPage.section(
                id: "comparison", heading: "Comparison: \(comparison.label(comparison.first)) against \(comparison.label(comparison.second))",
                presentation: comparison.presentation)))
        }
        if let regression {
            let forest = ForestPlot(
                id: "chart-forest", title: "Rate ratios of the regression",
                description: "Forest plot: for each coefficient of the proportional-rates regression, its rate ratio as a square and its \(level) interval as a line, on a log scale, with a vertical line at 1 (no effect); the numbers are printed at the right of each row and in the table below.",
                xTitle: "rate ratio (log scale)",
                rows: regression.coefficients.compactMap { c in
                    guard let ratio = c.ratio.value, let lower = c.ratio.lower, let upper = c.ratio.upper else { return nil }
                    return ForestPlot.Row(label: c.level.map { "\(c.term): \($0)" } ?? c.term, ratio: ratio, lower: lower, upper: upper)
                })
            let terms = Array(Set(regression.coefficients.map(\.term)))
            let figure = HTMLPage.figure(
                id: "figure-forest", svg: forest.svg(),
                caption: "Contact intensity ratios at the same age since going live, removal as censoring, each against its reference level, with \(level) intervals (\(regression.intervals == .classic ? "robust standard errors, normal quantiles" : "jackknife over postings, t quantiles")).",
                data: regression.presentation, file: "regression.csv", command: "decoy regress --terms \(terms.sorted().joined(separator: ","))")
            page.sections.append(("regression", "Regression", HTMLPage.section(
                id: "regression", heading: "Regression", presentation: regression.presentation, figures: [figure])))
        }
        page.sections.append(("fits", "Model fits", HTMLPage.section(
            id: "fits", heading: "Model fits", paragraphs: ["Maximum-likelihood fits of each response model to each arm's contacts (smaller AIC is better); the Kolmogorov–Smirnov statistic of the time-rescaled gaps."],
            presentation: FitTable(fits).presentation)))
        page.sections.append(("population", "Population", HTMLPage.section(
            id: "population", heading: "Population", presentation: population.presentation(confidence: confidence))))
        page.footer = "decoy \(decoyVersion) · run \(run.id) · config sha256 \(run.configSHA256)\(run.digest.map { " · digest \($0)" } ?? "")"
        return page.html
    }

    /// Interval bands of the mcf and rate charts are cut at this multiple of the largest estimate.
    static let bandLimit = 1.5

    /// The caption's sentence where a chart cut its bands (``SVGChart/bandCeiling``), else nothing.
    static func cutNote(_ chart: SVGChart) -> String {
        guard let ceiling = chart.bandCeiling else { return "" }
        return " Bands reaching above \(CSV.number(bandLimit)) × the largest estimate are cut at \(Renderer.display(.number(ceiling, .significant(3)))), the top of the chart, so that every curve keeps its height; their full extent is in the table."
    }

    /// The fraction of the horizon within which some arm's median first contact makes the time
    /// axis logarithmic: 2% of a 630 px axis is a dozen pixels.
    static let earlyShare = 0.02

    /// Where some curve's first contacts crowd the start of the time axis: the arm with the
    /// earliest median first contact (among its contacted postings) when that median is within
    /// ``earlyShare`` of the horizon, and the logarithmic axis's start (the round duration at or
    /// below the smallest positive first contact or window end); `nil` otherwise.
    static func earlyFirstContacts(_ curves: [(String, Survival)], horizon: Double) -> (arm: String, median: Double, start: Double)? {
        var earliest: (arm: String, median: Double)?
        for (name, curve) in curves {
            let firsts = zip(curve.followUp, curve.contacted).filter(\.1).map(\.0).sorted()
            guard !firsts.isEmpty else { continue }
            let median = firsts[(firsts.count - 1) / 2]
            if median < (earliest?.median ?? .infinity) { earliest = (name, median) }
        }
        guard let earliest, earliest.median < horizon * earlyShare,
              let smallest = curves.flatMap({ $0.1.followUp }).filter({ $0 > 0 }).min() else { return nil }
        let start = SVGChart.logHourStart(smallest: smallest)
        guard start < horizon / 10 else { return nil }
        return (earliest.arm, earliest.median, start)
    }
}
