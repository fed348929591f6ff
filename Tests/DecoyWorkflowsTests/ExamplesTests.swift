import DecoyModel
import DecoyTestSupport
import DecoyWorkflows
import Foundation
import Testing

/// The example experiment built into the binary is the package's file, not a copy of it.
@Suite struct ExamplesTests {
    @Test func theQuickstartIsTheFileInExperimentsByteForByte() throws {
        let file = try Data(contentsOf: TestCLI.repository.appendingPathComponent(Examples.quickstartFile))
        #expect(Array(Examples.quickstartText.utf8) == Array(file))
    }

    @Test func theQuickstartLoads() throws {
        let loaded = try ConfigLoader.load(text: Examples.quickstartText, file: Examples.quickstartFile)
        #expect(loaded.config.arms.map(\.name) == ["adult", "control"])
    }
}
