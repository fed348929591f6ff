import DecoyAnalysis
import DecoyStatistics
public import DecoyStudies
import Foundation

extension CoverageStudy {
    /// `coverage`: one row per arm (or compared pair), metric and postings per arm; and one row per
    /// test and postings of the type I error on the null design. People see both; CSV and JSON
    /// give `leading`.
    public func presentation(leading: Part = .coverage) -> Presentation {
        let level = CSV.number(confidence * 100)
        let coverage = Table(
            key: "coverage",
            title: "\(name): coverage of the \(level)% intervals (--intervals \(method.rawValue)), \(replicates) replicates",
            columns: [
                Column("arm"), Column("metric"), Column("postings", rightAligned: true), Column("checked", rightAligned: true),
                Column("covered", rightAligned: true), Column("coverage", rightAligned: true), Column("standard_error", title: "± se", rightAligned: true),
            ],
            rows: cells.map { cell in
                [.text(cell.arm), .text(cell.metric), .integer(Int64(cell.postings)), .integer(Int64(cell.checked)),
                 .integer(Int64(cell.covered)), .number(cell.coverage, .fixed(4)), .number(cell.standardError, .fixed(4))]
            })
        func f(_ v: Double?) -> String { Renderer.display(.number(v, .fixed(4))) }
        let typeOneTable = Table(
            key: "type_one",
            title: "\(name): type I error at α = \(String(format: "%g", 1 - confidence)) of every test on the null design (every arm given `\(nullArm ?? "-")`'s response, each keeping its removal and schedule), \(replicates) replicates",
            columns: [
                Column("test"), Column("postings", rightAligned: true), Column("replicates", rightAligned: true),
                Column("defined", rightAligned: true), Column("rejections", rightAligned: true), Column("type_one_error", title: "type I", rightAligned: true),
                .data("lower"), .data("upper"), .forPeople("95% interval"),
            ],
            rows: typeOne.map { cell in
                let interval = cell.interval
                return [.text(cell.test.rawValue), .int(cell.postings), .int(cell.replicates), .int(cell.defined), .int(cell.rejections),
                        .number(cell.rate, .fixed(4)), .number(interval?.lower), .number(interval?.upper),
                        .text("\(f(interval?.lower)) – \(f(interval?.upper))")]
            },
            emptyNote: "type I error: the config has fewer than two arms, or its first arm has no response")
        var notes = ["intervals are checked against the model's exact values given each replicate's windows; mcf at \(CoverageStudy.checkpoints.map { CSV.number($0) }.joined(separator: ", ")) of the horizon, rate bins starting at \(CoverageStudy.rateCheckpoints.map { CSV.number($0) }.joined(separator: ", ")) of it, ttfc where the model's probability of no contact is \(CoverageStudy.survivalCheckpoints.map { CSV.number($0) }.joined(separator: ", "))"]
        if !typeOne.isEmpty {
            notes.append("type I: each replicate of the null design compared as `compare` compares a run (\(method.rawValue) inference); `defined` counts the replicates where the test is defined, the rate is among them")
        }
        return Presentation(shape: .rows, tables: leading == .coverage ? [coverage, typeOneTable] : [typeOneTable, coverage], notes: notes)
    }
}
