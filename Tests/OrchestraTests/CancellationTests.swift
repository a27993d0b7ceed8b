import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Cancellation")
struct CancellationTests {
    /// A state that signals it has started, then waits until its task is cancelled.
    final class WaitForCancel: Runnable<Int, Int>, @unchecked Sendable {
        let started = Counter()
        let sawCancellation = Counter()

        override func invoke(_ input: Int, context: RunContext) async throws -> Int {
            started.increment()
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(1))
            }
            sawCancellation.increment()
            return input
        }
    }

    @Test("cancel() reaches the running state's invoke, and the run ends cancelled after it returns")
    func cancelHandle() async throws {
        let first = Add(1, name: "First")
        let wait = WaitForCancel(name: "Wait")
        let never = Add(1, name: "Never")
        first.advance(to: wait)
        wait.advance(to: never)
        let handle = Orchestration(start: first, exit: never).start(0)
        #expect(await eventually { wait.started.count == 1 })
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(error.state == "Wait")
        #expect(wait.sawCancellation.count == 1)
        let record = await handle.record
        #expect(record.status == .cancelled)
        #expect(record.statesVisited == ["First", "Wait"])  // Never did not run
        var last: OrchestrationEvent?
        for await event in handle.events { last = event }
        guard case .runCancelled(let final) = last?.kind else {
            Issue.record("the last event should be runCancelled, got \(String(describing: last))")
            return
        }
        #expect(final.status == .cancelled)
    }

    @Test("a state that throws CancellationError ends the run cancelled, not failed")
    func cancelThrowing() async throws {
        let started = Counter()
        let sleeper = Runnable<Int, Int>("Sleeper") { n, context in
            started.increment()
            try await Task.sleep(for: .seconds(3600), clock: context.clock)
            return n
        }
        let clock = ManualClock()
        let handle = Orchestration(sleeper, options: .init(clock: clock)).start(0)
        await clock.waitForSleepers(1)
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(error.underlying is CancellationError)
        #expect(started.count == 1)
    }

    @Test("cancelling the task that called run(_:) cancels the run")
    func cancelCallingTask() async throws {
        let wait = WaitForCancel(name: "Wait")
        let orchestration = Orchestration(wait)
        let task = Task { try await orchestration.run(1) }
        #expect(await eventually { wait.started.count == 1 })
        task.cancel()
        let result = await task.result
        #expect(result.orchestrationError?.code == .cancelled)
    }

    @Test("a run whose task is already cancelled does not start its first state")
    func cancelledBeforeStart() async throws {
        let counter = Counter()
        let state = Runnable<Int, Int>("S") { n, _ in
            counter.increment()
            return n
        }
        let orchestration = Orchestration(state)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await orchestration.run(1)
        }
        #expect(await task.result.orchestrationError?.code == .cancelled)
        #expect(counter.count == 0)
    }

    @Test("a run cancelled during a synchronous state ends cancelled as soon as that state returns")
    func cancelledInSynchronousState() async throws {
        let after = Counter()
        let first = Runnable<Int, Int>("First") { n, _ in
            // Cancels the run's own task without any suspension point: only the engine's check can see it.
            withUnsafeCurrentTask { $0?.cancel() }
            return n
        }
        let second = Runnable<Int, Int>("Second") { n, _ in
            after.increment()
            return n
        }
        first.advance(to: second)
        let handle = Orchestration(start: first, exit: second).start(1)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(error.state == "First")
        #expect(after.count == 0)
        #expect(await handle.record.statesVisited == ["First"])
    }

    @Test("no child task a state starts in structured concurrency outlives the cancelled run")
    func childTasksEnd() async throws {
        let children = Counter()
        let finished = Counter()
        let fanOut = Runnable<Int, Int>("FanOut") { n, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        children.increment()
                        defer { finished.increment() }
                        try await Task.sleep(for: .seconds(3600))
                    }
                }
                try await group.waitForAll()
            }
            return n
        }
        let handle = Orchestration(fanOut).start(0)
        #expect(await eventually { children.count == 8 })
        handle.cancel()
        #expect(await handle.result.orchestrationError?.code == .cancelled)
        // The run's result is only available after the group has ended, so every child has finished.
        #expect(finished.count == 8)
    }
}
