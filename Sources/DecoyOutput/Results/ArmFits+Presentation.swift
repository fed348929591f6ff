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
                // A fit the data do not define has no numbers, only its note.
                let d = fit.defined
                return [.text(arm), .text(fit.model.rawValue),
                        .json(.object(fit.parameters.map { ($0.0, d ? .finite($0.1) : .null) })),
                        .json(.object(fit.standardErrors.map { ($0.0, d ? .finite($0.1) : .null) })),
                        .number(d ? fit.logLikelihood : nil), .number(d ? fit.aic : nil), .number(d ? fit.ksStatistic : nil),
                        .number(d ? fit.ksP : nil), .bool(fit.converged), .optionalText(fit.note)]
            },
            csv: false, shownInTable: false)
        let csv = Table(
            columns: ["arm", "model", "parameter", "estimate", "standard_error", "log_likelihood", "aic", "ks_statistic", "ks_p", "converged"].map { Column($0) },
            rows: fits.flatMap { arm, fit in
                zip(fit.parameters, fit.standardErrors).map { parameter, se -> [Value] in
                    let d = fit.defined
                    return [.text(arm), .text(fit.model.rawValue), .text(parameter.0), .number(d ? parameter.1 : nil), .number(d ? se.1 : nil),
                            .number(d ? fit.logLikelihood : nil), .number(d ? fit.aic : nil), .number(d ? fit.ksStatistic : nil),
                            .number(d ? fit.ksP : nil), .text(fit.converged ? "true" : "false")]
                }
            },
            shownInTable: false)
        let perArm = arms.map { arm in
            Table(
                title: "arm \(arm.arm)",
                columns: [Column("model"), Column("parameters (± se)"), Column("log L"), Column("AIC"), Column("KS D"), Column("KS p"), Column("note")],
                rows: arm.fits.map { fit in
                    guard fit.defined else {
                        return [.text(fit.model.rawValue), .text("-"), .missing, .missing, .missing, .missing, .text(fit.note ?? "")]
                    }
                    let parameters = zip(fit.parameters, fit.standardErrors).map { p, se in
                        "\(p.0) \(Renderer.display(.number(p.1, .significant(4))))" + (se.1.map { " ± " + Renderer.display(.number($0, .significant(2))) } ?? "")
                    }.joined(separator: ", ")
                    return [.text(fit.model.rawValue), .text(parameters), .number(fit.logLikelihood, .fixed(2)), .number(fit.aic, .fixed(2)),
                            .number(fit.ksStatistic, .fixed(4)), .shown(ForPeople.pValue(fit.ksP), as: .number(fit.ksP)), .text(fit.note ?? (fit.converged ? "" : "not converged"))]
                },
                csv: false)
        }
        return Presentation(shape: .rows, tables: [json, csv] + perArm)
    }
}
