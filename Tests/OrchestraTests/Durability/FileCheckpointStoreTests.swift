import Foundation
import Orchestra
import Synchronization
import Testing

/// The files a ``FileCheckpointStore`` writes, the order it writes them in, and the directory it works in.
@Suite("FileCheckpointStore")
struct FileCheckpointStoreTests {
    @Test("a run is a checkpoint file with the log's length and a log of one format-1 line per step")
    func fileFormat() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)

            let object = try files.checkpointJSON()
            #expect(object["format"] as? Int == 1)
            #expect(object["stepsBytes"] as? Int == (try files.logSize()))
            let checkpoint = try #require(object["checkpoint"] as? [String: Any])
            #expect(checkpoint["runID"] as? String == runID.description)
            #expect(checkpoint["recordedSteps"] as? Int == 2)

            let lines = try files.logLines()
            #expect(lines.count == 2)
            #expect(
                lines.first
                    == #"{"format":1,"step":{"duration":0.125,"next":"State2","start":0.25,"state":"State1","step":1,"#
                    + #""tokens":{"completionTokens":1,"promptTokens":10}}}"#)
            for (index, line) in lines.enumerated() {
                let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(record["format"] as? Int == 1)
                #expect((record["step"] as? [String: Any])?["step"] as? Int == index + 1)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: CheckpointFiles.path(directory))
            #expect(names.sorted() == ["\(runID).checkpoint.json", "\(runID).steps.jsonl"])
        }
    }

    @Test("the fault hook sees every phase in order, with the previous checkpoint on disk until the rename")
    func faultHookPhases() async throws {
        try await withTemporaryDirectory { directory in
            let runID = RunID()
            let files = CheckpointFiles(runID, in: directory)
            struct Observation: Equatable {
                var phase: FileCheckpointStore.WritePhase
                /// What the checkpoint on disk counts, or nil when there is none.
                var recordedSteps: Int?
                var temporaryExists: Bool
            }
            let observations = Mutex<[Observation]>([])
            let store = try FileCheckpointStore(directory: directory) { phase in
                let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: files.checkpoint))
                let checkpoint = (object as? [String: Any])?["checkpoint"] as? [String: Any]
                let observation = Observation(
                    phase: phase, recordedSteps: checkpoint?["recordedSteps"] as? Int,
                    temporaryExists: FileManager.default.fileExists(atPath: CheckpointFiles.path(files.temporary)))
                observations.withLock { $0.append(observation) }
            }

            try await store.save(makeCheckpoint(runID, step: 1, recordedSteps: 0), appending: [])
            #expect(
                observations.withLock { $0 } == [
                    Observation(phase: .tempHalfWritten, recordedSteps: nil, temporaryExists: true),
                    Observation(phase: .tempWritten, recordedSteps: nil, temporaryExists: true),
                    Observation(phase: .renamed, recordedSteps: 0, temporaryExists: false),
                ])

            observations.withLock { $0 = [] }
            try await store.save(makeCheckpoint(runID, step: 3, recordedSteps: 2), appending: makeSteps(1...2))
            #expect(
                observations.withLock { $0 } == [
                    Observation(phase: .logAppended, recordedSteps: 0, temporaryExists: false),
                    Observation(phase: .tempHalfWritten, recordedSteps: 0, temporaryExists: true),
                    Observation(phase: .tempWritten, recordedSteps: 0, temporaryExists: true),
                    Observation(phase: .renamed, recordedSteps: 2, temporaryExists: false),
                ])
            #expect(try await store.load(runID)?.steps == makeSteps(1...2))
        }
    }

    @Test("a new store on the same directory, as in a new process, loads the runs and continues appending")
    func newProcess() async throws {
        try await withTemporaryDirectory { directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: FileCheckpointStore(directory: directory))

            // Saves without loading first: the log's length comes from the checkpoint file.
            let second = try FileCheckpointStore(directory: directory)
            try await second.save(makeCheckpoint(runID, step: 5, recordedSteps: 4), appending: makeSteps(3...4))

            let third = try FileCheckpointStore(directory: directory)
            let stored = try #require(try await third.load(runID))
            #expect(stored.checkpoint.step == 5)
            #expect(stored.steps == makeSteps(1...4))
            try await third.save(
                makeCheckpoint(runID, status: .completed, step: 6, recordedSteps: 5), appending: makeSteps(5...5))

            let fourth = try FileCheckpointStore(directory: directory)
            let final = try #require(try await fourth.load(runID))
            #expect(final.checkpoint.status == .completed)
            #expect(final.steps == makeSteps(1...5))
            #expect(try await fourth.runs().map(\.runID) == [runID])
        }
    }

    @Test("a run that another store continued is continued here once loaded again, as resuming does")
    func runMovesBack() async throws {
        try await withTemporaryDirectory { directory in
            let runID = RunID()
            let first = try FileCheckpointStore(directory: directory)
            try await saveTwoSteps(runID, in: first)

            let second = try FileCheckpointStore(directory: directory)
            #expect(try await second.load(runID)?.steps.count == 2)
            try await second.save(makeCheckpoint(runID, step: 5, recordedSteps: 4), appending: makeSteps(3...4))

            #expect(try await first.load(runID)?.steps == makeSteps(1...4))
            try await first.save(makeCheckpoint(runID, step: 6, recordedSteps: 5), appending: makeSteps(5...5))
            #expect(try await second.load(runID)?.steps == makeSteps(1...5))
        }
    }

    @Test("init creates missing directories, parents included")
    func createsDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let nested = directory.appending(path: "a/b/runs", directoryHint: .isDirectory)
            let store = try FileCheckpointStore(directory: nested)
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: CheckpointFiles.path(nested), isDirectory: &isDirectory))
            #expect(isDirectory.boolValue)
            #expect(store.directory == nested)
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            #expect(try await store.load(runID)?.steps.count == 2)
        }
    }

    @Test("init on a regular file, or below one, is an input/output error naming the path")
    func initOnFile() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appending(path: "runs")
            try Data("not a directory".utf8).write(to: file)

            let error = await expectCheckpointError(.io, runID: nil, at: file) {
                _ = try FileCheckpointStore(directory: file)
            }
            #expect(error?.message.contains("Not a directory") == true, "\(String(describing: error))")

            let below = file.appending(path: "sub")
            await expectCheckpointError(.io, runID: nil, at: below) {
                _ = try FileCheckpointStore(directory: below)
            }
        }
    }

    @Test("runs() sorts by start time then run ID, and ignores files the store did not write")
    func runsOrderAndStrayFiles() async throws {
        try await withFileStore { store, directory in
            let early = Date(timeIntervalSinceReferenceDate: 100)
            let late = Date(timeIntervalSinceReferenceDate: 200)
            let runs = (0..<4).map { _ in RunID() }
            let started = [late, early, late, early]
            for (runID, startedAt) in zip(runs, started).reversed() {
                try await store.save(
                    makeCheckpoint(runID, step: 1, recordedSteps: 0, startedAt: startedAt), appending: [])
            }
            let stray = [
                "notes.txt", "README.checkpoint.json", ".hidden.checkpoint.json", "\(RunID()).steps.jsonl",
                "\(RunID().description.lowercased()).checkpoint.json", ".\(RunID()).checkpoint.tmp",
            ]
            for name in stray { try Data("{ not a record".utf8).write(to: directory.appending(path: name)) }

            let expected = zip(runs, started).sorted { ($0.1, $0.0.description) < ($1.1, $1.0.description) }.map(\.0)
            #expect(try await store.runs().map(\.runID) == expected)
        }
    }

    @Test("one damaged checkpoint fails runs(), naming it; readableRuns() lists the others and names the damaged one")
    func damagedRunDoesNotHideTheOthers() async throws {
        try await withFileStore { store, directory in
            let runs = (0..<3).map { _ in RunID() }
            for runID in runs {
                try await store.save(makeCheckpoint(runID, step: 1, recordedSteps: 0), appending: [])
            }
            let damaged = directory.appending(path: "\(runs[1]).checkpoint.json")
            try Data("{ not a record".utf8).write(to: damaged)

            do {
                _ = try await store.runs()
                Issue.record("runs() listed a store with a damaged checkpoint")
            } catch let error as CheckpointError {
                #expect(error.code == .corrupt)
                #expect(error.location.hasSuffix("\(runs[1]).checkpoint.json"))
            }
            let (readable, unreadable) = try await store.readableRuns()
            #expect(Set(readable.map(\.runID)) == [runs[0], runs[2]])
            #expect(unreadable.count == 1)
            #expect(unreadable.first?.code == .corrupt)
            #expect(unreadable.first?.runID == runs[1])
        }
    }

    @Test("delete removes the run's files, a leftover temporary file included, and only those")
    func deleteRemovesFiles() async throws {
        try await withFileStore { store, directory in
            let deleted = RunID()
            let kept = RunID()
            try await saveTwoSteps(deleted, in: store)
            try await saveTwoSteps(kept, in: store)
            let files = CheckpointFiles(deleted, in: directory)
            try Data("{\"format\":1,".utf8).write(to: files.temporary)

            try await store.delete(deleted)
            let names = try FileManager.default.contentsOfDirectory(atPath: CheckpointFiles.path(directory))
            #expect(names.sorted() == ["\(kept).checkpoint.json", "\(kept).steps.jsonl"])
            #expect(try await store.load(deleted) == nil)
            #expect(try await store.load(kept)?.steps == makeSteps(1...2))
        }
    }

    @Test("a save whose step count does not follow from the previous one is refused, and writes nothing")
    func inconsistentCount() async throws {
        try await withFileStore { store, directory in
            let runID = RunID()
            try await saveTwoSteps(runID, in: store)
            let files = CheckpointFiles(runID, in: directory)
            let before = try Data(contentsOf: files.checkpoint)

            await expectCheckpointError(.corrupt, runID: runID, at: files.checkpoint) {
                try await store.save(makeCheckpoint(runID, step: 4, recordedSteps: 4), appending: makeSteps(3...3))
            }
            #expect(try Data(contentsOf: files.checkpoint) == before)
            #expect(try await store.load(runID)?.steps == makeSteps(1...2))
        }
    }
}
