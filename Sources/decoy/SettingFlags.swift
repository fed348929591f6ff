import DecoyModel
import DecoyStore

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
        case .contactTime: "--at"
        case .endedAt: "--at"
        case .pseudonymKey: "--key-file or $DECOY_PSEUDONYM_KEY"
        case .withoutContacts: "--no-contacts"
        case .database: "--db"
        case .force: "--force"
        }
    }

    /// A failure's message as the command line says it: settings named by their flags, and the
    /// commands that make a database where there is none.
    static func message(of error: any Error) -> String {
        let message = (error as? any SettingFailure)?.message(naming: flag) ?? "\(error)"
        switch error as? StoreError {
        case let .missing(path)?, let .empty(path)?:
            return message + "; `decoy run CONFIG --db \(path)` makes one with a simulated run, "
                + "`decoy import CONFIG --postings P.csv --events E.csv --db \(path)` with a field replication's observed run"
        default:
            return message
        }
    }
}
