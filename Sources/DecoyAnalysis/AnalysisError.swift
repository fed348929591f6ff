public import DecoyModel

/// Why an analysis cannot be made as asked.
public enum AnalysisError: SettingFailure, Equatable {
    /// The run has no arm of that name.
    case unknownArm(run: Int64, arm: String, known: [String])
    /// The `expected` curve needs a simulated run's model.
    case noModel(run: Int64, reason: String)
    /// A curve asked for at a resolution or extent it cannot have.
    case request(SettingText)

    public var exitStatus: ExitStatus { .failure }

    public func message(naming name: (Setting) -> String) -> String {
        switch self {
        case let .unknownArm(run, arm, known):
            let hint = Suggestion.closest(to: arm, among: known).map { "; did you mean `\($0)`?" } ?? ""
            return "run \(run) has no arm of that name (\(TypedValue.described(arm)))\(hint)" + (known.isEmpty ? "" : "; its arms: \(known.joined(separator: ", "))")
        case let .noModel(run, reason):
            return "metric `expected` needs the model of a simulated run; run \(run) \(reason)"
        case let .request(message):
            return message.written(naming: name)
        }
    }
}
