import Foundation
import PackagePlugin

/// Builds files of the package into a module as string constants (`EmbeddedFiles.<name>`), so the
/// binary carries them and needs nothing beside it, while the files themselves stay the one source.
///
/// The files are read where they are (`experiments/`, `benchmarks/`) by `embed-files`, and listed
/// as the command's inputs, so editing one rebuilds the module.
@main
struct EmbedFiles: BuildToolPlugin {
    /// A file of the package and the constant that holds its text.
    struct File: Sendable {
        /// The name of the `EmbeddedFiles` constant.
        var name: String
        /// The file's path from the package's folder.
        var path: String
    }

    /// The files each module carries, by module.
    static let files: [String: [File]] = [
        "DecoyWorkflows": [File(name: "quickstart", path: "experiments/quickstart.yaml")],
        "DecoyBenchmark": [File(name: "workload", path: "benchmarks/workload.yaml")],
    ]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let files = Self.files[target.name] else {
            throw Failure(description: "EmbedFiles lists no files for the target \(target.name); add them to EmbedFiles.files")
        }
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding \(files.map(\.path).joined(separator: ", ")) in \(target.name)",
            executable: try context.tool(named: "embed-files").url,
            arguments: [root.path, output.path] + files.map { "\($0.name)=\($0.path)" },
            inputFiles: files.map { root.appendingPathComponent($0.path) },
            outputFiles: [output])]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }
}
