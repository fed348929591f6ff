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
            try refuseNegativeRunID(Array(CommandLine.arguments.dropFirst()))
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
        } catch let error as OutputInterrupted {
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
                Console.error(Decoy.message(for: error))
                FileHandle.standardError.write(Data("\(Decoy.usageString(for: error))\n".utf8))
                Foundation.exit(code.rawValue)
            }
            Console.error("\(error)")
            Foundation.exit(1)
        }
    }
}

/// ArgumentParser reads `-1` after a command as a flag and reports a missing argument; a run id
/// that looks like a negative number gets the real answer instead: there is no such run.
func refuseNegativeRunID(_ arguments: [String]) throws {
    let takingRun: Set<String> = ["rerun", "show", "curves", "compare", "fit", "population", "export", "record", "end", "resume", "delete"]
    guard arguments.count >= 2, takingRun.contains(arguments[0]),
          arguments[1].range(of: "^-[0-9]+$", options: .regularExpression) != nil else { return }
    throw CLIError(message: "no run `\(arguments[1])`: run ids are whole numbers from 1, or `last` (`decoy runs` lists them)")
}

struct Decoy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decoy",
        abstract: "Simulate, record and analyse decoy-ad response experiments.",
        version: decoyVersion,
        subcommands: [Quickstart.self, Validate.self, Run.self, Rerun.self, Sweep.self, Runs.self, Show.self, Curves.self, Compare.self, Fit.self, Population.self, Export.self, Import.self, Record.self, End.self, Resume.self, Delete.self, Bench.self])
}

extension Decoy {
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
