/// A setting a caller of the library chose (a count, a level, an arm): errors name the setting,
/// and each front end maps it to its own name for it (the command line to its flag), so the
/// library never speaks of flags.
public enum Setting: String, Sendable, CaseIterable {
    case arms, nullArm, test, alpha, target, ratio, sims, precision, draws, jobs
    case postings, maximumPostings, shard, seed, terms, term

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
        }
    }
}

/// A failure whose message names settings: `message(naming:)` writes it with the caller's name
/// for each (``Setting/words`` in `description`).
public protocol SettingFailure: DecoyFailure {
    func message(naming name: (Setting) -> String) -> String
}

extension SettingFailure {
    public var description: String { message { $0.words } }
}
