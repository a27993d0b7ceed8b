import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Checkpoints and resume")
struct ResumeTests {
    @Test("A completed run saved a checkpoint per state; resuming it returns the output without running anything")
    func completedRunResumesToItsOutput() async throws {
        let chain = Chain(length: 4)
        let store = JSONCheckpointStore()
        let orchestration = chain.orchestration(store)
        let handle = orchestration.start(0)
        #expect(try await handle.value == 10)
        // One before the first state, one after each of the three that lead on, one at completion.
        #expect(store.saveCount == 5)

        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .completed)
        #expect(stored.checkpoint.state == nil)
        #expect(try stored.checkpoint.value?.decoded(as: Int.self, location: "test") == 10)
        #expect(stored.steps.map(\.state) == ["s1", "s2", "s3", "s4"])
        #expect(stored.steps.map(\.state) == (await handle.record).steps.map(\.state))

        let again = try await orchestration.resume(handle.id)
        #expect(again.output == 10)
        #expect(chain.log.all == ["s1", "s2", "s3", "s4"])
    }

    @Test("A failed run resumes at the state that failed, with its memory; earlier states do not run again")
    func failedRunResumesAtTheFailedState() async throws {
        let chain = Chain(length: 5)
        chain.failing.withLock { $0 = ["s3"] }
        let store = JSONCheckpointStore()
        let orchestration = chain.orchestration(store)
        let handle = orchestration.start(0)
        let error = await #expect(throws: OrchestrationError.self) { try await handle.value }
        #expect(error?.code == .stateFailed)

        let failed = try #require(try await store.load(handle.id))
        #expect(failed.checkpoint.status == .failed)
        #expect(failed.checkpoint.state == "s3")
        #expect(failed.checkpoint.step == 3)
        #expect(failed.checkpoint.error?.code == "state failed")
        #expect(try failed.checkpoint.value?.decoded(as: Int.self, location: "test") == 3)
        #expect(failed.checkpoint.memory.map(\.name) == ["visits"])
        #expect(failed.steps.map(\.state) == ["s1", "s2", "s3"])
        #expect(failed.steps.last?.failed == true)

        chain.failing.withLock { $0 = [] }
        let recorder = EventRecorder()
        _ = recorder.attach(to: orchestration)
        let outcome = try await orchestration.resume(handle.id)
        #expect(outcome.output == 15)
        #expect(chain.log.all == ["s1", "s2", "s3", "s3", "s4", "s5"])

        let done = try #require(try await store.load(handle.id))
        #expect(done.checkpoint.status == .completed)
        #expect(done.steps.map(\.state) == ["s1", "s2", "s3", "s3", "s4", "s5"])
        #expect(done.steps.map(\.step) == [1, 2, 3, 3, 4, 5])
        await orchestration.waitForHooks()
        #expect(recorder.events.map(\.kind.name).first == "runResumed")
        #expect(recorder.events.map(\.kind.name).last == "runCompleted")
        #expect(recorder.events.last?.record?.steps.map(\.state) == ["s1", "s2", "s3", "s3", "s4", "s5"])
    }

    @Test("Memory saved as JSON is read back, typed, by the resumed run")
    func memoryIsRestoredFromJSON() async throws {
        let chain = Chain(length: 4)
        chain.failing.withLock { $0 = ["s4"] }
        let store = JSONCheckpointStore()
        let orchestration = chain.orchestration(store)
        let handle = orchestration.start(0)
        #expect((await handle.record).status == .failed)
        chain.failing.withLock { $0 = [] }

        let reader = Runnable<Int, [String]>("Read") { _, context in context.memory[Chain.visits] ?? ["none"] }
        chain.states[3].advance(to: reader)
        let extended = Orchestration(start: chain.states[0], exit: reader, options: .init(checkpoints: store))
        let outcome = try await extended.resume(handle.id)
        #expect(outcome.output == ["s1", "s2", "s3", "s4"])
    }

    @Test("Resuming a run the store does not hold, or without a store, is a typed error")
    func unknownRunsAreRefused() async throws {
        let chain = Chain(length: 2)
        let missing = await #expect(throws: OrchestrationError.self) {
            try await chain.orchestration(InMemoryCheckpointStore()).resume(RunID())
        }
        #expect(missing?.code == .runNotFound)

        let storeless = Orchestration(start: chain.states[0], exit: chain.states[1])
        let refused = await #expect(throws: OrchestrationError.self) { try await storeless.resume(RunID()) }
        #expect(refused?.code == .notResumable)
        #expect(refused?.message.contains("no checkpoint store") == true)
    }

    @Test("A checkpoint that names a state the machine lacks is refused, naming it")
    func renamedStateIsRefused() async throws {
        let chain = Chain(length: 3)
        chain.failing.withLock { $0 = ["s2"] }
        let store = InMemoryCheckpointStore()
        let handle = chain.orchestration(store).start(0)
        _ = await handle.result
        chain.states[1].name = "renamed"
        let error = await #expect(throws: OrchestrationError.self) {
            try await chain.orchestration(store).resume(handle.id)
        }
        #expect(error?.code == .notResumable)
        #expect(error?.message.contains("'s2'") == true)
    }

    @Test("A checkpoint whose start is no date a run began at is refused as corrupt, not trapped on")
    func absurdStartIsRefused() async throws {
        let chain = Chain(length: 3)
        chain.failing.withLock { $0 = ["s2"] }
        let store = InMemoryCheckpointStore()
        let handle = chain.orchestration(store).start(0)
        _ = await handle.result
        var checkpoint = try #require(try await store.load(handle.id)).checkpoint
        checkpoint.startedAt = Date(timeIntervalSinceReferenceDate: 1e300)
        try await store.save(checkpoint, appending: [])
        let error = await #expect(throws: OrchestrationError.self) {
            try await chain.orchestration(store).resume(handle.id)
        }
        #expect(error?.code == .checkpointFailed)
        #expect((error?.underlying as? CheckpointError)?.code == .corrupt)
    }

    @Test("A run in flight in this process is not resumed alongside itself")
    func runningRunIsNotResumedTwice() async throws {
        let gate = Gate()
        let first = Runnable<Int, Int>("First") { n, _ in
            await gate.wait()
            return n
        }
        let last = Runnable<Int, Int>("Last") { n, _ in n }
        first.advance(to: last)
        let orchestration = Orchestration(
            start: first, exit: last, options: .init(checkpoints: InMemoryCheckpointStore()))
        let handle = orchestration.start(1)
        #expect(await eventually { gate.isWaiting })
        let error = await #expect(throws: OrchestrationError.self) { try await orchestration.resume(handle.id) }
        #expect(error?.code == .notResumable)
        #expect(error?.message.contains("is running, or being resumed, in this process") == true)
        gate.open()
        #expect(try await handle.value == 1)
    }

    @Test("A store that fails stops the run with checkpointFailed; its last checkpoint resumes the run")
    func failingStoreStopsTheRun() async throws {
        let chain = Chain(length: 4)
        let refuse = Mutex(true)
        let store = JSONCheckpointStore { number in
            if number == 3, refuse.withLock({ $0 }) { throw ChainFailure(state: "store") }
        }
        let orchestration = chain.orchestration(store)
        let handle = orchestration.start(0)
        let error = await #expect(throws: OrchestrationError.self) { try await handle.value }
        #expect(error?.code == .checkpointFailed)
        #expect(error?.state == "s2")
        #expect(error?.underlying is ChainFailure)
        #expect(chain.log.all == ["s1", "s2"])

        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .running)
        #expect(stored.checkpoint.state == "s2")

        refuse.withLock { $0 = false }
        #expect(try await orchestration.resume(handle.id).output == 10)
        #expect(chain.log.all == ["s1", "s2", "s2", "s3", "s4"])
    }

    @Test("With a store, a state whose value is not Codable fails the run at the checkpoint, naming the state")
    func notCodableValueFailsAtTheCheckpoint() async throws {
        struct Opaque: Sendable {}
        let make = Runnable<Int, Opaque>("Make") { _, _ in Opaque() }
        let use = Runnable<Opaque, Int>("Use") { _, _ in 1 }
        make.advance(to: use)
        let orchestration = Orchestration(
            start: make, exit: use, options: .init(validatesGraph: false, checkpoints: InMemoryCheckpointStore()))
        let error = await #expect(throws: OrchestrationError.self) { try await orchestration.run(1) }
        #expect(error?.code == .checkpointFailed)
        #expect((error?.underlying as? CheckpointError)?.code == .notCodable)
        #expect(error?.message.contains("the input of state 'Use'") == true)
    }

    @Test("validate() names every state whose value cannot be saved, and an AwaitInput without a store")
    func validationNamesNotCodableStates() throws {
        struct Opaque: Sendable {}
        let make = Runnable<Int, Opaque>("Make") { _, _ in Opaque() }
        let use = Runnable<Opaque, Opaque>("Use") { value, _ in value }
        make.advance(to: use)
        let durable = Orchestration(start: make, exit: use, options: .init(checkpoints: InMemoryCheckpointStore()))
        let problems = durable.validate().filter { $0.kind == .notCodable }
        #expect(problems.map(\.state) == ["Use", "Use"])
        #expect(problems.allSatisfy { $0.severity == .error })
        #expect(problems.first?.message.contains("takes a Opaque") == true)
        #expect(problems.last?.message.contains("exit state 'Use' produces a Opaque") == true)
        #expect(Orchestration(start: make, exit: use).validate().filter { $0.kind == .notCodable }.isEmpty)

        let machine = ApprovalMachine()
        let storeless = machine.orchestration(nil).validate()
        #expect(storeless.contains { $0.kind == .needsCheckpointStore && $0.state == "Approve" })
        #expect(machine.orchestration(InMemoryCheckpointStore()).validate().isEmpty)
    }

    @Test("Runs sharing one store keep to their own checkpoints")
    func concurrentRunsShareAStore() async throws {
        let chain = Chain(length: 6)
        let store = JSONCheckpointStore()
        let orchestration = chain.orchestration(store)
        let results = try await withThrowingTaskGroup(of: (RunID, Int, Int).self) { group in
            for input in 0..<24 {
                group.addTask {
                    let handle = orchestration.start(input * 100)
                    return (handle.id, input, try await handle.value)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 24)
        for (id, input, output) in results {
            #expect(output == input * 100 + 21)
            let stored = try #require(try await store.load(id))
            #expect(try stored.checkpoint.value?.decoded(as: Int.self, location: "test") == output)
            #expect(stored.steps.map(\.state) == ["s1", "s2", "s3", "s4", "s5", "s6"])
        }
        #expect(try await store.runs().count == 24)
    }
}

@Suite("A resumed run's memory")
struct RestoredMemoryTests {
    static let notes = MemoryKey<[String]>("notes")
    static let count = MemoryKey<Int>("count")

    @Test("A value written before any read replaces the saved one, in the next checkpoint too")
    func writeBeforeReadReplacesTheSavedValue() async throws {
        let store = JSONCheckpointStore()
        let failing = Failing()
        failing.withLock { $0 = ["Second"] }
        let first = Runnable<Int, Int>("First") { n, context in
            context.memory[Self.notes] = ["saved"]
            context.memory[Self.count] = 1
            return n
        }
        let second = Runnable<Int, Int>("Second") { n, context in
            // Overwrites and removes without reading: the saved values must not come back.
            context.memory[Self.notes] = ["written"]
            context.memory[Self.count] = nil
            if failing.contains("Second") { throw ChainFailure(state: "Second") }
            return n
        }
        let third = Runnable<Int, [String]>("Third") { _, context in
            (context.memory[Self.notes] ?? []) + (context.memory[Self.count].map { ["count \($0)"] } ?? [])
        }
        first.advance(to: second)
        second.advance(to: third, convert: { $0 + 1 })
        let orchestration = Orchestration(start: first, exit: third, options: .init(checkpoints: store))
        let handle = orchestration.start(0)
        #expect((await handle.record).status == .failed)

        failing.withLock { $0 = [] }
        let outcome = try await orchestration.resume(handle.id)
        #expect(outcome.output == ["written"])
        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .completed)
    }

    @Test("A saved memory value that no longer decodes fails the run after the state that read it, naming the key")
    func undecodableMemoryFailsTheRun() async throws {
        let chain = Chain(length: 3)
        let store = InMemoryCheckpointStore()
        let runID = RunID()
        // As a run saved by an older build would look: `visits` was an Int then.
        let checkpoint = Checkpoint(
            runID: runID, status: .running, step: 2, state: "s2", value: CheckpointValue(json: "1"),
            memory: [.init(name: "visits", type: "Swift.Array<Swift.String>", value: CheckpointValue(json: "42"))],
            recordedSteps: 1, startedAt: Date()
        )
        try await store.save(
            checkpoint, appending: [RunRecord.Step(step: 1, state: "s1", start: .zero, duration: .zero, next: "s2")])

        let error = await #expect(throws: OrchestrationError.self) {
            try await chain.orchestration(store).resume(runID)
        }
        #expect(error?.code == .checkpointFailed)
        #expect(error?.state == "s2")
        #expect(error?.message.contains("memory key 'visits' (Swift.Array<Swift.String>)") == true)
        #expect((error?.underlying as? CheckpointError)?.code == .notCodable)
        #expect(chain.log.all == ["s2"])
        let stored = try #require(try await store.load(runID))
        #expect(stored.checkpoint.status == .failed)
        #expect(stored.checkpoint.state == "s2")
    }
}
