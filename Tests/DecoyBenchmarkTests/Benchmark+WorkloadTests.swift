import DecoyTestSupport
import Foundation
import Testing
@testable import DecoyBenchmark

extension BenchmarkTests {
    /// The workload built into the binary is `benchmarks/workload.yaml` itself, not a copy of it.
    @Test func theWorkloadIsTheFileInBenchmarksByteForByte() throws {
        let file = try Data(contentsOf: TestCLI.repository.appendingPathComponent("benchmarks/workload.yaml"))
        #expect(Array(Benchmark.workloadText.utf8) == Array(file))
    }
}
