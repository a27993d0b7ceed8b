import Foundation
import Orchestra
import Testing

/// What a ``FileCheckpointStore`` does with files that a crash, a newer Orchestra or a person left: torn saves are
/// recovered, everything else is an error that names the file.
@Suite("FileCheckpointStore recovery")
struct FileCheckpointStoreRecoveryTests {
    /// Ways a checkpoint file can be damaged.
    enum Damage: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case garbage, truncated, wrongFieldType, stringFormat, missingFormat, empty, notAnObject

        var testDescription: String { rawValue }

        func apply(to files: CheckpointFiles) throws {
            switch self {
            case .garbage: try Data([0xFF, 0xFE, 0x00, 0x7B, 0x13, 0x37]).write(to: files.checkpoint)
            case .truncated:
                let data = try Data(contentsOf: files.checkpoint)
                try data.prefix(data.count / 2).write(to: files.checkpoint)
            case .wrongFieldType:
                try files.editCheckpoint { object in
                    var checkpoint = object["checkpoint"] as? [String: Any] ?? [:]
                    checkpoint["step"] = "three"
                    object["checkpoint"] = checkpoint
                }
            case .stringFormat: try files.editCheckpoint { $0["format"] = "1" }
            case .missingFormat: try files.editCheckpoint { $0["format"] = nil }
            case .empty: try Data().write(to: files.checkpoint)
            case .notAnObject: try Data("[1, 2, 3]".utf8).write(to: files.checkpoint)
            }
        }
    }

    @Test("a damaged checkpoint file is corrupt, naming the file, for load and runs()", arguments: Damage.allCases)
    func damagedCheckpoint(_ damage: Damage) async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            try damage.apply(to: files)

            await expectCheckpointError(.corrupt, runID: runID, at: files.checkpoint) {
                _ = try await store.load(runID)
            }
            await expectCheckpointError(.corrupt, runID: runID, at: files.checkpoint) {
                _ = try await FileCheckpointStore(directory: directory).load(runID)
            }
            await expectCheckpointError(.corrupt, runID: runID, at: files.checkpoint) {
                _ = try await store.runs()
            }
            // A new process cannot tell how long the log is, so it refuses to save rather than guess.
            await expectCheckpointError(.corrupt, runID: runID, at: files.checkpoint) {
                try await FileCheckpointStore(directory: directory).save(
                    makeCheckpoint(runID, step: 4, recordedSteps: 3), appending: makeSteps(3...3))
            }
        }
    }

    @Test("a checkpoint of a newer format is unsupported, whatever else the file holds")
    func futureCheckpoint() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            try files.editCheckpoint { object in
                object["format"] = 2
                object["checkpoint"] = ["somethingNew": true]
                object["stepsBytes"] = nil
            }

            let error = await expectCheckpointError(.unsupportedFormat, runID: runID, at: files.checkpoint) {
                _ = try await store.load(runID)
            }
            #expect(error?.message.contains("written by a newer Orchestra (format 2)") == true)
            #expect(error?.message.contains("reads format 1 and below") == true)
            await expectCheckpointError(.unsupportedFormat, runID: runID, at: files.checkpoint) {
                _ = try await store.runs()
            }
        }
    }

    @Test("a log line of a newer format is unsupported, naming the log and the line")
    func futureLogLine() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            let lines = try files.logLines()
            try files.replaceLog(with: [lines[0], #"{"format":2,"step":"a step as a newer Orchestra writes it"}"#])

            let error = await expectCheckpointError(.unsupportedFormat, runID: runID, at: files.log) {
                _ = try await store.load(runID)
            }
            #expect(error?.message.contains("line 2") == true, "\(String(describing: error))")
            #expect(error?.message.contains("format 2") == true, "\(String(describing: error))")
        }
    }

    @Test(
        "a log line that is not a step record is corrupt, naming the log and the line",
        arguments: [#"{"format":1,"step":{"step":"two"}}"#, "not JSON", #"{"step":{}}"#, ""])
    func badLogLine(_ line: String) async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            try files.replaceLog(with: [try files.logLines()[0], line])

            let error = await expectCheckpointError(.corrupt, runID: runID, at: files.log) {
                _ = try await store.load(runID)
            }
            #expect(error?.message.contains("line 2") == true, "\(String(describing: error))")
        }
    }

    @Test("a log with fewer steps than the checkpoint counts is corrupt")
    func missingSteps() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            try files.replaceLog(with: [try files.logLines()[0]])

            let error = await expectCheckpointError(.corrupt, runID: runID, at: files.log) {
                _ = try await store.load(runID)
            }
            #expect(error?.message.contains("1 steps") == true, "\(String(describing: error))")
        }
    }

    @Test("a log shorter than the checkpoint's stepsBytes, or missing, is corrupt, naming the log")
    func shortLog() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            let log = try Data(contentsOf: files.log)
            try log.dropLast(5).write(to: files.log)

            await expectCheckpointError(.corrupt, runID: runID, at: files.log) { _ = try await store.load(runID) }
            await expectCheckpointError(.corrupt, runID: runID, at: files.log) {
                try await FileCheckpointStore(directory: directory).save(
                    makeCheckpoint(runID, step: 4, recordedSteps: 3), appending: makeSteps(3...3))
            }
            #expect(try files.logSize() == log.count - 5)

            try FileManager.default.removeItem(at: files.log)
            await expectCheckpointError(.corrupt, runID: runID, at: files.log) { _ = try await store.load(runID) }
            await expectCheckpointError(.corrupt, runID: runID, at: files.log) {
                try await FileCheckpointStore(directory: directory).save(
                    makeCheckpoint(runID, step: 4, recordedSteps: 3), appending: makeSteps(3...3))
            }
            #expect(!FileManager.default.fileExists(atPath: CheckpointFiles.path(files.log)))
        }
    }

    @Test("a checkpoint file under another run's name is corrupt")
    func runIDMismatch() async throws {
        try await withFileStore { store, directory in
            let original = RunID()
            let other = RunID()
            try await saveTwoSteps(original, in: store)
            let from = CheckpointFiles(original, in: directory)
            let to = CheckpointFiles(other, in: directory)
            try FileManager.default.copyItem(at: from.checkpoint, to: to.checkpoint)
            try FileManager.default.copyItem(at: from.log, to: to.log)

            let error = await expectCheckpointError(.corrupt, runID: other, at: to.checkpoint) {
                _ = try await store.load(other)
            }
            #expect(error?.message.contains(original.description) == true, "\(String(describing: error))")
            #expect(try await store.load(original)?.steps == makeSteps(1...2))
        }
    }

    @Test(
        "a torn save leaves the previous checkpoint and steps, and the next save cuts off its bytes",
        arguments: [false, true])
    func tornSave(reopen: Bool) async throws {
        try await withTemporaryDirectory { directory in
            var store = try FileCheckpointStore(directory: directory)
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            let committed = try files.logSize()

            // A save killed after appending a whole line and half of another, while writing the temporary file.
            let next = try files.logLines()[1].replacingOccurrences(of: #""step":2"#, with: #""step":3"#)
            try files.appendToLog(next + "\n" + next.prefix(next.count / 2))
            let temporary = try Data(contentsOf: files.checkpoint)
            try temporary.prefix(temporary.count / 2).write(to: files.temporary)
            if reopen { store = try FileCheckpointStore(directory: directory) }

            let stored = try #require(try await store.load(runID))
            #expect(stored.checkpoint.step == 3)
            #expect(stored.checkpoint.recordedSteps == 2)
            #expect(stored.steps == makeSteps(1...2))
            #expect(try await store.runs().map(\.runID) == [runID])

            try await store.save(makeCheckpoint(runID, step: 4, recordedSteps: 3), appending: makeSteps(3...3))
            let lines = try files.logLines()
            #expect(lines.count == 3)
            #expect(try files.logSize() == (try files.checkpointJSON())["stepsBytes"] as? Int)
            #expect(try files.logSize() > committed)
            #expect(!FileManager.default.fileExists(atPath: CheckpointFiles.path(files.temporary)))
            let after = try #require(try await FileCheckpointStore(directory: directory).load(runID))
            #expect(after.checkpoint.step == 4)
            #expect(after.steps == makeSteps(1...3))
        }
    }
}
