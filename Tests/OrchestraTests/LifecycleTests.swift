import Orchestra
import OrchestraTesting
import Synchronization
import Testing

/// How events, hooks and machines behave at the edges of their lives: released orchestrations,
/// late chunks, subscribers that arrive mid-run, and machines with loops.
@Suite("Lifecycle")
struct LifecycleTests {
    @Test("releasing the orchestration during a run still delivers the whole run to its hooks")
    func releasedMidRun() async throws {
        let clock = ManualClock()
        let recorder = EventRecorder()
        let handle: RunHandle<Int>
        do {
            let slow = Runnable<Int, Int>("Slow") { n, context in
                try await Task.sleep(for: .seconds(1), clock: context.clock)
                return n + 1
            }
            let orchestration = Orchestration(slow, options: .init(clock: clock))
            recorder.attach(to: orchestration)
            handle = orchestration.start(1)
        }
        // The orchestration is gone; its run is asleep in its only state.
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        #expect(try await handle.value == 2)
        #expect(
            await eventually { recorder.kinds(of: handle.id).last == "runCompleted" },
            "the hook saw \(recorder.kinds(of: handle.id))"
        )
        #expect(recorder.kinds(of: handle.id) == ["runStarted", "stateStarted", "stateCompleted", "runCompleted"])
    }

    @Test("iterating the events of a released orchestration ends instead of waiting forever", .timeLimit(.minutes(1)))
    func iteratorOfReleasedOrchestration() async {
        var events: OrchestrationEvents
        do {
            let orchestration = Orchestration(Add(1))
            events = orchestration.events
        }
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == nil)
        events = Orchestration(Add(2)).events  // a hub that closes as soon as its orchestration is released
        var second = events.makeAsyncIterator()
        #expect(await second.next() == nil)
    }

    @Test("a chunk from a task a state left running never follows the run's last event")
    func noChunkAfterTheEnd() async throws {
        // Each run leaves a task emitting, and returns once it is under way; runs go one at a time,
        // so that the emitter and the run's end really happen at once, on two cores.
        let leaky = Runnable<Int, Int>("Leaky") { n, context in
            Task.detached {
                for _ in 0..<2000 { context.emit("x") }
            }
            for _ in 0..<50 { await Task.yield() }
            return n
        }
        let orchestration = Orchestration(leaky)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        var ids: [RunID] = []
        var lateInLog = 0
        for n in 0..<200 {
            let handle = orchestration.start(n)
            ids.append(handle.id)
            var ended = false
            for await event in handle.events {
                if ended { lateInLog += 1 }
                ended = ended || event.isTerminal
            }
        }
        try await Task.sleep(for: .milliseconds(100))
        await orchestration.waitForHooks()
        let lateInHook = ids.filter { recorder.kinds(of: $0).last != "runCompleted" }.count
        #expect(lateInLog == 0)
        #expect(lateInHook == 0, "\(lateInHook) of 200 runs had events after their last one")
    }

    @Test("a subscriber that arrives mid-run, with records off, gets correct times and no made-up duration")
    func subscriberArrivesMidRun() async throws {
        let clock = ManualClock()
        let slow = sleeping("Slow", for: .seconds(10))
        let quick = Add(1, name: "Quick")
        slow.advance(to: quick)
        let orchestration = Orchestration(start: slow, exit: quick, options: .init(clock: clock, recordsRuns: false))
        let task = Task { try await orchestration.run(0) }
        await clock.waitForSleepers(1)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        clock.advance(by: .seconds(10))
        #expect(try await task.value == 1)
        await orchestration.waitForHooks()
        let events = recorder.events
        #expect(events.map(\.kind.name) == ["transition", "stateStarted", "stateCompleted", "runCompleted"])
        let completed = events.compactMap { event -> Duration? in
            if case .stateCompleted(let duration) = event.kind { return duration }
            return nil
        }
        #expect(completed == [.zero])  // Quick took no time; Slow's duration was never measured
        #expect(events.allSatisfy { $0.timestamp == .seconds(10) })
    }

    @Test("a machine with a loop is freed once its states' advancers are removed")
    func loopsAreFreedOnRequest() async throws {
        weak var weakStart: Add?
        weak var weakLoop: Add?
        do {
            let start = Add(1, name: "start"), loop = Add(1, name: "loop")
            start.advance(to: loop)
            loop.advance(to: start, when: { $0 < 5 })
            weakStart = start
            weakLoop = loop
            #expect(try await Orchestration(start: start, exit: loop).run(0) == 6)
            start.removeAllAdvancers()
            loop.removeAllAdvancers()
        }
        #expect(weakStart == nil)
        #expect(weakLoop == nil)
    }

    @Test(
        "waiting for hooks returns when the waiting task is cancelled, even if a hook never finishes",
        .timeLimit(.minutes(1))
    )
    func waitForHooksIsCancellable() async throws {
        let orchestration = Orchestration(Add(1))
        let gate = Mutex(false)
        orchestration.onEvent { _ in
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
        }
        _ = try await orchestration.run(0)
        let waiter = Task { await orchestration.waitForHooks() }
        // Most likely parked by now, so the cancellation reaches a waiting task, not one about to wait.
        try await Task.sleep(for: .milliseconds(10))
        waiter.cancel()
        await waiter.value  // would hang forever if the wait ignored cancellation
        gate.withLock { $0 = true }
    }

    @Test("RunMemory.update may read the memory inside its body, and concurrent updates add up")
    func memoryUpdate() async {
        let memory = RunMemory()
        let total = MemoryKey<Int>("total"), seen = MemoryKey<Int>("seen")
        memory[seen] = 7
        memory.update(total, default: 0) { value in value += memory[seen] ?? 0 }  // re-entrant read
        #expect(memory[total] == 7)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { memory.update(total, default: 0) { $0 += 1 } }
            }
        }
        #expect(memory[total] == 207)
    }
}
