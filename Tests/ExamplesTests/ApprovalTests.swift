import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

@testable import approval

/// The approval example as a user runs it: every command a process of its own, sharing only the store.
@Suite("Approval, across processes")
struct ApprovalProcessTests {
    @Test("start, show, revise and approve, each in its own process: the store carries the run from one to the next")
    func startReviseApprove() async throws {
        let store = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: store) }
        let path = store.path

        let (started, startOutput, startErrors) = try await runExample("approval", ["start", "tides", "--store", path])
        #expect(started == 0, "stderr: \(startErrors)")
        #expect(startOutput.hasPrefix("Store: \(path)\nDrafting a report on \"tides\"…\n"))
        let id = try #require(printedRunID(in: startOutput))
        let first = try #require(draft(in: startOutput, revision: 1))
        #expect(first.hasPrefix("# Tides: a short report\n\nThis report sets out what is known about tides,"))
        #expect(startOutput.contains("Run \(id) waits for approval (state 'Approve', step 2).\n"))
        #expect(startOutput.contains("\n  swift run approval approve --store \(path) \(id)\n"))
        #expect(startOutput.contains("\n  swift run approval revise --store \(path) \(id) \"what to change\"\n"))

        // show reads the run back and runs nothing: the store's files are the same bytes afterwards.
        let files = try storeFiles(store)
        let (shown, showOutput, _) = try await runExample("approval", ["show", id, "--store", path])
        #expect(shown == 0)
        #expect(draft(in: showOutput, revision: 1) == first)
        #expect(showOutput.contains("Run \(id) waits for approval (state 'Approve', step 2).\n"))
        #expect(try storeFiles(store) == files)

        let (revised, reviseOutput, reviseErrors) = try await runExample(
            "approval", ["revise", id, "add a section on the moon", "--store", path])
        #expect(revised == 0, "stderr: \(reviseErrors)")
        let second = try #require(draft(in: reviseOutput, revision: 2))
        #expect(second.hasPrefix(first + "\n\n## Add a section on the moon\n"))
        #expect(second.contains("As the review asked (\"add a section on the moon\")"))
        #expect(reviseOutput.contains("Run \(id) waits for approval (state 'Approve', step 4).\n"))

        let (approved, approveOutput, approveErrors) = try await runExample(
            "approval", ["approve", id, "--store", path])
        #expect(approved == 0, "stderr: \(approveErrors)")
        #expect(
            approveOutput == """
                Store: \(path)

                Approved. Run \(id) is completed; it published:

                \(second)

                ---
                Approved: revision 2 of the report on "tides", after 1 revision.

                """)

        let (listed, listOutput, _) = try await runExample("approval", ["list", "--store", path])
        #expect(listed == 0)
        #expect(
            listOutput == """
                Store: \(path)
                RUN                                   STATUS     STATE  STEP  REPORT
                \(id)  completed  -      5     published: Tides: a short report

                """)

        let (again, againOutput, againErrors) = try await runExample("approval", ["approve", id, "--store", path])
        #expect(again == 1)
        #expect(againOutput == "Store: \(path)\n")
        #expect(
            againErrors
                == "approval: not awaiting input: run \(id) is not waiting for an answer at 'Approve': it is completed\n"
        )

        // Each state ran once per visit, across the four processes that ran states.
        let runID = try #require(RunID(uuidString: id))
        let stored = try #require(try await FileCheckpointStore(directory: store).load(runID))
        #expect(stored.steps.map(\.state) == ["Draft", "Approve", "Draft", "Approve", "Publish"])
    }

    @Test("with no --store, the store is .orchestra/approval under the current directory")
    func defaultStore() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appending(path: ".orchestra/approval").path

        let (started, startOutput, _) = try await runExample("approval", ["start", "remote", "work"], in: directory)
        #expect(started == 0)
        #expect(startOutput.hasPrefix("Store: \(store)\nDrafting a report on \"remote work\"…\n"))
        let id = try #require(printedRunID(in: startOutput))
        #expect(startOutput.contains("\n  swift run approval approve \(id)\n"))
        #expect(FileManager.default.fileExists(atPath: "\(store)/\(id).checkpoint.json"))

        let (listed, listOutput, _) = try await runExample("approval", ["list"], in: directory)
        #expect(listed == 0)
        #expect(listOutput.hasSuffix("\n\(id)  suspended  Approve  2     revision 1 of \"remote work\"\n"))
    }

    @Test("an unknown run and a corrupt checkpoint are one line on stderr naming the problem, and exit status 1")
    func typedErrors() async throws {
        let store = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: store) }
        let path = store.path

        let unknown = "00000000-0000-4000-8000-000000000000"
        let (missing, _, missingErrors) = try await runExample("approval", ["approve", unknown, "--store", path])
        #expect(missing == 1)
        #expect(
            missingErrors
                == "approval: run not found: the store \(path) holds no run \(unknown); 'approval list' shows the runs "
                + "it holds\n")

        let (started, startOutput, _) = try await runExample("approval", ["start", "tides", "--store", path])
        #expect(started == 0)
        let id = try #require(printedRunID(in: startOutput))
        let file = "\(path)/\(id).checkpoint.json"
        try Data("garbage\n".utf8).write(to: URL(filePath: file))
        let unreadable =
            "approval: checkpoint failed: run \(id) cannot be read: corrupt: \(file): the checkpoint is not a record "
            + "of a file checkpoint store: it is not JSON, or it has no integer 'format'; restore the file from a "
            + "backup, or delete the run\n"
        for command in ["approve", "show"] {
            let (status, _, errors) = try await runExample("approval", [command, id, "--store", path])
            #expect(status == 1, "\(command)")
            #expect(errors == unreadable, "\(command)")
        }
        let (listed, _, listErrors) = try await runExample("approval", ["list", "--store", path])
        #expect(listed == 1)
        #expect(listErrors.hasPrefix("approval: cannot list the runs: corrupt: \(file): "))
        #expect(listErrors.filter { $0 == "\n" }.count == 1)
    }

    @Test("a bad command line prints the usage on stderr and exits with 64; --help prints it all on stdout")
    func commandLine() async throws {
        for arguments in [[], ["approve", "not-a-run"], ["publish"]] {
            let (status, output, errors) = try await runExample("approval", arguments)
            #expect(status == 64, "\(arguments)")
            #expect(output.isEmpty, "\(arguments)")
            #expect(errors.contains("\n\nUSAGE: approval start TOPIC [--store DIR]\n"), "\(arguments)")
        }
        let (_, _, errors) = try await runExample("approval", ["approve", "not-a-run"])
        #expect(
            errors.hasPrefix("approval: 'not-a-run' is not a run id: ids are UUIDs, as 'start' and 'list' print them\n")
        )

        let (status, output, _) = try await runExample("approval", ["--help"])
        #expect(status == 0)
        #expect(output.hasPrefix("USAGE: approval start TOPIC [--store DIR]\n"))
        #expect(output.contains("EXIT STATUS: 0 when the command did what it says"))
    }
}

/// The run id in a command's output: `Run <id> waits for approval`.
private func printedRunID(in output: String) -> String? {
    guard
        let line = output.split(separator: "\n").first(where: {
            $0.hasSuffix(").") && $0.contains(" waits for approval ")
        })
    else { return nil }
    return line.split(separator: " ").dropFirst().first.map(String.init)
}

/// The draft a command printed, between its markers.
private func draft(in output: String, revision: Int) -> String? {
    guard let start = output.range(of: "--- Draft, revision \(revision) ---\n"),
        let end = output.range(of: "\n--- end of draft ---\n", range: start.upperBound..<output.endIndex)
    else { return nil }
    return String(output[start.upperBound..<end.lowerBound])
}

/// Every file of a store's directory, by name.
private func storeFiles(_ directory: URL) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
        files[name] = try Data(contentsOf: directory.appending(path: name))
    }
    return files
}

/// A new, empty directory of the test's own.
private func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appending(path: "approval-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.resolvingSymlinksInPath()
}

extension RunID {
    fileprivate init?(uuidString: String) {
        guard let uuid = UUID(uuidString: uuidString) else { return nil }
        self.init(uuid)
    }
}
