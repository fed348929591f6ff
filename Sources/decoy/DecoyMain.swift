import ArgumentParser
import DecoyWorkflows
import DecoyModel
import DecoyStore
import Foundation

/// Entry point: parses the command line, runs the command, and turns every failure into an
/// `error:` line on standard error and the exit status the failure carries (``DecoyFailure``);
/// malformed flags and arguments exit 64 with their message, values redacted.
@main
enum DecoyMain {
    static func main() {
        var command: any ParsableCommand
        do {
            try refuseNegativeRunID(Array(CommandLine.arguments.dropFirst()))
        } catch {
            fail(error)
        }
        do {
            command = try Decoy.parseAsRoot()
        } catch {
            exitForArgumentError(error)
        }
        do {
            try command.run()
        } catch let failure as any DecoyFailure {
            fail(failure)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as ValidationError {
            // A flag's value refused in `run()`.
            exitForArgumentError(error)
        } catch {
            // `--help` after a subcommand parses as the help command, whose run throws the request.
            if Decoy.exitCode(for: error) == .success { exitForArgumentError(error) }
            fail(error)
        }
    }

    /// Prints a failure's message after `error:` and exits with its status (1 for an error that
    /// carries none).
    static func fail(_ error: any Error) -> Never {
        Console.error(TypedValue.scrubbed(SettingFlags.message(of: error), typed: Array(CommandLine.arguments.dropFirst())))
        Foundation.exit((error as? any DecoyFailure)?.exitStatus.rawValue ?? ExitStatus.failure.rawValue)
    }

    /// Help and version (exit 0), or a usage error with its redacted message (exit 64).
    static func exitForArgumentError(_ error: any Error) -> Never {
        let code = Decoy.exitCode(for: error)
        if code == .success {
            print(Decoy.fullMessage(for: error))
            Foundation.exit(0)
        }
        Console.error(TypedValue.scrubbed(Decoy.redacted(Decoy.message(for: error)), typed: Array(CommandLine.arguments.dropFirst())))
        FileHandle.standardError.write(Data("\(Decoy.usageString(for: error))\n".utf8))
        Foundation.exit(code.rawValue)
    }
}

/// ArgumentParser reads `-1` after a command as a flag and reports a missing argument; a run id
/// that looks like a negative number gets the real answer instead: there is no such run.
func refuseNegativeRunID(_ arguments: [String]) throws {
    let takingRun: Set<String> = ["rerun", "show", "curves", "compare", "fit", "population", "export", "record", "end", "resume", "delete"]
    guard arguments.count >= 2, takingRun.contains(arguments[0]),
          arguments[1].range(of: "^-[0-9]+$", options: .regularExpression) != nil else { return }
    throw CLIError(message: "no run of the id given (\(TypedValue.described(arguments[1]))): run ids are whole numbers from 1, or `last` (`decoy runs` lists them)")
}

struct Decoy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decoy",
        abstract: "Simulate, record and analyse decoy-ad response experiments.",
        version: decoyVersion,
        subcommands: [Quickstart.self, Validate.self, Run.self, Rerun.self, Sweep.self, Runs.self, Show.self, Curves.self, Compare.self, Regress.self, Power.self, Report.self, MergeCommand.self, Coverage.self, Fit.self, Population.self, Export.self, Import.self, Record.self, End.self, Resume.self, Delete.self, Bench.self])
}

extension Decoy {
    /// A parse error with every quoted value replaced by its length: an argument or option value
    /// may be a contact identifier typed in the wrong place, so only option names, value names
    /// (`'--channel <channel>'`) and the command's own words are repeated.
    static func redacted(_ message: String) -> String {
        // The choices a flag accepts are the command's own words.
        if let choices = message.range(of: "Please provide one of") {
            return redacted(String(message[..<choices.lowerBound])) + message[choices.lowerBound...]
        }
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
            let name = #"^(-{1,2}[A-Za-z][A-Za-z0-9-]*)?( ?<[A-Za-z][A-Za-z0-9:=-]*>)?$"#
            if !quoted.isEmpty, quoted.range(of: name, options: .regularExpression) != nil {
                result += "'\(quoted)'"
            } else {
                result += "(\(TypedValue.described(String(quoted))), not repeated here)"
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func usageString(for error: any Error) -> String {
        "usage: see `decoy --help` or `decoy <command> --help`"
    }
}

/// A command's refusal: its message and exit status.
struct CLIError: DecoyFailure {
    var message: String
    var exitStatus: ExitStatus = .failure
    var description: String { message }
}

enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Writes text to standard output through the same buffer as `print`, so that the two keep
    /// their order, and flushes it (long commands show each result as it comes).
    static func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}
