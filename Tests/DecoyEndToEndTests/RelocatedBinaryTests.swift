import DecoyTestSupport
import Foundation
import Testing

/// The built binary copied on its own to another folder, as a user installs it: it carries the
/// example experiment and the benchmark workload, and needs nothing from the build folder.
@Suite struct RelocatedBinaryTests {
    /// SwiftPM's resource bundles are `<package>_<target>.resources` folders found beside the binary
    /// or at their absolute path in the build folder; a binary that names one needs it at run time.
    @Test func theBinaryNamesNoResourceBundle() throws {
        let bytes = try Data(contentsOf: TestCLI.binary)
        let suffix = Data(".resources".utf8)
        var bundles: Set<String> = []
        var searched = bytes.startIndex..<bytes.endIndex
        while let found = bytes.range(of: suffix, in: searched) {
            // The name before the suffix, back to the first byte that cannot be in a bundle's name.
            var start = found.lowerBound
            while start > bytes.startIndex, Self.isNameByte(bytes[start - 1]) { start -= 1 }
            let name = String(decoding: bytes[start..<found.lowerBound], as: UTF8.self)
            if name.contains("_") { bundles.insert(name + ".resources") }
            searched = found.upperBound..<bytes.endIndex
        }
        #expect(bundles.isEmpty, "the binary looks for resource bundles: \(bundles.sorted())")
    }

    /// `quickstart`, `validate` and `bench` run from an empty folder by a copy of the binary, with
    /// the folder it was built in covered by an empty file system (a mount namespace of its own).
    @Test(.enabled(if: Self.canHideFolders, "needs `unshare -rm` (user and mount namespaces) to hide the build folder"))
    func aCopyRunsWithTheBuildFolderOutOfReach() throws {
        let cli = try TestCLI()
        let home = cli.folder.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let binary = cli.folder.appendingPathComponent("decoy")
        try FileManager.default.copyItem(at: TestCLI.binary, to: binary)
        try cli.write("c.yaml", try String(contentsOfFile: cli.quickstartPath, encoding: .utf8))
        let buildFolder = TestCLI.binary.resolvingSymlinksInPath().deletingLastPathComponent()

        for arguments in [["quickstart", "--quiet"], ["validate", "c.yaml"], ["bench", "--contacts", "2k", "--jobs", "1", "--repeats", "1", "--dir", ".", "--quiet"]] {
            let result = try TestProcess.run(
                ["unshare", "-rm", "sh", "-c", "mount -t tmpfs none \"$1\" && cd \"$2\" && shift 2 && exec ./decoy \"$@\"", "sh",
                 buildFolder.path, cli.folder.path] + arguments,
                environment: ["HOME": home.path])
            #expect(result.status == 0, "\(arguments[0]): exit \(result.status): \(result.stderr.suffix(400))")
        }
        #expect(cli.exists("decoy.sqlite") && cli.exists("decoy-report.html"))
    }

    static let canHideFolders: Bool = {
        guard let result = try? TestProcess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt"], timeout: 30) else { return false }
        return result.status == 0
    }()

    /// A letter, digit, `_` or `-`: what a package's or target's name is made of.
    static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
    }
}
