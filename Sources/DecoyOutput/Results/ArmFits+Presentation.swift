public import DecoyAnalysis
import DecoyModel
import DecoyStatistics

/// `fit`: every fitted model of every arm asked for.
public struct FitTable: Sendable {
    public var arms: [ArmFits]

    public init(_ arms: [ArmFits]) { self.arms = arms }

    public var presentation: Presentation {
        let fits = arms.flatMap { arm in arm.fits.map { (arm.arm, $0) } }
        let json = Table(
            key: "fits",
            columns: ["arm", "model", "parameters", "standard_errors", "log_likelihood", "aic", "ks_statistic", "ks_p", "converged", "note"].map { Column($0) },
            rows: fits.map { arm, fit in
                [.text(arm), .text(fit.model.rawValue),
                 .json(.object(fit.parameters.map { ($0.0, .finite($0.1)) })), .json(.object(fit.standardErrors.map { ($0.0, .finite($0.1)) })),
                 .number(fit.logLikelihood), .number(fit.aic), .number(fit.ksStatistic), .number(fit.ksP), .bool(fit.converged), .optionalText(fit.note)]
            },
            csv: false, shownInTable: false)
        let csv = Table(
            columns: ["arm", "model", "parameter", "estimate", "standard_error", "log_likelihood", "aic", "ks_statistic", "ks_p", "converged"].map { Column($0) },
            rows: fits.flatMap { arm, fit in
                zip(fit.parameters, fit.standardErrors).map { parameter, se -> [Value] in
                    [.text(arm), .text(fit.model.rawValue), .text(parameter.0), .number(parameter.1), .number(se.1), .number(fit.logLikelihood),
                     .number(fit.aic), .number(fit.ksStatistic), .number(fit.ksP), .text(fit.converged ? "true" : "false")]
                }
            },
            shownInTable: false)
        let perArm = arms.map { arm in
            Table(
                title: "arm \(arm.arm)",
                columns: [Column("model"), Column("parameters (± se)"), Column("log L"), Column("AIC"), Column("KS D"), Column("KS p"), Column("note")],
                rows: arm.fits.map { fit in
                    let parameters = zip(fit.parameters, fit.standardErrors).map { p, se in
                        "\(p.0) \(Renderer.display(.number(p.1, .significant(4))))" + (se.1.map { " ± " + Renderer.display(.number($0, .significant(2))) } ?? "")
                    }.joined(separator: ", ")
                    return [.text(fit.model.rawValue), .text(parameters), .number(fit.logLikelihood, .fixed(2)), .number(fit.aic, .fixed(2)),
                            .number(fit.ksStatistic, .fixed(4)), .number(fit.ksP, .significant(3)), .text(fit.note ?? (fit.converged ? "" : "not converged"))]
                },
                csv: false)
        }
        return Presentation(shape: .rows, tables: [json, csv] + perArm)
    }
}
