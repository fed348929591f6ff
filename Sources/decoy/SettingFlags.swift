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
        }
    }

    /// A failure's message as the command line says it: settings named by their flags.
    static func message(of error: any Error) -> String {
        (error as? any SettingFailure)?.message(naming: flag) ?? "\(error)"
    }
}
