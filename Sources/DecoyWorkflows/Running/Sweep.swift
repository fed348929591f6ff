public import DecoyModel
public import DecoyStore
import Foundation

/// A grid of config overrides, one run per point, identified so that it can be resumed.
public struct SweepPlan: Sendable {
    /// One axis of the grid: a key and the values it takes, in order.
    public struct Axis: Sendable, Equatable, Codable {
        public var key: String
        public var values: [String]
    }

    public let configPath: String
    public let text: String
    /// Overrides every point shares (`--set`, `--seed`, `--replicates`).
    public let base: [Override]
    public let axes: [Axis]

    /// Parses axes written `KEY=V1,V2,…`; a value repeated within an axis, or a key given by
    /// two axes, is refused (it would run the same point twice).
    public static func axes(from options: [String]) throws -> [Axis] {
        var keys: Set<String> = []
        return try options.map { option in
            guard let override = Override(option) else {
                throw ConfigError(issues: [ConfigIssue(setting: .sweepGrid, column: 1, path: "", message: "expected KEY=V1,V2,… such as `arms.adult.response.initial=100/h,200/h`")])
            }
            let values = override.value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !values.contains(where: \.isEmpty) else {
                throw ConfigError(issues: [ConfigIssue(setting: .sweepGrid, column: override.key.count + 2, path: override.key, message: "expected comma-separated values, found an empty one")])
            }
            var seen: Set<String> = []
            for value in values where !seen.insert(value).inserted {
                throw ConfigError(issues: [ConfigIssue(setting: .sweepGrid, column: override.key.count + 2, path: override.key,
                                                       message: "expected distinct values, found one value twice (the point would run twice)")])
            }
            guard keys.insert(override.key).inserted else {
                throw ConfigError(issues: [ConfigIssue(setting: .sweepGrid, column: 1, path: override.key,
                                                       message: "the key is given by two axes, so points would repeat twice over; give its values in one axis")])
            }
            return Axis(key: override.key, values: values)
        }
    }

    public init(configPath: String, text: String, base: [Override], axes: [Axis]) {
        self.configPath = configPath
        self.text = text
        self.base = base
        self.axes = axes
    }

    /// Every point of the grid, the first axis varying slowest.
    public var points: [[Override]] { Self.points(of: axes) }

    static func points(of axes: [Axis]) -> [[Override]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [Override(path: axis.key.split(separator: ".").map(String.init), value: $0, origin: .sweepGrid)] } }
        }
    }

    /// The axes as the store records them with the sweep (JSON, sorted keys).
    var gridText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(axes)) ?? Data(), as: UTF8.self)
    }

    /// The labels of every point of a recorded grid, in grid order; `nil` when `text` is not one.
    static func labels(ofGrid text: String) -> [String]? {
        guard let axes = try? JSONDecoder().decode([Axis].self, from: Data(text.utf8)), !axes.isEmpty else { return nil }
        return points(of: axes).map(label)
    }

    /// The label a point's run is tagged with: `key=value` pairs separated by spaces.
    public static func label(_ point: [Override]) -> String { point.map(\.description).joined(separator: " ") }

    /// Loads every point's config; throws every problem of every point before anything runs.
    public func loadPoints() throws(ConfigError) -> [LoadedConfig] {
        var loaded: [LoadedConfig] = []
        var issues: [ConfigIssue] = []
        var seen: Set<String> = []
        for point in points {
            do {
                loaded.append(try ConfigLoader.load(text: text, file: configPath, overrides: base + point))
            } catch {
                for issue in error.issues where seen.insert(issue.description).inserted { issues.append(issue) }
            }
        }
        guard issues.isEmpty else { throw ConfigError(issues: issues) }
        return loaded
    }

    /// The sweep's id: its config's name and the first 12 hex digits of SHA-256 over the
    /// resolved base config and the grid, so the same command finds the same sweep again.
    public func identifier() throws(ConfigError) -> String {
        let baseConfig = try ConfigLoader.load(text: text, file: configPath, overrides: base)
        let grid = axes.map { "\($0.key)=\($0.values.joined(separator: ","))" }.joined(separator: "\n")
        return "\(baseConfig.config.name)-\(Digest.hex(of: baseConfig.resolvedText + "\n" + grid).prefix(12))"
    }
}

