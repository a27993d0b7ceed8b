import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Resilience: bulkhead", .timeLimit(.minutes(1)))
struct BulkheadTests {
    @Test("1,000 concurrent calls: never more than maxConcurrent at once, and every call completes")
    func neverExceedsLimit() async throws {
        let inFlight = InFlight()
        let busy = Runnable<Int, Int>("Call") { n, _ in
            inFlight.enter()
            defer { inFlight.leave() }
            for _ in 0..<3 { await Task.yield() }
            return n
        }
        let bulkhead = Bulkhead("Calls", maxConcurrent: 8)
        let orchestration = Orchestration(busy.bulkhead(bulkhead))
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for n in 0..<1000 { group.addTask { try await orchestration.run(n) } }
            return try await group.reduce(0, +)
        }
        #expect(total == (0..<1000).reduce(0, +))
        #expect(inFlight.peak <= 8)
        #expect(bulkhead.running == 0)
        #expect(bulkhead.queued == 0)
    }

    @Test("with the places and the queue full, exactly the calls beyond them are rejected, at once")
    func rejectsBeyondQueue() async throws {
        let inFlight = InFlight()
        let gate = Gate()
        let bulkhead = Bulkhead("Calls", maxConcurrent: 8, maxQueued: 10)
        let orchestration = Orchestration(held(at: gate, inFlight).bulkhead(bulkhead))
        let rejected = Counter()
        let all = await withTaskGroup(of: OrchestrationError.Code?.self) { group in
            for n in 0..<1000 {
                group.addTask {
                    let code = await orchestration.start(n).result.orchestrationError?.code
                    if code == .rejected { rejected.increment() }
                    return code
                }
            }
            // The rejected calls end while the others are held at the gate, which opens whatever happened.
            #expect(await eventually { rejected.count == 982 })
            #expect(await eventually { inFlight.now == 8 })
            #expect(bulkhead.running == 8)
            #expect(bulkhead.queued == 10)
            gate.open()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(all.filter { $0 == .rejected }.count == 982)
        #expect(all.filter { $0 == nil }.count == 18)
        #expect(inFlight.peak == 8)
        #expect(bulkhead.running == 0)
    }

    @Test("a rejection names the bulkhead and its limits, with a rejected event; waiting is a queued event")
    func rejectionEvents() async throws {
        let gate = Gate()
        let bulkhead = Bulkhead("Call", maxConcurrent: 1, maxQueued: 1)
        let orchestration = Orchestration(held(at: gate).bulkhead(bulkhead))
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let running = orchestration.start(1)
        #expect(await eventually { bulkhead.running == 1 })
        let bulkheadOf = { (event: OrchestrationEvent) -> String? in
            if case .queued(let name) = event.kind { return name }
            return nil
        }
        let waiting = orchestration.start(2)
        #expect(await eventually { recorder.events.contains { bulkheadOf($0) != nil } })
        let error = try #require(await orchestration.start(3).result.orchestrationError)
        #expect(error.code == .rejected)
        #expect(error.state == "Call")
        #expect(
            error.message
                == "the bulkhead 'Call' is full, with 1 running and 1 queued, the most it allows, so state "
                + "'Call' did not run; raise maxConcurrent or maxQueued, or retry later")
        gate.open()
        #expect(try await running.value == 1)
        #expect(try await waiting.value == 2)
        await orchestration.waitForHooks()
        #expect(recorder.events(of: waiting.id).compactMap(bulkheadOf) == ["Call"])
    }

    @Test("waiting calls run in the order they came")
    func fifo() async throws {
        let gate = Gate()
        let order = Mutex<[Int]>([])
        let bulkhead = Bulkhead("Calls", maxConcurrent: 1)
        let orchestration = Orchestration(
            held(at: gate) { n in order.withLock { $0.append(n) } }.bulkhead(bulkhead))
        var handles = [orchestration.start(0)]
        #expect(await eventually { bulkhead.running == 1 })
        for n in 1...5 {
            handles.append(orchestration.start(n))
            #expect(await eventually { bulkhead.queued == n })
        }
        gate.open()
        for handle in handles { _ = try await handle.value }
        #expect(order.withLock { $0 } == [0, 1, 2, 3, 4, 5])
    }

    @Test("cancelling a waiting run takes it out of the queue at once")
    func cancelWhileQueued() async throws {
        let gate = Gate()
        let bulkhead = Bulkhead("Calls", maxConcurrent: 1)
        let orchestration = Orchestration(held(at: gate).bulkhead(bulkhead))
        let first = orchestration.start(1)
        #expect(await eventually { bulkhead.running == 1 })
        let second = orchestration.start(2)
        #expect(await eventually { bulkhead.queued == 1 })
        second.cancel()
        #expect(try #require(await second.result.orchestrationError).code == .cancelled)
        #expect(bulkhead.queued == 0)
        gate.open()
        #expect(try await first.value == 1)
        #expect(bulkhead.running == 0)
    }

    @Test("one bulkhead shared by two runnables limits them together")
    func shared() async throws {
        let inFlight = InFlight()
        let gate = Gate()
        let bulkhead = Bulkhead("GPU", maxConcurrent: 2, maxQueued: 0)
        let draft = Orchestration(held(at: gate, inFlight).bulkhead(bulkhead))
        let review = Orchestration(held(at: gate, inFlight).bulkhead(bulkhead))
        let one = draft.start(1)
        let two = review.start(2)
        #expect(await eventually { inFlight.now == 2 })
        #expect(try #require(await draft.start(3).result.orchestrationError).code == .rejected)
        #expect(try #require(await review.start(4).result.orchestrationError).code == .rejected)
        gate.open()
        #expect(try await one.value + two.value == 3)
    }

    @Test("a maxConcurrent below 1 or a negative maxQueued fails with invalidConfiguration")
    func invalidSettings() async throws {
        let calls = Counter()
        let state = Runnable<Int, Int>("Call") { n, _ in
            calls.increment()
            return n
        }
        let zero = try #require(
            await Orchestration(state.bulkhead(maxConcurrent: 0)).start(1).result.orchestrationError)
        #expect(zero.code == .invalidConfiguration)
        #expect(zero.message == "the bulkhead 'Call' has maxConcurrent 0; it must be at least 1")
        let negative = try #require(
            await Orchestration(state.bulkhead(maxConcurrent: 1, maxQueued: -1)).start(1).result.orchestrationError)
        #expect(negative.message == "the bulkhead 'Call' has maxQueued -1; it must be at least 0")
        #expect(calls.count == 0)
    }
}
