import ArgumentParser
import DecoyKit
import DecoyModel
import DecoyStore
import Foundation

/// Entry point: parses the command line, runs the command, and turns every failure into an
/// `error:` line on standard error with a non-zero exit status.
@main
enum DecoyMain {
    static func main() {
        do {
            var command = try Decoy.parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as ConfigError {
            Console.error(error.description)
            Foundation.exit(2)
        } catch let error as CLIError {
            Console.error(error.message)
            Foundation.exit(error.code)
        } catch let error as StoreError {
            Console.error(error.description)
            Foundation.exit(1)
        } catch let error as RunInterrupted {
            Console.error(error.description)
            Foundation.exit(130)
        } catch let error as SweepInterrupted {
            Console.error(error.description)
            Foundation.exit(130)
        } catch let error as OutputError {
            Console.error(error.description)
            Foundation.exit(1)
        } catch {
            let code = Decoy.exitCode(for: error)
            if code == .success {
                print(Decoy.fullMessage(for: error))
                Foundation.exit(0)
            }
            if error is ValidationError || "\(type(of: error))".contains("CommandError") || code == .validationFailure {
                Console.error(Decoy.redacted(Decoy.message(for: error)))
                FileHandle.standardError.write(Data("\(Decoy.usageString(for: error))\n".utf8))
                Foundation.exit(code.rawValue)
            }
            Console.error("\(error)")
            Foundation.exit(1)
        }
    }
}

struct Decoy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decoy",
        abstract: "Simulate, record and analyse decoy-ad response experiments.",
        version: decoyVersion,
        subcommands: [Quickstart.self, Validate.self, Run.self, Rerun.self, Sweep.self, Runs.self, Show.self, Curves.self, Compare.self, Fit.self, Population.self, Export.self, Import.self, Record.self, End.self, Resume.self, Delete.self, Bench.self])
}

extension Decoy {
    /// A parse error with every quoted value replaced by its length: an argument or option value
    /// may be a contact identifier typed in the wrong place, so only option names, value names
    /// (`'--channel <channel>'`) and the command's own words are repeated.
    static func redacted(_ message: String) -> String {
        var result = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "'") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "'") else {
                result += rest[open...]
                return result
            }
            let quoted = rest[afterOpen..<close]
            let name = #"^(-{1,2}[A-Za-z][A-Za-z0-9-]*)?( ?<[A-Za-z][A-Za-z0-9-]*>)?$"#
            if !quoted.isEmpty, quoted.range(of: name, options: .regularExpression) != nil {
                result += "'\(quoted)'"
            } else {
                result += "(a value of \(quoted.count) characters, not repeated here)"
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func usageString(for error: any Error) -> String {
        "usage: see `decoy --help` or `decoy <command> --help`"
    }
}

/// A command failure with its message and exit status.
struct CLIError: Error {
    var message: String
    var code: Int32 = 1
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
