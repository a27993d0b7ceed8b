import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

@testable import approval

/// The approval example's parts, in this process: the machine, the command line, and what a command prints.
@Suite("Approval, in process")
struct ApprovalCommandTests {
    @Test("the machine validates with its store: every value it saves is Codable")
    func validates() {
        let machine = ApprovalMachine(model: OfflineWriter.make(), store: InMemoryCheckpointStore())
        #expect(machine.orchestration.validate().map(\.description) == [])
    }

    @Test("a revision sends the writer the notes and the current draft; approving publishes the revision")
    func reviseThenApprove() async throws {
        let model = OfflineWriter.make()
        let machine = ApprovalMachine(model: model, store: InMemoryCheckpointStore())
        let waiting = try #require(try await machine.orchestration.start(.topic("tides")).outcome.suspension)
        let first = try #require(machine.approve.prompt(in: waiting))
        #expect(first.revision == 1)
        #expect(first.notes == [])

        let revised = try await machine.orchestration.resume(
            waiting.runID, answering: machine.approve, with: .revise(notes: "add the moon"))
        let second = try #require(revised.suspension.flatMap(machine.approve.prompt(in:)))
        #expect(second.revision == 2)
        #expect(second.notes == ["add the moon"])
        #expect(second.text.hasPrefix(first.text + "\n\n## Add the moon\n"))
        let asked = try #require(model.requests.last?.messages.last?.content)
        #expect(asked.hasPrefix("Topic: tides\nReviewer's notes: add the moon\n"))
        #expect(asked.hasSuffix("Current draft:\n\(first.text)"))

        let done = try await machine.orchestration.resume(waiting.runID, answering: machine.approve, with: .approve)
        #expect(done.output == ApprovalMachine.published(second))
        #expect(
            done.output?.hasSuffix("\n\n---\nApproved: revision 2 of the report on \"tides\", after 1 revision.")
                == true)
        #expect(model.requests.count == 2)
    }

    @Test("show says where a failed run stands, and does not run it again")
    func showFailedRun() async throws {
        let store = FileManager.default.temporaryDirectory.appending(path: "approval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: store) }
        let model = ScriptedModel([.failure(Unreachable())])
        let start = await command(["start", "tides", "--store", store.path], model: model)
        #expect(start.status == 1)
        let line = try #require(start.errors.split(separator: "\n").first)
        #expect(line.hasPrefix("approval: run "))
        #expect(line.contains(" failed: state failed: state 'Draft' threw at step 1: "))
        #expect(line.hasSuffix("the model is unreachable"))
        let id = try #require(line.split(separator: " ").dropFirst(2).first.map(String.init))

        let show = await command(["show", id, "--store", store.path], model: model)
        #expect(show.status == 0)
        #expect(
            show.output.contains("\nRun \(id) is failed at state 'Draft' (step 1): state 'Draft' threw at step 1: "))
        #expect(
            show.output.hasSuffix(
                "It does not wait for approval; 'approval resume \(id)' continues it from its last checkpoint.\n"))
        #expect(model.requests.count == 1)

        let list = await command(["list", "--store", store.path], model: model)
        #expect(list.output.hasSuffix("\n\(id)  failed  Draft  1     -\n"))

        // The model is back: resume writes the draft it could not, and the run waits for approval.
        let writer = OfflineWriter.make()
        let resumed = await command(["resume", id, "--store", store.path], model: writer)
        #expect(resumed.status == 0)
        #expect(resumed.output.contains("Resuming run \(id) from its last checkpoint…\n"))
        #expect(resumed.output.contains("Run \(id) waits for approval (state 'Approve', step 2)."))
        #expect(writer.requests.count == 1)
        let waiting = await command(["list", "--store", store.path], model: writer)
        #expect(waiting.output.hasSuffix("\n\(id)  suspended  Approve  2     revision 1 of \"tides\"\n"))
    }

    @Test("the command line: a command, its words, and --store anywhere; everything else is refused")
    func parsing() throws {
        let id = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
        let runID = RunID(try #require(UUID(uuidString: id)))
        #expect(try ApprovalOptions.parse(["start", "remote", "work"]) == .init(command: .start(topic: "remote work")))
        #expect(
            try ApprovalOptions.parse(["revise", id, "more\nmoon", "--store=runs"])
                == .init(command: .revise(runID, notes: "more moon"), store: "runs"))
        #expect(try ApprovalOptions.parse(["--store", "/r", "show", id]) == .init(command: .show(runID), store: "/r"))
        #expect(try ApprovalOptions.parse(["resume", id]) == .init(command: .resume(runID)))
        #expect(try ApprovalOptions.parse(["start", "--", "-5 tips"]) == .init(command: .start(topic: "-5 tips")))
        #expect(try ApprovalOptions.parse(["approve", id, "--bogus", "-h"]) == .init(command: .help))

        let refused: [([String], String)] = [
            ([], "no command given"),
            (["publish", id], "unknown command 'publish'"),
            (["start", " "], "start needs a TOPIC"),
            (["show"], "show needs a RUN-ID"),
            (["approve", id, "now"], "approve takes one RUN-ID; 'now' is extra"),
            (["resume"], "resume needs a RUN-ID"),
            (["revise", id], "revise needs NOTES"),
            (["list", "all"], "list takes no arguments, not 'all'"),
            (["list", "--store"], "--store needs a directory"),
            (["list", "--verbose"], "unknown option '--verbose'"),
        ]
        for (arguments, message) in refused {
            #expect(throws: ApprovalOptions.UsageError(description: message), "\(arguments)") {
                try ApprovalOptions.parse(arguments)
            }
        }
    }

    @Test("a --store printed in the next commands is quoted for the shell when it must be")
    func quoting() {
        #expect(ApprovalCommand.quoted("/tmp/runs-1") == "/tmp/runs-1")
        #expect(ApprovalCommand.quoted("my runs") == "'my runs'")
        #expect(ApprovalCommand.quoted("it's") == #"'it'\''s'"#)
        #expect(ApprovalCommand.quoted("~x") == "'~x'")
    }

    /// Runs the command in this process, collecting what it prints.
    private func command(_ arguments: [String], model: ScriptedModel) async -> (
        status: Int32, output: String, errors: String
    ) {
        let (output, errors) = (Printed(), Printed())
        let status = await ApprovalCommand.run(
            arguments, in: FileManager.default.temporaryDirectory, model: model, output: .init(write: output.append),
            errors: .init(write: errors.append))
        return (status, output.text, errors.text)
    }
}

/// What the failing model throws.
private struct Unreachable: Error, CustomStringConvertible {
    var description: String { "the model is unreachable" }
}

/// Text a command printed, in order.
private final class Printed: Sendable {
    private let printed = Mutex("")
    func append(_ text: String) { printed.withLock { $0 += text } }
    var text: String { printed.withLock { $0 } }
}
