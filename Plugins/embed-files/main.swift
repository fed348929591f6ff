// Writes a Swift source file whose `EmbeddedFiles` enum holds the text of files of the package as
// string literals, byte for byte; the EmbedFiles build plugin runs it.
//
//     embed-files PACKAGE_FOLDER OUTPUT.swift NAME=PATH...
//
// PATH is relative to PACKAGE_FOLDER; NAME is the constant. A file that is not UTF-8 stops the build.
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("embed-files: \(message)\n".utf8))
    exit(1)
}

/// `text` as the body of a Swift string literal: printable ASCII as is, every other scalar escaped,
/// so the literal's scalars are the file's scalars whatever the compiler does with source text.
func literal(_ text: String) -> String {
    var body = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": body += "\\\\"
        case "\"": body += "\\\""
        case "\n": body += "\\n"
        case "\r": body += "\\r"
        case "\t": body += "\\t"
        case " "..."~": body.unicodeScalars.append(scalar)
        default: body += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
        }
    }
    return body
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3 else { fail("usage: embed-files PACKAGE_FOLDER OUTPUT.swift NAME=PATH...") }
let root = URL(fileURLWithPath: arguments[0], isDirectory: true)
var source = """
    // Generated at build time from the files named below by the EmbedFiles plugin
    // (Plugins/EmbedFiles); edit the files, not this.

    /// Files of the package built into this module, each the file's text byte for byte.
    enum EmbeddedFiles {

    """
for argument in arguments.dropFirst(2) {
    guard let equals = argument.firstIndex(of: "="), !argument[..<equals].isEmpty else { fail("expected NAME=PATH, found \(argument)") }
    let name = String(argument[..<equals]), path = String(argument[argument.index(after: equals)...])
    guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), name.first?.isLetter == true else {
        fail("\(name) is not a plain Swift identifier")
    }
    let bytes: Data
    do { bytes = try Data(contentsOf: root.appendingPathComponent(path)) } catch { fail("cannot read \(path): \(error)") }
    let text = String(decoding: bytes, as: UTF8.self)
    guard Array(text.utf8) == Array(bytes) else { fail("\(path) is not UTF-8 text") }
    source += """
            /// `\(path)`.
            static let \(name) = "\(literal(text))"

        """
}
source += "}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: arguments[1]), options: .atomic)
} catch {
    fail("cannot write \(arguments[1]): \(error)")
}
