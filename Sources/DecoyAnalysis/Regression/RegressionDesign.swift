public import DecoyStatistics
public import DecoyModel
import Foundation

/// A term of a regression: one covariate (`platform`), or the interaction of several (`section:platform`).
public struct RegressionTerm: Sendable, Hashable, CustomStringConvertible {
    /// The covariates multiplied, in the order written.
    public var factors: [String]

    public init(_ factors: [String]) {
        self.factors = factors
    }

    /// Parses `a` or `a:b:…`; `nil` when a part is empty or a covariate repeats.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }), Set(parts).count == parts.count else { return nil }
        factors = parts
    }

    public var description: String { factors.joined(separator: ":") }
}

/// What a regression is asked for: its terms, strata and coding, and the inference.
public struct RegressionSettings: Sendable, Equatable {
    public var terms: [RegressionTerm]
    /// The covariate whose levels each get a baseline of their own, if any.
    public var strata: String?
    /// The reference level of labels, by covariate (default: the first level met).
    public var references: [String: String]
    /// Covariates read as labels even where every value is a number.
    public var factors: Set<String>
    /// The arms analysed (default: all).
    public var arms: [String]?
    public var ties: Ties
    public var intervals: IntervalMethod
    /// Coverage of every interval, from 0.5 to 0.999999999.
    public var confidence: Double
    /// Threads of the jackknife's refits; the result does not depend on it.
    public var threads: Int = 1

    public init(
        terms: [RegressionTerm], strata: String? = nil, references: [String: String] = [:], factors: Set<String> = [],
        arms: [String]? = nil, ties: Ties = .efron, intervals: IntervalMethod = .corrected, confidence: Double = 0.95
    ) {
        self.terms = terms
        self.strata = strata
        self.references = references
        self.factors = factors
        self.arms = arms
        self.ties = ties
        self.intervals = intervals
        self.confidence = confidence
    }

    /// The most coefficients a model may have.
    public static let maximumCoefficients = 100
}

/// The covariates a run offers each posting, by name: `arm`, the arms' `attributes:` labels, the
/// postings' own attributes, `posted_hour` (local hour of going live, 0–23) and `posted_weekday`
/// (`mon` … `sun`, local).
public struct PostingCovariates: Sendable {
    /// One covariate: a number per posting, or a label per posting with its levels in order.
    public enum Values: Sendable, Equatable {
        case numeric([Double])
        /// Each posting's level index into `levels`; `levels[0]` is the reference.
        case label(levels: [String], codes: [Int])
    }

    /// The positions (in ``RunDescription/postings``) of the postings analysed.
    public let members: [Int]
    let run: RunDescription

    public init(run: RunDescription, members: [Int]) {
        self.run = run
        self.members = members
    }

