public import DecoyModel
import DecoySimulation

/// What `decoy validate` prints about a valid config.
public struct ConfigSummary: Sendable {
    public let loaded: LoadedConfig

    public init(_ loaded: LoadedConfig) { self.loaded = loaded }

    public static let armColumns = ["arm", "postings", "model", "population", "channels", "expected_per_posting_horizon", "expected_per_posting_2h"]

    /// One row per arm. Expected contacts per posting are E N over the horizon and over the first
    /// 2 hours, averaged over the arm's postings (diurnal factors make go-live times matter; see
    /// `ExperimentPlan.meanCount(ofArm:horizon:)` for arms of very many postings), with the window
    /// cut short by exponential removal where the arm has a `lifetime`.
    public var arms: [[String]] {
        let config = loaded.config
        let plan = ExperimentPlan(config)
        return config.arms.enumerated().map { index, arm in
            let population = config.population(of: arm)
            func expected(_ horizon: Double) -> String {
                plan.meanCount(ofArm: index, horizon: horizon).map(CSV.number) ?? ""
            }
            return [
                arm.name, String(arm.postings), arm.response?.model.name ?? "-",
                "\(population.name) (\(population.size))",
                arm.channels.map { "\($0.name) \(Units.shortest(($0.probability * 1000).rounded() / 1000))" }.joined(separator: ", "),
                expected(config.horizon),
                expected(min(2, config.horizon)),
            ]
        }
    }

    /// A human-readable summary.
    public var text: String {
        let config = loaded.config
        var lines = [
            "config ok: \(config.name)",
            "seed \(config.seed), \(config.replicates) replicate(s), start \(config.start.localText), horizon \(Units.durationText(hours: config.horizon)), grid \(Units.durationText(hours: config.grid))",
            "",
        ]
        let rows = arms.map { row in
            row.enumerated().map { i, cell in i >= 5 ? (Double(cell).map { String(format: "%.2f", $0) } ?? cell) : cell }
        }
        lines.append(TextTable.renderPlain(
            header: ["arm", "postings", "model", "population", "channels", "expected/posting (horizon)", "expected/posting (2h)"], rows: rows))
        if config.arms.contains(where: { $0.response == nil }) {
            lines.append("(arms without `response` can hold observed data only: decoy import, not decoy run)")
        }
        if config.arms.contains(where: { $0.lifetime != nil }) {
            lines.append("(expected counts include removal: a posting taken down earlier is observed for less time)")
        }
        lines.append("")
        lines.append("config sha256 \(loaded.sha256)")
        return lines.joined(separator: "\n")
    }

    public var json: JSONValue {
        .object([
            ("name", .string(loaded.config.name)), ("config_sha256", .string(loaded.sha256)),
            ("arms", .array(arms.map { row in .object(zip(Self.armColumns, row).map { ($0.0, .string($0.1)) }) })),
            ("resolved_config", loaded.config.resolvedJSON),
        ])
    }
}

/// Minimal aligned table for summaries produced in the library.
enum TextTable {
    static func renderPlain(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

import Foundation
