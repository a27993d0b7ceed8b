import Foundation
import OrchestraAgents

/// `approval start|show|approve|revise|list`: a report that waits for a person's approval, one process per step.
///
/// Each command is a process of its own: it builds the machine, opens the store, does one thing with one run, and
/// ends. Only the store carries a run from one command to the next.
struct ApprovalCommand {
    /// Why a command stopped: the line to print, and the exit status.
    struct Failure: Error {
        var message: String
        var status: Int32 = 1
    }

    /// The store, in the directory `--store` names.
    let store: FileCheckpointStore
    /// `--store` as given, repeated in the commands printed for the next step; `nil` for the default.
    let storeArgument: String?
    /// The machine, on the store.
    let machine: ApprovalMachine
    /// Where the command's results go.
    let output: ConsoleMonitor.Output

    /// Everything the command does, with its outputs passed in so that tests can read them.
    ///
    /// - Parameters:
    ///   - arguments: The command line, without the program's name.
    ///   - directory: The directory a relative `--store`, and the default store, are under.
    ///   - model: The model that drafts; the offline one unless a test gives another.
    ///   - output: Where results go.
    ///   - errors: Where a failure's line, or a bad command line's usage, goes.
    /// - Returns: The exit status: 0 when the command did what it says, 1 when a run or the store failed, 64 for a
    ///   bad command line.
    static func run(
        _ arguments: [String], in directory: URL, model: any ChatModel = OfflineWriter.make(),
        output: ConsoleMonitor.Output, errors: ConsoleMonitor.Output
    ) async -> Int32 {
        let options: ApprovalOptions
        do {
            options = try ApprovalOptions.parse(arguments)
        } catch {
            errors.write("approval: \(error)\n\n\(ApprovalOptions.usage)\n\nRun 'approval --help' for more.\n")
            return 64
        }
        if options.command == .help {
            output.write(ApprovalOptions.help + "\n")
            return 0
        }
        do throws(Failure) {
            try await ApprovalCommand(options, in: directory, model: model, output: output).perform(options.command)
            return 0
        } catch {
            // One line, whatever the messages underneath hold.
            errors.write("approval: \(error.message.split(whereSeparator: \.isNewline).joined(separator: " "))\n")
            return error.status
        }
    }

    /// Opens the store and builds the machine on it; prints where the store is.
    private init(
        _ options: ApprovalOptions, in directory: URL, model: any ChatModel, output: ConsoleMonitor.Output
    ) throws(Failure) {
        let path = options.store ?? ApprovalOptions.defaultStore
        let url =
            path.hasPrefix("/")
            ? URL(filePath: path, directoryHint: .isDirectory)
            : directory.appending(path: path, directoryHint: .isDirectory)
        do {
            store = try FileCheckpointStore(directory: url.standardizedFileURL)
        } catch {
            throw Failure(message: "cannot open the store: \(error)")
        }
        storeArgument = options.store
        machine = ApprovalMachine(model: model, store: store)
        self.output = output
        output.write("Store: \(storePath)\n")
    }

    /// Does what the command says, with the store open.
    private func perform(_ command: ApprovalOptions.Command) async throws(Failure) {
        switch command {
        case .help: output.write(ApprovalOptions.help + "\n")
        case .start(let topic): try await start(topic)
        case .show(let runID): try await show(runID)
        case .approve(let runID): try await approve(runID)
        case .revise(let runID, let notes): try await revise(runID, notes: notes)
        case .resume(let runID): try await resume(runID)
        case .list: try await list()
        }
    }

    /// The store's directory, for people.
    var storePath: String {
        let path = store.directory.path(percentEncoded: false)
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
