import Foundation
import Orchestra
import Testing

/// What every ``CheckpointStore`` Orchestra ships must do, run against each of them.
@Suite("CheckpointStore conformance")
struct CheckpointStoreTests {
    @Test(
        "a saved checkpoint loads back with every field, and its values decode as their types",
        arguments: StoreKind.allCases)
    func roundTrip(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let runID = RunID()
            let checkpoint = try makeCheckpoint(runID, status: .failed, step: 3, recordedSteps: 3)
            try await store.save(checkpoint, appending: makeSteps(1...3))

            let stored = try #require(try await store.load(runID))
            try expectSame(stored.checkpoint, checkpoint)
            #expect(try stored.checkpoint.value?.decoded(as: StoredDraft.self, location: "input") == draft(at: 3))
            #expect(stored.checkpoint.memory.first?.type == "Swift.Array<Swift.String>")
            #expect(
                try stored.checkpoint.memory.first?.value.decoded(as: [String].self, location: "notes") == ["note 3"])
            #expect(stored.checkpoint.error?.message == "boom")
            #expect(stored.steps == makeSteps(1...3))
            let record = stored.record
            #expect(record.runID == runID)
            #expect(record.status == .failed)
            #expect(record.statesVisited == ["State1", "State2", "State3"])
        }
    }

    @Test("steps appended over several saves form the record, in order", arguments: StoreKind.allCases)
    func stepsAccumulate(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let runID = RunID()
            let saves: [(status: RunRecord.Status, step: Int, steps: ClosedRange<Int>?)] = [
                (.running, 1, nil), (.running, 3, 1...2), (.suspended, 3, nil), (.running, 6, 3...5),
                (.completed, 7, 6...7),
            ]
            var recorded = 0
            for save in saves {
                recorded = save.steps?.upperBound ?? recorded
                let checkpoint = try makeCheckpoint(
                    runID, status: save.status, step: save.step, recordedSteps: recorded)
                try await store.save(checkpoint, appending: save.steps.map(makeSteps) ?? [])

                let stored = try #require(try await store.load(runID))
                #expect(stored.checkpoint.step == save.step)
                #expect(stored.checkpoint.status == save.status)
                #expect(stored.steps == (recorded == 0 ? [] : makeSteps(1...recorded)))
            }
            let stored = try #require(try await store.load(runID))
            #expect(stored.steps.map(\.step) == Array(1...7))
            #expect(stored.checkpoint.state == nil)
            #expect(try stored.checkpoint.value?.decoded(as: StoredDraft.self, location: "output") == draft(at: 7))
        }
    }

    @Test("runs() lists every run with its latest status, oldest first", arguments: StoreKind.allCases)
    func listsRuns(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.runs().isEmpty)
            let statuses: [RunRecord.Status] = [.running, .suspended, .completed, .failed, .cancelled]
            var expected: [(RunID, RunRecord.Status)] = []
            for (index, status) in statuses.enumerated() {
                let runID = RunID()
                let startedAt = Date(timeIntervalSinceReferenceDate: 1_000 + Double(index))
                try await store.save(
                    makeCheckpoint(runID, step: 1, recordedSteps: 0, startedAt: startedAt), appending: [])
                try await store.save(
                    makeCheckpoint(runID, status: status, step: 2, recordedSteps: 1, startedAt: startedAt),
                    appending: makeSteps(1...1))
                expected.append((runID, status))
            }

            let runs = try await store.runs()
            #expect(runs.map(\.runID) == expected.map(\.0))
            #expect(runs.map(\.status) == statuses)
            #expect(runs.map(\.step) == Array(repeating: 2, count: statuses.count))
            for (runID, status) in expected {
                #expect(try await store.load(runID)?.record.status == status)
            }
        }
    }

    @Test("a deleted run is gone, and its ID starts afresh when saved again", arguments: StoreKind.allCases)
    func delete(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let kept = RunID()
            let deleted = RunID()
            try await store.save(makeCheckpoint(kept, step: 2, recordedSteps: 2), appending: makeSteps(1...2))
            try await store.save(makeCheckpoint(deleted, step: 3, recordedSteps: 3), appending: makeSteps(1...3))

            try await store.delete(deleted)
            #expect(try await store.load(deleted) == nil)
            #expect(try await store.runs().map(\.runID) == [kept])
            #expect(try await store.load(kept)?.steps == makeSteps(1...2))

            try await store.delete(deleted)
            try await store.delete(RunID())
            #expect(try await store.runs().map(\.runID) == [kept])

            try await store.save(makeCheckpoint(deleted, step: 2, recordedSteps: 1), appending: makeSteps(1...1))
            let again = try #require(try await store.load(deleted))
            #expect(again.steps == makeSteps(1...1))
            #expect(again.checkpoint.step == 2)
        }
    }

    @Test("a run the store does not have loads as nil", arguments: StoreKind.allCases)
    func missingRun(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            #expect(try await store.load(RunID()) == nil)
            let runID = RunID()
            try await store.save(makeCheckpoint(runID, step: 1, recordedSteps: 0), appending: [])
            #expect(try await store.load(RunID()) == nil)
            #expect(try await store.load(runID)?.checkpoint.runID == runID)
        }
    }

    @Test("48 runs saved concurrently, several times each, all load back", arguments: StoreKind.allCases)
    func concurrentRuns(_ kind: StoreKind) async throws {
        try await kind.withStore { store in
            let runIDs = (0..<48).map { _ in RunID() }
            try await withThrowingTaskGroup { group in
                for (index, runID) in runIDs.enumerated() {
                    group.addTask {
                        let startedAt = Date(timeIntervalSinceReferenceDate: Double(index))
                        try await store.save(
                            makeCheckpoint(runID, step: 1, recordedSteps: 0, startedAt: startedAt), appending: [])
                        for save in 1...4 {
                            let checkpoint = try makeCheckpoint(
                                runID, status: save == 4 ? .completed : .running, step: save + 1,
                                recordedSteps: 2 * save, startedAt: startedAt)
                            try await store.save(checkpoint, appending: makeSteps((2 * save - 1)...(2 * save)))
                        }
                    }
                }
                try await group.waitForAll()
            }

            for runID in runIDs {
                let stored = try #require(try await store.load(runID))
                #expect(stored.checkpoint.status == .completed)
                #expect(stored.checkpoint.step == 5)
                #expect(stored.steps == makeSteps(1...8))
                #expect(try stored.checkpoint.value?.decoded(as: StoredDraft.self, location: "output") == draft(at: 5))
            }
            let listed = try await store.runs().map(\.runID)
            #expect(listed.count == runIDs.count)
            #expect(Set(listed) == Set(runIDs))
        }
    }
}
