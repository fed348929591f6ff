public import DecoyModel
import DecoyAnalysis
public import DecoyOutput
import DecoyStore
import DecoyWorkflows
import Foundation

/// `decoy bench`: times the library's own code paths on a fixed workload and reports contacts
/// per second and peak memory of each step.
///
/// The workload is `benchmarks/workload.yaml` (embedded): one arm of exponential-decay postings,
/// 150 contacts an hour at posting halving every 3.6 h over 0.5 an hour, observed 48 h (about
/// 803 contacts a posting), with as many postings as the requested contacts need. The steps are
/// those a study repeats: simulate only (rows and digest built, nothing stored), simulate and
/// store (`decoy run`), the curves `mcf,rate` and `ttfc` of the stored run, and the CSV export
/// of its events.
public struct Benchmark {
    /// One measured step.
    public enum Step: String, Sendable, CaseIterable {
        case simulate
        case run
        case curvesMCFRate = "curves-mcf-rate"
        case curvesTTFC = "curves-ttfc"
        case export
    }

    /// The figures of one step at one size and number of jobs (medians over repeats).
    public struct Result: Sendable {
        public var step: Step
        /// Contacts the step handled.
        public var contacts: Int
        public var postings: Int
        public var jobs: Int
        public var seconds: Double
        /// Largest resident memory during the step, in bytes; `nil` where it cannot be measured.
        public var peakBytes: Int?
        public var contactsPerSecond: Double { Double(contacts) / seconds }
    }

    /// The text of `benchmarks/workload.yaml`, byte for byte, built into the binary (the EmbedFiles plugin).
    public static var workloadText: String { EmbeddedFiles.workload }

    /// Contacts wanted at each size, e.g. 1 and 10 million.
    public var sizes: [Int]
    /// Numbers of simulation threads to time `simulate` and `run` with; the readers use the first.
    public var jobs: [Int]
    public var repeats: Int
    public var steps: [Step]
    /// Where the databases and exports go; they are deleted after each step.
    public var directory: String

    public init(sizes: [Int], jobs: [Int], repeats: Int, steps: [Step] = Step.allCases, directory: String) {
        self.sizes = sizes
        self.jobs = jobs
        self.repeats = max(1, repeats)
        self.steps = steps
        self.directory = directory
    }

    /// Postings of the workload that give about `contacts` contacts.
    public static func postings(forContacts contacts: Int) throws -> Int {
        let perPosting = try ExperimentRunner(loaded: config(postings: 1), configPath: nil).expectedContacts
        return max(1, Int((Double(contacts) / perPosting).rounded()))
    }

    static func config(postings: Int) throws -> LoadedConfig {
        guard let override = Override("arms.decoy.postings=\(postings)") else { throw BenchmarkError(message: "bad posting count \(postings)") }
        return try ConfigLoader.load(text: workloadText, file: "benchmarks/workload.yaml", overrides: [override])
    }