/// What happened to one point of a sweep.
public struct SweepPointOutcome: Sendable {
    public enum State: String, Sendable {
        /// Run now.
        case done
        /// Finished by an earlier call; not run again.
        case skipped
        /// Being run by another live process.
        case busy
        /// Failed now.
        case failed
        /// Not reached because an earlier point failed (without `--keep-going`).
        case notRun = "not run"
    }

    public var point: String
    public var state: State
    public var runID: Int64?
    public var contacts: Int?
    public var digest: String?
    public var message: String?
}

/// Runs the points of a sweep that are not finished yet.
public struct SweepRunner {
    public let plan: SweepPlan
    public var keepGoing: Bool
    public var jobs: Int
    /// Only the grid points dealt to the K-th (1-based) of N shards: point i goes to shard
    /// (i mod N) + 1, so busy and quiet corners of the grid spread over the shards.
    public var shard: (index: Int, count: Int)?
    /// Stops the sweep at the current point's next chunk, its run left `interrupted`.
    public var cancellation = Cancellation.never

    public init(plan: SweepPlan, keepGoing: Bool, jobs: Int, shard: (index: Int, count: Int)? = nil) {
        self.plan = plan
        self.keepGoing = keepGoing
        self.jobs = jobs
        self.shard = shard
    }

    /// Runs the sweep into `database`; `started` is called before each point runs.
    ///
    /// Each point is claimed in one transaction with the check of its earlier runs, so two
    /// identical sweeps at once run every point once: the second finds the first's run and skips
    /// the point (finished) or reports it busy (being written). A signal stops the sweep after the
    /// current chunk, the point's run marked `interrupted`, and rethrows ``RunInterrupted``.
    public func run(into database: Database, started: (Int, String) -> Void = { _, _ in }) throws -> (sweep: String, outcomes: [SweepPointOutcome]) {
        let configs = try plan.loadPoints()
        let sweep = try plan.identifier()
        try database.recordSweep(sweep, grid: plan.gridText)
        var outcomes: [SweepPointOutcome] = []
        var stop = false
        for (index, (point, loaded)) in zip(plan.points, configs).enumerated() {
            if let shard, index % shard.count != shard.index - 1 { continue }
            let label = SweepPlan.label(point)
            if stop {
                outcomes.append(SweepPointOutcome(point: label, state: .notRun))
                continue
            }
            if let signal = cancellation.signal { throw SweepInterrupted(sweep: sweep, signal: signal) }
            var runner = ExperimentRunner(loaded: loaded, configPath: plan.configPath, jobs: jobs, sweep: SweepTag(sweep: sweep, point: label))
            runner.cancellation = cancellation
            let claim = try database.beginSweepPoint(runner.header, startedAt: nowText()) { earlier in
                earlier.first { $0.status == .complete } ?? earlier.first { $0.status == .running && RunLiveness.writerIsAlive($0) }
            }
            switch claim {
            case let .existing(earlier) where earlier.status == .complete:
                outcomes.append(SweepPointOutcome(point: label, state: .skipped, runID: earlier.id, contacts: earlier.contacts, digest: earlier.digest))
            case let .existing(live):
                outcomes.append(SweepPointOutcome(point: label, state: .busy, runID: live.id,
                                                  message: "run \(live.id) is being written by process \(live.provenance.pid) on \(live.provenance.host)"))
            case let .started(runID):
                started(index, label)
                do {
                    let outcome = try runner.write(runID: runID, into: database)
                    outcomes.append(SweepPointOutcome(point: label, state: .done, runID: outcome.runID, contacts: outcome.contacts, digest: outcome.digest))
                } catch let interrupted as RunInterrupted {
                    throw interrupted
                } catch {
                    outcomes.append(SweepPointOutcome(point: label, state: .failed, runID: runID, message: "\(error)"))
                    stop = !keepGoing
                }
            }
        }
        return (sweep, outcomes)
    }
}

/// A sweep stopped by a signal between two points; finished points stay, the rest run when the
/// same command is given again.
public struct SweepInterrupted: DecoyFailure {
    public var exitStatus: ExitStatus { .interrupted }
    public var sweep: String
    public var signal: Int32
    public var description: String {
        "sweep \(sweep) interrupted by signal \(signal); give the same command again to run the remaining points"
    }
}
