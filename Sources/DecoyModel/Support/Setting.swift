/// A setting a caller of the library chose (a count, a level, an arm): errors name the setting,
/// and each front end maps it to its own name for it (the command line to its flag), so the
/// library never speaks of flags.
public enum Setting: String, Sendable, CaseIterable {
    case arms, nullArm, test, alpha, target, ratio, sims, precision, draws, jobs
    case postings, maximumPostings, shard, seed, terms, term, strata, factor
    case overrides, sweepGrid, replicates
    case curveStep, curveEnd, confidence
    case posting, channel, contact, contactTime, endedAt, pseudonymKey, withoutContacts
    case database, force

    /// The setting in plain words, for a message read without a command line.
    public var words: String {
        switch self {
        case .arms: "arms"
        case .nullArm: "null arm"
        case .test: "test"
        case .alpha: "level alpha"
        case .target: "target power"
        case .ratio: "postings ratio"
        case .sims: "simulations"
        case .precision: "precision"
        case .draws: "randomization draws"
        case .jobs: "threads"
        case .postings: "postings"
        case .maximumPostings: "most postings searched"
        case .shard: "shard"
        case .seed: "seed"
        case .terms: "regression terms"
        case .term: "term tested"
        case .strata: "strata"
        case .factor: "covariates read as labels"
        case .overrides: "override"
        case .sweepGrid: "sweep grid"
        case .replicates: "replicates"
        case .curveStep: "grid step"
        case .curveEnd: "curve end"
        case .confidence: "confidence level"
        case .posting: "posting"
        case .channel: "channel"
        case .contact: "contact identifier"
        case .contactTime: "contact time"
        case .endedAt: "end time"
        case .pseudonymKey: "pseudonym key"
        case .withoutContacts: "import without contacts"
        case .database: "database"
        case .force: "forced takeover"
        }
    }
}

/// Text that names settings, written out with each front end's name for them:
/// `"\(Setting.curveStep) is under 1 µs"` reads "grid step is under 1 µs" in ``words`` and
/// "--grid is under 1 µs" on the command line.
public struct SettingText: Sendable, Equatable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Piece: Sendable, Equatable {
        case text(String)
        case setting(Setting)
    }

    var pieces: [Piece]

    public init(stringLiteral value: String) { pieces = [.text(value)] }

    /// Text that names no setting.
    public init(_ text: String) { pieces = [.text(text)] }

    public init(stringInterpolation: Interpolation) { pieces = stringInterpolation.pieces }

    public struct Interpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { pieces.append(.text(literal)) }
        public mutating func appendInterpolation(_ setting: Setting) { pieces.append(.setting(setting)) }
        public mutating func appendInterpolation(_ text: SettingText) { pieces += text.pieces }
        public mutating func appendInterpolation<T>(_ value: T) { pieces.append(.text("\(value)")) }
    }

    /// The settings this text names, in order.
    public var settings: [Setting] {
        pieces.compactMap { if case let .setting(s) = $0 { s } else { nil } }
    }

    /// The text with each setting called by `name`.
    public func written(naming name: (Setting) -> String) -> String {
        pieces.map { piece in
            switch piece {
            case let .text(text): text
            case let .setting(setting): name(setting)
            }
        }.joined()
    }

    /// The text with settings in plain words.
    public var words: String { written { $0.words } }

    public var description: String { words }
}

/// A failure whose message names settings: `message(naming:)` writes it with the caller's name
/// for each (``Setting/words`` in `description`).
public protocol SettingFailure: DecoyFailure {
    func message(naming name: (Setting) -> String) -> String
}

extension SettingFailure {
    public var description: String { message { $0.words } }
}
