import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Resume: one run at a time, cancellation, policies, and what a checkpoint holds")
struct ResumeSafetyTests {
    @Test("Two resumes of one run at once: the second is refused while the first reads the store, the answer runs once")
    func concurrentResumesRunOnce() async throws {
        let machine = ApprovalMachine()
        let gate = Gate()
        let holdLoads = Mutex(false)
        let store = JSONCheckpointStore(beforeLoad: { if holdLoads.withLock({ $0 }) { await gate.wait() } })
        let orchestration = machine.orchestration(store)
        let id = try #require(try await orchestration.start("tides").outcome.suspension?.runID)

        holdLoads.withLock { $0 = true }
        let first = Task { try await orchestration.resume(id, answering: machine.approve, with: .approve) }
        #expect(await eventually { gate.isWaiting })
        let second = await #expect(throws: OrchestrationError.self) {
            try await orchestration.resume(id, answering: machine.approve, with: .approve)
        }
        #expect(second?.code == .notResumable)
        holdLoads.withLock { $0 = false }
        gate.open()
        #expect(try await first.value.output == "published on tides r1")
        #expect(machine.log.all == ["Write", "Publish"])
    }

    @Test("A run in flight is refused by every orchestration of this process, not only the one running it")
    func runInFlightIsRefusedByAnotherOrchestration() async throws {
        let gate = Gate()
        let first = held("First", at: gate)
        let last = Runnable<Int, Int>("Last") { n, _ in n }
        first.advance(to: last)
        let store = InMemoryCheckpointStore()
        let one = Orchestration(start: first, exit: last, options: .init(checkpoints: store))
        let other = Orchestration(start: first, exit: last, options: .init(checkpoints: store))
        let handle = one.start(7)
        #expect(await eventually { gate.isWaiting })
        let error = await #expect(throws: OrchestrationError.self) { try await other.resume(handle.id) }
        #expect(error?.code == .notResumable)
        gate.open()
        #expect(try await handle.value == 7)
    }

    @Test("Cancelled while a checkpoint is saved: the next state does not start, and a resume runs it once")
    func cancelDuringASaveStopsBeforeTheNextState() async throws {
        let chain = Chain(length: 4)
        let gate = Gate()
        // Save 3 is the checkpoint for s3, after s2.
        let store = JSONCheckpointStore(beforeSave: { number in if number == 3 { await gate.wait() } })
        let orchestration = chain.orchestration(store)
        let handle = orchestration.start(0)
        #expect(await eventually { gate.isWaiting })
        handle.cancel()
        gate.open()
        let error = await #expect(throws: OrchestrationError.self) { try await handle.value }
        #expect(error?.code == .cancelled)
        #expect(error?.message.contains("before state 's3' started") == true)
        #expect(chain.log.all == ["s1", "s2"])

        let stored = try #require(try await store.load(handle.id))
        #expect(stored.checkpoint.status == .cancelled)
        #expect(stored.checkpoint.state == "s3")
        #expect(try await orchestration.resume(handle.id).output == 10)
        #expect(chain.log.all == ["s1", "s2", "s3", "s4"])
    }

    @Test("AwaitInput wrapped in a policy fails the run, and no policy falls back from that or retries it")
    func awaitInputBehindAPolicyIsRefused() async throws {
        let automatic = Runnable<Int, Int>("Automatic") { n, _ in n }
        let wrappings: [(String, (AwaitInput<Int, Int>) -> Runnable<Int, Int>)] = [
            ("timeout", { $0.timeout(.seconds(60)) }),
            ("fallback", { $0.fallback(to: automatic) }),
            ("retry", { $0.retry(RetryPolicy(maxAttempts: 3, initialDelay: .zero)) }),
        ]
        for (policy, wrap) in wrappings {
            let before = Runnable<Int, Int>("Before") { n, _ in n }
            let ask = wrap(AwaitInput<Int, Int>("Ask"))
            before.advance(to: ask)
            let orchestration = Orchestration(
                start: before, exit: ask, options: .init(checkpoints: InMemoryCheckpointStore()))
            let recorder = EventRecorder()
            _ = recorder.attach(to: orchestration)
            let error = await #expect(throws: OrchestrationError.self, "\(policy)") { try await orchestration.run(1) }
            #expect(error?.code == .invalidConfiguration, "\(policy)")
            #expect(error?.message.contains("AwaitInput 'Ask' is wrapped in a policy") == true, "\(policy)")
            await orchestration.waitForHooks()
            #expect(!recorder.events.map(\.kind.name).contains("retrying"), "\(policy)")
            #expect(!recorder.events.map(\.kind.name).contains("fallback"), "\(policy)")
        }
    }

    @Test("A checkpoint's size does not grow with the steps the run has taken")
    func checkpointSizeDoesNotGrowWithSteps() async throws {
        let tick = Runnable<Int, Int>("Tick") { n, context in
            context.memory[MemoryKey<Int>("ticks"), default: 0] += 1
            return n + 1
        }
        tick.advance(to: tick, when: { $0 < 400 })
        let store = JSONCheckpointStore()
        let orchestration = Orchestration(start: tick, exit: tick, options: .init(checkpoints: store))
        let handle = orchestration.start(0)
        #expect(try await handle.value == 400)
        #expect((await handle.record).steps.count == 400)

        // Saves 3 … 400 are checkpoints for Tick on 2 … 399, with ticks 2 … 399 in memory: only digits differ.
        let running = Array(store.sizes.dropFirst(2).dropLast())
        #expect(running.count == 398)
        let spread = (running.max() ?? 0) - (running.min() ?? 0)
        #expect(spread <= 12, "checkpoints ranged from \(running.min() ?? 0) to \(running.max() ?? 0) bytes")
        let stored = try #require(try await store.load(handle.id))
        #expect(stored.steps.count == 400)
    }

    @Test("A private type's memory value is named the same way in every process")
    func privateMemoryTypesHaveStableNames() async throws {
        let write = Runnable<Int, Int>("Write") { n, context in
            context.memory[MemoryKey<PrivateNote>("note")] = PrivateNote(text: "kept")
            return n
        }
        let read = Runnable<Int, String>("Read") { _, context in
            context.memory[MemoryKey<PrivateNote>("note")]?.text ?? "lost"
        }
        write.advance(to: read)
        let store = JSONCheckpointStore()
        let orchestration = Orchestration(start: write, exit: read, options: .init(checkpoints: store))
        let handle = orchestration.start(1)
        #expect(try await handle.value == "kept")
        // The checkpoint before Read holds the note. A private type's reflected name carries a runtime address,
        // which another process would not match.
        let allTypes = store.memoryTypes
        #expect(allTypes.contains { $0.contains("PrivateNote") })
        #expect(!allTypes.contains { $0.contains("unknown context") }, "\(allTypes)")
    }
}

private struct PrivateNote: Codable, Sendable {
    var text: String
}
