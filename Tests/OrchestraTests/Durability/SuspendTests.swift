import Foundation
import Orchestra
import OrchestraTesting
import Testing

@Suite("AwaitInput: suspending a run for a person, and resuming it")
struct SuspendTests {
    @Test("A run reaching AwaitInput ends suspended, with the typed prompt and the run's id, and saves that")
    func runSuspendsWithItsPrompt() async throws {
        let machine = ApprovalMachine()
        let store = JSONCheckpointStore()
        let orchestration = machine.orchestration(store)
        let recorder = EventRecorder()
        _ = recorder.attach(to: orchestration)

        let handle = orchestration.start("tides")
        let suspension = try #require(try await handle.outcome.suspension)
        #expect(suspension.runID == handle.id)
        #expect(suspension.state == "Approve")
        #expect(suspension.step == 2)
        #expect(machine.approve.prompt(in: suspension) == Draft(text: "on tides", revision: 1))
        #expect(suspension.prompt(as: Int.self) == nil)

        let record = await handle.record
        #expect(record.status == .suspended)
        #expect(record.steps.map(\.state) == ["Write"])
        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .suspended)
        #expect(stored.checkpoint.state == "Approve")
        #expect(stored.checkpoint.step == 2)
        #expect(
            try stored.checkpoint.value?.decoded(as: Draft.self, location: "test")
                == Draft(text: "on tides", revision: 1))
        await orchestration.waitForHooks()
        #expect(recorder.events.map(\.kind.name).last == "runSuspended")
        #expect(recorder.events.last?.record?.status == .suspended)

        let thrown = await #expect(throws: OrchestrationError.self) { try await orchestration.run("tides") }
        #expect(thrown?.code == .suspended)
        #expect(thrown?.suspension?.state == "Approve")
    }

    @Test("resume(_:) of a waiting run hands its suspension back, prompt decoded, without running anything")
    func resumingWithoutAnAnswerRunsNothing() async throws {
        let machine = ApprovalMachine()
        let store = JSONCheckpointStore()
        let id = try #require(try await machine.orchestration(store).start("tides").outcome.suspension?.runID)
        // A second machine, as another process would build it: nothing passes but the store.
        let later = ApprovalMachine()
        let suspension = try #require(try await later.orchestration(store).resume(id).suspension)
        #expect(later.approve.prompt(in: suspension) == Draft(text: "on tides", revision: 1))
        #expect(suspension.step == 2)
        #expect(later.log.all.isEmpty)
    }

    @Test("Answers continue the run — back to a revision that waits again, then on to the exit")
    func answersContinueTheRun() async throws {
        let machine = ApprovalMachine()
        let store = JSONCheckpointStore()
        let id = try #require(try await machine.orchestration(store).start("tides").outcome.suspension?.runID)

        let second = ApprovalMachine()
        let revised = try await second.orchestration(store).resume(
            id, answering: second.approve, with: .revise("moons"))
        let waiting = try #require(revised.suspension)
        #expect(waiting.step == 4)
        #expect(second.approve.prompt(in: waiting) == Draft(text: "on moons", revision: 2))
        #expect(second.log.all == ["Write"])

        let third = ApprovalMachine()
        let done = try await third.orchestration(store).resume(id, answering: third.approve, with: .approve)
        #expect(done.output == "published on moons r2")
        #expect(third.log.all == ["Publish"])

        let stored = try #require(try await store.load(id))
        #expect(stored.checkpoint.status == .completed)
        #expect(stored.steps.map(\.state) == ["Write", "Approve", "Write", "Approve", "Publish"])
        #expect(stored.steps.map(\.step) == [1, 2, 3, 4, 5])
    }

    @Test("Answering a run that does not wait at that state is a typed error, whatever the run's status")
    func answeringARunThatIsNotWaitingIsRefused() async throws {
        let machine = ApprovalMachine()
        let store = InMemoryCheckpointStore()
        let orchestration = machine.orchestration(store)
        let id = try #require(try await orchestration.start("tides").outcome.suspension?.runID)

        let other = AwaitInput<Draft, Verdict>("Other")
        let wrongState = await #expect(throws: OrchestrationError.self) {
            try await orchestration.resume(id, answering: other, with: .approve)
        }
        #expect(wrongState?.code == .notAwaitingInput)
        #expect(wrongState?.message.contains("waits for an answer at state 'Approve', not at 'Other'") == true)

        #expect(try await orchestration.resume(id, answering: machine.approve, with: .approve).output != nil)
        let completed = await #expect(throws: OrchestrationError.self) {
            try await orchestration.resume(id, answering: machine.approve, with: .approve)
        }
        #expect(completed?.code == .notAwaitingInput)
        #expect(completed?.message.contains("it is completed") == true)
        #expect(machine.log.all == ["Write", "Publish"])

        let chain = Chain(length: 3)
        chain.failing.withLock { $0 = ["s2"] }
        let failedRun = chain.orchestration(store).start(0)
        _ = await failedRun.result
        let failed = await #expect(throws: OrchestrationError.self) {
            try await orchestration.resume(failedRun.id, answering: machine.approve, with: .approve)
        }
        #expect(failed?.code == .notAwaitingInput)
        #expect(failed?.message.contains("it is failed at state 's2'") == true)
    }

    @Test("AwaitInput inside a composite fails the run with invalidConfiguration, naming where it ran")
    func awaitInputInsideACompositeIsRefused() async throws {
        let ask = AwaitInput<Int, Int>("Ask")
        let pipeline = Pipeline {
            Runnable<Int, Int>("Before") { n, _ in n }
            ask
        }
        let orchestration = Orchestration(pipeline, options: .init(checkpoints: InMemoryCheckpointStore()))
        let error = await #expect(throws: OrchestrationError.self) { try await orchestration.run(1) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("AwaitInput 'Ask' ran inside") == true)
    }

    @Test("Without a store, an AwaitInput that runs anyway fails the run, saying what to set")
    func awaitInputWithoutAStoreFails() async throws {
        let ask = AwaitInput<Int, Int>("Ask")
        let orchestration = Orchestration(ask, options: .init(validatesGraph: false))
        let error = await #expect(throws: OrchestrationError.self) { try await orchestration.run(1) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("OrchestrationOptions.checkpoints") == true)
        let refused = await #expect(throws: OrchestrationError.self) {
            try await Orchestration(ask).run(1)
        }
        #expect(refused?.code == .invalidGraph)
    }
}