    /// Runs every step at every size, calling `report` before each measurement and with each result.
    public func run(report: (String) -> Void = { _ in }, result: (Result) -> Void = { _ in }) throws {
        for size in sizes {
            let postings = try Self.postings(forContacts: size)
            let loaded = try Self.config(postings: postings)
            for (index, jobCount) in jobs.enumerated() {
                let runner = ExperimentRunner(loaded: loaded, configPath: nil, jobs: jobCount)
                var measured: [Step: [Measurement]] = [:]
                for repeatIndex in 1...repeats {
                    let label = "\(size) contacts, \(jobCount) job\(jobCount == 1 ? "" : "s"), repeat \(repeatIndex)/\(repeats)"
                    if steps.contains(.simulate) {
                        report("simulate: \(label)")
                        measured[.simulate, default: []].append(try Self.measure { try runner.simulateOnly().contacts })
                    }
                    // Steps that need a stored run; the readers are timed once per size and repeat.
                    let readers = index == 0 ? steps.filter { [.curvesMCFRate, .curvesTTFC, .export].contains($0) } : []
                    guard steps.contains(.run) || !readers.isEmpty else { continue }
                    let path = (directory as NSString).appendingPathComponent("bench-\(ProcessInfo.processInfo.processIdentifier).sqlite")
                    Self.remove(database: path)
                    defer { Self.remove(database: path) }
                    report("run: \(label)")
                    let database = try Database(path: path, create: true)
                    let stored = try Self.measure { try runner.run(into: database).contacts }
                    if steps.contains(.run) { measured[.run, default: []].append(stored) }
                    let run = try database.run("last")
                    for step in readers {
                        report("\(step.rawValue): \(label)")
                        switch step {
                        case .curvesMCFRate:
                            measured[step, default: []].append(try Self.measure {
                                _ = try CurveBuilder.curves(of: try StoredRun(run, in: database), request: CurveRequest(metrics: [.mcf, .rate]))
                                return run.contacts
                            })
                        case .curvesTTFC:
                            measured[step, default: []].append(try Self.measure {
                                _ = try CurveBuilder.curves(of: try StoredRun(run, in: database), request: CurveRequest(metrics: [.ttfc]))
                                return run.contacts
                            })
                        case .export:
                            let csv = (directory as NSString).appendingPathComponent("bench-\(ProcessInfo.processInfo.processIdentifier).csv")
                            defer { try? FileManager.default.removeItem(atPath: csv) }
                            measured[step, default: []].append(try Self.measure {
                                let sink = try OutputSink(path: csv)
                                try Exporter.writeEvents(of: run, in: database, to: sink)
                                try sink.close()
                                return run.contacts
                            })
                        case .simulate, .run:
                            break
                        }
                    }
                }
                for step in steps {
                    guard let values = measured[step], !values.isEmpty else { continue }
                    result(Result(
                        step: step, contacts: values[0].contacts, postings: postings, jobs: jobCount,
                        seconds: Self.median(values.map(\.seconds)), peakBytes: values.compactMap(\.peakBytes).max()))
                }
            }
        }
    }

    struct Measurement {
        var contacts: Int
        var seconds: Double
        var peakBytes: Int?
    }

    /// Times `body`, with the process's peak resident memory reset before it (Linux).
    static func measure(_ body: () throws -> Int) throws -> Measurement {
        let resettable = PeakMemory.reset()
        let clock = ContinuousClock.now
        let contacts = try body()
        let elapsed = ContinuousClock.now - clock
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Measurement(contacts: contacts, seconds: seconds, peakBytes: resettable ? PeakMemory.current() : nil)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func remove(database path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// The process's peak resident memory, resettable on Linux through `/proc/self/clear_refs`.
enum PeakMemory {
    /// Resets the peak to the current resident size; `false` where that is not possible.
    static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return current() != nil
    }

    /// `VmHWM` of `/proc/self/status`, in bytes.
    static func current() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}

/// Why a benchmark cannot run as asked.
public struct BenchmarkError: DecoyFailure {
    public var exitStatus: ExitStatus { .usage }
    public var message: String
    public var description: String { message }
}

extension Benchmark.Result {
    /// The columns of `decoy bench`.
    public static let columns = ["step", "contacts", "postings", "jobs", "seconds", "contacts_per_second", "peak_mib"]

    /// The result's values in ``columns`` order.
    public var values: [Value] {
        [.text(step.rawValue), .int(contacts), .int(postings), .int(jobs), .shown(String(format: "%.6f", seconds), as: .number((seconds * 1e6).rounded() / 1e6)),
         .integer(Int64(contactsPerSecond.rounded())), peakBytes.map { bytes in
            let mib = Double(bytes) / 1_048_576
            return .shown(String(format: "%.1f", mib), as: .number((mib * 10).rounded() / 10))
         } ?? .missing]
    }

    /// `decoy bench`'s table of results.
    public static func presentation(_ results: [Benchmark.Result]) -> Presentation {
        Presentation(shape: .rows, tables: [Table(
            key: "results",
            columns: columns.enumerated().map { Column($0.element, rightAligned: $0.offset > 0) },
            rows: results.map(\.values))])
    }
}
