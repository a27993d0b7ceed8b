import Foundation
import OrchestraAgents

/// The command line of `approval`, parsed and checked.
struct ApprovalOptions: Equatable {
    /// What to do.
    enum Command: Equatable {
        /// Print the help.
        case help
        /// Start a run on the topic: draft, then wait for approval.
        case start(topic: String)
        /// Print what a run waits for, or what it published.
        case show(RunID)
        /// Approve a waiting run's draft, which publishes it.
        case approve(RunID)
        /// Ask for a revision of a waiting run's draft.
        case revise(RunID, notes: String)
        /// Continue a run that stopped while drafting, from its last checkpoint.
        case resume(RunID)
        /// List the runs in the store.
        case list
    }

    /// What to do.
    var command: Command
    /// The store's directory as given with `--store`; `nil` for ``defaultStore``.
    var store: String?

    /// The store's directory when none is given, under the current directory.
    static let defaultStore = ".orchestra/approval"

    /// A command line that cannot run, and why.
    struct UsageError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// What a bad command line prints after its error.
    static let usage = """
        USAGE: approval start TOPIC [--store DIR]
               approval show RUN-ID [--store DIR]
               approval approve RUN-ID [--store DIR]
               approval revise RUN-ID NOTES [--store DIR]
               approval resume RUN-ID [--store DIR]
               approval list [--store DIR]
               approval --help
        """

    /// What `--help` prints.
    static let help = """
        \(usage)

        A report that waits for a person's approval. 'start' has a model draft a short report on TOPIC, then the
        run suspends: its checkpoint, with the draft, is saved in the store, and the process ends. Later — in
        another process — 'approve' publishes the draft, or 'revise' has the model write a new revision that
        follows the NOTES and waits again. The model is a scripted one: offline and deterministic.

        COMMANDS:
          start TOPIC           Draft a report on TOPIC and wait for approval; prints the draft and the run's id.
          show RUN-ID           Print what the run waits for (the draft), or the report it published. Runs nothing.
          approve RUN-ID        Approve the draft: the run continues and publishes it.
          revise RUN-ID NOTES   Ask for a revision that follows NOTES: the run drafts again and waits again.
          resume RUN-ID         Continue a run that stopped while drafting (killed, or the model failed) from its
                                last checkpoint: the draft is written again, then the run waits for approval.
          list                  Every run in the store, with its status, state and step.

        TOPIC and NOTES are the rest of the words, so the quotes are optional.

        OPTIONS:
          --store DIR           The checkpoint store's directory (default: \(defaultStore), under the current
                                directory); created when missing.
          -h, --help            Show this help.

        EXIT STATUS: 0 when the command did what it says, 1 when a run or the store failed, 64 for a bad command
        line.
        """

    /// Parses `arguments` (without the program's name).
    static func parse(_ arguments: [String]) throws(UsageError) -> Self {
        // Help comes first, whatever else is wrong: it is how to find out what is.
        let beforeSeparator = arguments.prefix { $0 != "--" }
        if beforeSeparator.contains(where: { $0 == "-h" || $0 == "--help" }) || beforeSeparator.first == "help" {
            return Self(command: .help)
        }
        var words: [String] = []
        var store: String?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--" {
                words += remaining
                break
            }
            if argument == "--store" || argument.hasPrefix("--store=") {
                let value = argument == "--store" ? remaining.popFirst() : String(argument.dropFirst("--store=".count))
                guard let value, !value.isEmpty, !value.hasPrefix("--") else {
                    throw UsageError(description: "--store needs a directory")
                }
                store = value
            } else if argument.hasPrefix("-"), argument != "-" {
                throw UsageError(description: "unknown option '\(argument)'")
            } else {
                words.append(argument)
            }
        }
        guard let name = words.first else { throw UsageError(description: "no command given") }
        let rest = words.dropFirst()
        let command: Command
        switch name {
        case "start": command = .start(topic: try text(rest, "start needs a TOPIC"))
        case "show": command = .show(try runID(rest, for: name))
        case "approve": command = .approve(try runID(rest, for: name))
        case "resume": command = .resume(try runID(rest, for: name))
        case "revise":
            command = .revise(
                try runID(rest.prefix(1), for: name), notes: try text(rest.dropFirst(), "revise needs NOTES"))
        case "list":
            if let extra = rest.first { throw UsageError(description: "list takes no arguments, not '\(extra)'") }
            command = .list
        default: throw UsageError(description: "unknown command '\(name)'")
        }
        return Self(command: command, store: store)
    }

    /// The words joined into one line, refused when nothing is left.
    private static func text(_ words: ArraySlice<String>, _ missing: String) throws(UsageError) -> String {
        let text = words.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !text.isEmpty else { throw UsageError(description: missing) }
        return text
    }

    /// The single word, a run's id.
    private static func runID(_ words: ArraySlice<String>, for command: String) throws(UsageError) -> RunID {
        guard let word = words.first else { throw UsageError(description: "\(command) needs a RUN-ID") }
        guard words.count == 1 else {
            throw UsageError(
                description: "\(command) takes one RUN-ID; '\(words.dropFirst().joined(separator: " "))' is extra")
        }
        guard let uuid = UUID(uuidString: word) else {
            throw UsageError(
                description: "'\(word)' is not a run id: ids are UUIDs, as 'start' and 'list' print them")
        }
        return RunID(uuid)
    }
}
