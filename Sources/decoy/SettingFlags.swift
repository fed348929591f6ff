import DecoyModel

/// The one table from the library's settings to the flags that set them.
enum SettingFlags {
    static func flag(_ setting: Setting) -> String {
        switch setting {
        case .arms: "--arms"
        case .nullArm: "--null-arm"
        case .test: "--test"
        case .alpha: "--alpha"
        case .target: "--target"
        case .ratio: "--ratio"
        case .sims: "--sims"
        case .precision: "--precision"
        case .draws: "--draws"
        case .jobs: "--jobs"
        case .postings: "--postings"
        case .maximumPostings: "--max-postings"
        case .shard: "--shard"
        case .seed: "--seed"
        case .terms: "--terms"
        case .term: "--term"
        case .strata: "--strata"
        case .factor: "--factor"
        case .overrides: "--set"
        case .sweepGrid: "--grid"
        case .replicates: "--replicates"
        case .curveStep: "--grid"
        case .curveEnd: "--until"
        case .confidence: "--confidence"
        case .posting: "--posting"
        case .channel: "--channel"
        case .contact: "--contact"
        case .endedAt: "--at"
        case .pseudonymKey: "--key-file or $DECOY_PSEUDONYM_KEY"
        case .withoutContacts: "--no-contacts"
        case .database: "--db"
        case .force: "--force"
        }
    }

    /// A failure's message as the command line says it: settings named by their flags.
    static func message(of error: any Error) -> String {
        (error as? any SettingFailure)?.message(naming: flag) ?? "\(error)"
    }
}
