import ArgumentParser
import DecoyOutput
import DecoyWorkflows
import DecoyModel
import DecoyStore
import Foundation

/// `--key-file` and `--no-contacts`: how contact identifiers are pseudonymised.
struct PseudonymOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File holding the pseudonym key (default: $DECOY_PSEUDONYM_KEY).", valueName: "path"))
    var keyFile: String?

    func pseudonymizer() throws -> Pseudonymizer? {
        try Pseudonymizer.fromEnvironment(keyFile: keyFile)
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a field replication's observed postings and contacts as a run (all or nothing).",
        discussion: """
            postings CSV: arm,posting,posted_at[,ended_at]; events CSV: posting,at,channel[,contact]. \
            Times are ISO-8601 with offsets. Contact identifiers are replaced by keyed HMAC-SHA-256 \
            pseudonyms before anything is stored. Every bad row is reported with its line and nothing \
            is stored; rows already stored are not stored twice. A run keeps the key of its first \
            pseudonyms (or that identifiers were dropped) and refuses another key or choice.
            """)

    @Argument(help: "The experiment config (arms may omit `response`).")
    var config: String

    @Option(help: "The postings CSV.")
    var postings: String

    @Option(help: "The events CSV.")
    var events: String

    @Option(name: .customLong("run"), help: ArgumentHelp("Add to this observed run (default: the experiment's newest observed run, else a new one).", valueName: "run"))
    var targetRun: String?

    @OptionGroup var key: PseudonymOptions

    @Flag(help: "Drop contact identifiers instead of pseudonymising them.")
    var noContacts = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let cancellation = Interruption.shared.install()
        let outcome = try FieldData.importFiles(configPath: config, postingsPath: postings, eventsPath: events, databasePath: database.path,
                                                runReference: targetRun, pseudonymizer: noContacts ? nil : try key.pseudonymizer(), dropContacts: noContacts,
                                                cancellation: cancellation)
        output.emit(outcome.presentation(action: "imported into"), fallback: .table)
    }
}

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Append one observed contact to an observed run.")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The posting's name.")
    var posting: String

    @Option(help: "The channel (call, sms, …).")
    var channel: String

    @Option(help: "The contact identifier (pseudonymised with the key; never stored).")
    var contact: String?

    @Option(help: "When, ISO-8601 with offset (default: now).")
    var at: String?

    @OptionGroup var key: PseudonymOptions
    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let instant = try parseInstant(at)
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let outcome = try FieldData.record(database: db, run: record, posting: posting, channel: channel.trimmingCharacters(in: .whitespaces),
                                           contact: contact, at: instant, pseudonymizer: contact == nil ? nil : try key.pseudonymizer())
        output.emit(outcome.presentation(action: "recorded in"), fallback: .table)
    }
}

struct End: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Close a posting's observation window (the ad was taken down).")

    @Argument(help: ArgumentHelp("Run id, or `last`.", valueName: "run"))
    var runReference: String

    @Option(help: "The posting's name.")
    var posting: String

    @Option(help: "When, ISO-8601 with offset (default: now).")
    var at: String?

    @OptionGroup var database: DatabaseOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let instant = try parseInstant(at)
        let db = try database.openExisting()
        let record = try db.run(runReference)
        let outcome = try FieldData.end(database: db, run: record, posting: posting, at: instant)
        var presentation = outcome.presentation(action: "ended in")
        presentation.notes = ["posting \(posting) of run \(outcome.runID) ended at \(instant.localText)"]
        output.emit(presentation, fallback: .table)
    }
}

func parseInstant(_ text: String?) throws -> Timestamp {
    guard let text else { return Timestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1e6).rounded())) }
    switch Timestamp.parse(text) {
    case let .success(instant): return instant
    case let .failure(problem): throw ValidationError("--at: \(problem)")
    }
}