    /// Every covariate name the run offers.
    public var names: [String] {
        var names = ["arm"]
        var seen: Set<String> = ["arm"]
        for arm in run.arms { for key in arm.attributes.keys.sorted() where seen.insert(key).inserted { names.append(key) } }
        for posting in members.map({ run.postings[$0] }) {
            for key in posting.attributes.keys.sorted() where seen.insert(key).inserted { names.append(key) }
        }
        return names + ["posted_hour", "posted_weekday"]
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The values of `name`, as text per posting, with the natural order of label levels where
    /// there is one (`nil`: first met).
    func text(of name: String) throws(RegressionError) -> (values: [String], order: [String]?, numeric: Bool) {
        let postings = members.map { run.postings[$0] }
        switch name {
        case "arm":
            return (postings.map { run.arms[$0.arm].name }, run.arms.map(\.name), false)
        case "posted_hour", "posted_weekday":
            let local = postings.map { Self.localSeconds($0.postedAtMicros, offset: run.utcOffsetSeconds) }
            if name == "posted_hour" {
                let hours = local.map { Int(($0 % 86_400 + 86_400) % 86_400 / 3600) }
                return (hours.map(String.init), (0..<24).map(String.init), true)
            }
            // 1970-01-01 was a Thursday.
            let days = local.map { Self.weekdays[Int(((Self.floorDivide($0, 86_400) + 3) % 7 + 7) % 7)] }
            return (days, Self.weekdays, false)
        default:
            let inArms = run.arms.contains { $0.attributes[name] != nil }
            let inPostings = postings.contains { $0.attributes[name] != nil }
            if inArms && inPostings { throw .ambiguous(name) }
            if inArms {
                if let arm = run.arms.first(where: { arm in arm.attributes[name] == nil && postings.contains { $0.arm == arm.id } }) {
                    throw .missingValue(covariate: name, whose: "arm \(arm.name)")
                }
                var order: [String] = []
                for arm in run.arms { if let v = arm.attributes[name], !order.contains(v) { order.append(v) } }
                return (postings.map { run.arms[$0.arm].attributes[name]! }, order, false)
            }
            if inPostings {
                if let missing = postings.firstIndex(where: { ($0.attributes[name] ?? "").isEmpty }) {
                    throw .missingValue(covariate: name, whose: "posting \(missing + 1) of those analysed")
                }
                let values = postings.map { $0.attributes[name]! }
                return (values, nil, values.allSatisfy { Self.number($0) != nil })
            }
            throw .unknownCovariate(name, known: names)
        }
    }

    /// The values of `name` as written, one per posting (`posted_hour` as 0–23, `posted_weekday` as `mon` … `sun`).
    public func textValues(of name: String) throws(RegressionError) -> [String] { try text(of: name).values }

    /// The covariate `name`: numeric where every value is a number (and it is not forced to a
    /// label), else a label with its reference level first.
    public func values(of name: String, forceLabel: Bool, reference: String?) throws(RegressionError) -> Values {
        let (values, order, numeric) = try text(of: name)
        if numeric && !forceLabel && name != "posted_weekday" {
            if let reference { throw .referenceOfNumber(covariate: name, level: reference) }
            let numbers = values.map { Self.number($0)! }
            return .numeric(numbers)
        }
        var levels: [String] = []
        if let order {
            let present = Set(values)
            levels = order.filter { present.contains($0) }
        } else {
            var seen = Set<String>()
            for value in values where seen.insert(value).inserted { levels.append(value) }
        }
        if let reference {
            guard let at = levels.firstIndex(of: reference) else { throw .unknownLevel(covariate: name, level: reference, known: levels) }
            levels.insert(levels.remove(at: at), at: 0)
        }
        var index: [String: Int] = [:]
        for (i, level) in levels.enumerated() { index[level] = i }
        return .label(levels: levels, codes: values.map { index[$0]! })
    }

    /// A decimal number such as `3`, `-0.25` or `1e3`, finite; not `inf`, `nan` or hexadecimal.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) || $0 == 46 || $0 == 45 || $0 == 43 || $0 == 101 || $0 == 69 }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func localSeconds(_ micros: Int64, offset: Int) -> Int64 { floorDivide(micros, 1_000_000) + Int64(offset) }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// The model matrix of a regression: one column per coefficient (treatment contrasts against each
/// label's reference level, products for interactions, as R's `model.matrix` codes
/// `~ a * b` for labels and numbers), one row per posting, and each posting's stratum.
public struct RegressionDesign: Sendable {
    /// One coefficient's column.
    public struct Column: Sendable, Equatable {
        /// The term it belongs to, as written (`section:platform`).
        public var term: String
        /// The level it contrasts with the reference (`escorts`, `escorts:vivastreet`); `nil` for a number.
        public var level: String?
    }

    public var columns: [Column]
    /// Row i: posting `members[i]`'s covariates.
    public var rows: [[Double]]
    /// Each posting's stratum (0 without strata).
    public var strata: [Int]
    /// The strata's levels (empty without strata).
    public var strataLevels: [String]
    /// The positions of the postings analysed, in ``RunDescription/postings``.
    public var members: [Int]

    /// The columns of each term, by position in the settings' terms.
    public var termColumns: [[Int]]

    /// Builds the design of `settings` over `run`'s postings (those of `settings.arms`, if given).
    public init(run: RunDescription, settings: RegressionSettings) throws(RegressionError) {
        guard !settings.terms.isEmpty else { throw .noTerms }
        var members = run.postings.indices.map { $0 }
        if let arms = settings.arms {
            var ids: [Int] = []
            for name in arms {
                guard let arm = run.arms.first(where: { $0.name == name }) else { throw .unknownArm(name, known: run.arms.map(\.name)) }
                ids.append(arm.id)
            }
            members = members.filter { ids.contains(run.postings[$0].arm) }
        }
        guard !members.isEmpty else { throw .noPostings }
        let covariates = PostingCovariates(run: run, members: members)
        let mains = Set(settings.terms.filter { $0.factors.count == 1 }.map { $0.factors[0] })
        var seenTerms = Set<RegressionTerm>()
        for term in settings.terms {
            guard seenTerms.insert(term).inserted else { throw .repeatedTerm(term.description) }
            if term.factors.count > 1, let missing = term.factors.first(where: { !mains.contains($0) }) {
                throw .interactionWithoutMain(term: term.description, missing: missing)
            }
            // R's coding of a:b:c is the product of the main effects' contrasts only when every
            // lower-order interaction is a term too.
            if term.factors.count > 2 {
                for drop in term.factors.indices {
                    var margin = term.factors
                    margin.remove(at: drop)
                    if !settings.terms.contains(where: { Set($0.factors) == Set(margin) }) {
                        throw .interactionWithoutMain(term: term.description, missing: margin.joined(separator: ":"))
                    }
                }
            }
            if let strata = settings.strata, term.factors.contains(strata) { throw .stratumAsTerm(strata) }
        }
        for name in settings.references.keys where !settings.terms.contains(where: { $0.factors.contains(name) }) && name != settings.strata {
            throw .referenceNotInTerms(name)
        }
        for name in settings.factors.sorted() where !settings.terms.contains(where: { $0.factors.contains(name) }) && name != settings.strata {
            throw .factorNotInTerms(name)
        }

        var cache: [String: PostingCovariates.Values] = [:]
        func values(_ name: String) throws(RegressionError) -> PostingCovariates.Values {
            if let known = cache[name] { return known }
            let found = try covariates.values(
                of: name, forceLabel: settings.factors.contains(name) || name == settings.strata, reference: settings.references[name])
            cache[name] = found
            return found
        }

        // Each covariate's own columns: (level, value per posting).
        func own(_ name: String) throws(RegressionError) -> [(level: String?, values: [Double])] {
            switch try values(name) {
            case let .numeric(numbers):
                return [(nil, numbers)]
            case let .label(levels, codes):
                return levels.indices.dropFirst().map { level in (levels[level], codes.map { $0 == level ? 1.0 : 0.0 }) }
            }
        }

        var columns: [Column] = []
        var data: [[Double]] = []
        var termColumns: [[Int]] = []
        for term in settings.terms {
            var product: [(level: String?, values: [Double])] = [(nil, Array(repeating: 1, count: members.count))]
            for name in term.factors {
                // Count the columns before building them: 10,000 levels must not allocate 10,000 columns.
                if case let .label(levels, _) = try values(name), columns.count + product.count * (levels.count - 1) > RegressionSettings.maximumCoefficients {
                    throw .tooManyCoefficients(atLeast: columns.count + product.count * (levels.count - 1), limit: RegressionSettings.maximumCoefficients)
                }
                let next = try own(name)
                if next.isEmpty { throw .singleLevel(term: term.description, covariate: name) }
                product = product.flatMap { left in
                    next.map { right in
                        let level = [left.level, right.level].compactMap { $0 }.joined(separator: ":")
                        return (level.isEmpty ? nil : level, zip(left.values, right.values).map { $0 * $1 })
                    }
                }
            }
            var indices: [Int] = []
            for column in product {
                indices.append(columns.count)
                columns.append(Column(term: term.description, level: column.level))
                data.append(column.values)
            }
            termColumns.append(indices)
            guard columns.count <= RegressionSettings.maximumCoefficients else {
                throw .tooManyCoefficients(atLeast: columns.count, limit: RegressionSettings.maximumCoefficients)
            }
        }
        var strata = Array(repeating: 0, count: members.count)
        var strataLevels: [String] = []
        if let name = settings.strata {
            guard case let .label(levels, codes) = try values(name) else { preconditionFailure("strata are read as labels") }
            strata = codes
            strataLevels = levels
        }
        self.columns = columns
        self.rows = members.indices.map { i in data.map { $0[i] } }
        self.strata = strata
        self.strataLevels = strataLevels
        self.members = members
        self.termColumns = termColumns
        try checkIdentified(settings: settings)
    }

    /// The name of column j as messages show it.
    public func name(of j: Int) -> String {
        columns[j].level.map { "term \(columns[j].term) (level \($0))" } ?? "term \(columns[j].term)"
    }

    /// Refuses a design whose coefficients the data cannot determine, naming the term: a column
    /// with no posting (an empty cell), a level held by one posting, a number that does not vary,
    /// a column that is a combination of others within strata (collinear), more coefficients
    /// than postings allow.
    func checkIdentified(settings: RegressionSettings) throws(RegressionError) {
        let n = rows.count, p = columns.count
        for j in 0..<p {
            let column = rows.map { $0[j] }
            if columns[j].level != nil {
                let holders = column.filter { $0 != 0 }.count
                if holders == 0 { throw .emptyCell(name(of: j)) }
                if holders == 1 { throw .onePosting(name(of: j)) }
            }
            if let largest = column.map(abs).max(), largest > 1e9 { throw .tooLarge(name(of: j), largest) }
        }
        guard p < n - 1 || (settings.intervals == .classic && p < n) else { throw .tooFewPostings(coefficients: p, postings: n) }
        // Gram–Schmidt on the columns centred within strata: a stratum's own constant is its baseline's.
        var basis: [[Double]] = []
        for j in 0..<p {
            var v = rows.map { $0[j] }
            var means: [Int: (Double, Int)] = [:]
            for (i, x) in v.enumerated() { means[strata[i], default: (0, 0)].0 += x; means[strata[i], default: (0, 0)].1 += 1 }
            for i in v.indices { let m = means[strata[i]]!; v[i] -= m.0 / Double(m.1) }
            let original = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard original > 1e-12 * max(1, rows.map { abs($0[j]) }.max() ?? 1) else {
                throw strataLevels.count > 1 || columns[j].level != nil ? .constantWithinStrata(name(of: j)) : .constant(name(of: j))
            }
            for u in basis {
                let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
                for i in v.indices { v[i] -= dot * u[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 1e-9 * original else { throw .collinear(name(of: j)) }
            basis.append(v.map { $0 / norm })
        }
    }
}

/// Why a regression cannot be made as asked; every message names the term or covariate.
public enum RegressionError: SettingFailure, Equatable, Sendable {
    public var exitStatus: ExitStatus { .failure }

    case noTerms
    case noPostings
    case unknownArm(String, known: [String])
    case unknownCovariate(String, known: [String])
    case ambiguous(String)
    case missingValue(covariate: String, whose: String)
    case unknownLevel(covariate: String, level: String, known: [String])
    case referenceOfNumber(covariate: String, level: String)
    case referenceNotInTerms(String)
    case factorNotInTerms(String)
    case repeatedTerm(String)
    case interactionWithoutMain(term: String, missing: String)
    case stratumAsTerm(String)
    case singleLevel(term: String, covariate: String)
    case tooManyCoefficients(atLeast: Int, limit: Int)
    case tooFewPostings(coefficients: Int, postings: Int)
    case emptyCell(String)
    case onePosting(String)
    case tooLarge(String, Double)
    case constant(String)
    case constantWithinStrata(String)
    case collinear(String)
    case noContacts
    case infinite(String)
    case notConverged(iterations: Int, lastStep: Double)
    case jackknife(String)

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case .noTerms: "no terms: name at least one, such as `arm`"
        case .noPostings: "no posting to analyse"
        case let .unknownArm(name, known): "no arm of that name (\(TypedValue.described(name)))" + (known.isEmpty ? "" : "; the arms: \(known.joined(separator: ", "))")
        case let .unknownCovariate(name, known):
            "no covariate of that name (\(TypedValue.described(name)))" + (Suggestion.closest(to: name, among: known).map { "; did you mean `\($0)`?" } ?? "")
                + "; the run offers: \(known.joined(separator: ", "))"
        case let .ambiguous(name): "`\(name)` is both an arm attribute and a posting attribute; rename one"
        case let .missingValue(covariate, whose): "covariate `\(covariate)` has no value for \(whose); every posting analysed needs one"
        case let .unknownLevel(covariate, level, known):
            "covariate `\(covariate)` has no level of that name (\(TypedValue.described(level))) for a reference; its levels: \(known.joined(separator: ", "))"
        case let .referenceOfNumber(covariate, _): "covariate `\(covariate)` is a number, so it has no reference level (read it as a label with \(name(.factor)))"
        case let .referenceNotInTerms(name): "a reference is given for `\(name)`, which is not among the terms or strata"
        case let .factorNotInTerms(covariate): "`\(covariate)` is to be read as a label (\(name(.factor))) but is not among the terms or strata"
        case let .repeatedTerm(term): "term \(term) is named twice"
        case let .interactionWithoutMain(term, missing): "the interaction \(term) needs `\(missing)` among the terms too (every lower-order term, as R codes a * b * c)"
        case let .stratumAsTerm(name): "`\(name)` cannot be both a term and the strata"
        case let .singleLevel(term, covariate): "term \(term): every posting analysed has the same `\(covariate)`, so it has no effect to estimate"
        case let .tooManyCoefficients(count, limit): "the model has at least \(count) coefficients; at most \(limit) are fitted"
        case let .tooFewPostings(coefficients, postings):
            "the model has \(coefficients) coefficients for \(postings) postings; the cluster-robust inference needs more postings than coefficients plus one"
        case let .emptyCell(name): "\(name): no posting has this level (an empty cell), so its coefficient cannot be estimated"
        case let .onePosting(name): "\(name): only one posting has this level, so its coefficient cannot be told apart from that posting's own rate"
        case let .tooLarge(name, value): "\(name): a value of magnitude \(value) is beyond what the model fits (at most 1e9); rescale it"
        case let .constant(name): "\(name): every posting analysed has the same value, so its coefficient cannot be estimated"
        case let .constantWithinStrata(name): "\(name): it does not vary within any stratum (or among the postings analysed), so the baselines absorb it"
        case let .collinear(name): "\(name) is determined by the terms before it (collinear: e.g. an attribute every arm fixes), so its coefficient cannot be estimated; drop one"
        case .noContacts: "there is no contact among the postings analysed"
        case let .infinite(name): "\(name): its estimate is infinite (every contact of the risk sets comes from one side, e.g. a level with no contact)"
        case let .notConverged(iterations, lastStep): "the fit did not converge after \(iterations) iterations (last step \(lastStep))"
        case let .jackknife(reason): reason
        }
    }
}
