import Orchestra
import OrchestraTesting
import Testing

// A branch that misses its cancellation would sleep for an hour: fail the test instead.
@Suite("Composition: Parallel and FanOut", .timeLimit(.minutes(1)))
struct ParallelTests {
    @Test("branches run at once and their outputs form a tuple in the order the branches are listed")
    func branchesRunAtOnce() async throws {
        let inFlight = InFlight()
        let gather = Parallel(
            meeting("Number", inFlight, together: 3, returning: 7),
            meeting("Text", inFlight, together: 3, returning: "seven"),
            meeting("Flag", inFlight, together: 3, returning: true)
        )
        let (number, text, flag) = try await Orchestration(gather).run(0)
        #expect(number == 7 && text == "seven" && flag)
        #expect(inFlight.peak == 3)
    }

    @Test("the tuple follows the listed order, not the order in which branches finish")
    func orderIsListedOrder() async throws {
        let clock = ManualClock()
        let slow = Runnable<Int, String>("Slow") { n, context in
            try await Task.sleep(for: .seconds(2), clock: context.clock)
            return "slow \(n)"
        }
        let fast = Runnable<Int, Int>("Fast") { n, context in
            try await Task.sleep(for: .seconds(1), clock: context.clock)
            return n + 1
        }
        let recorder = EventRecorder()
        let orchestration = Orchestration(Parallel(slow, fast), options: .init(clock: clock))
        recorder.attach(to: orchestration)
        let handle = orchestration.start(1)
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        // Slow is still asleep; wake it only once Fast's completion has been published.
        var fastDone = false
        for _ in 0..<5_000 where !fastDone {
            await orchestration.waitForHooks()
            fastDone = recorder.events(of: handle.id).contains {
                $0.state == "Fast" && $0.kind.name == "stateCompleted"
            }
            if !fastDone { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(fastDone)
        clock.advance(by: .seconds(1))
        let (first, second) = try await handle.value
        #expect(first == "slow 1" && second == 2)
        await orchestration.waitForHooks()
        let completed = recorder.events(of: handle.id).filter { $0.kind.name == "stateCompleted" }
        #expect(completed.map(\.path.description) == ["Parallel[1]/Fast", "Parallel[0]/Slow", "Parallel"])
    }

    @Test("the builder form lists branches one per line and runs like the initializer form")
    func builderForm() async throws {
        let gather = Parallel(name: "Gather") {
            Add(1, name: "One")
            Describe(name: "Show")
            Add(2, name: "Two")
        }
        let handle = Orchestration(gather).start(10)
        let (one, show, two) = try await handle.value
        #expect(one == 11 && show == "value 10" && two == 12)
        #expect(
            Set(await handle.record.steps.map(\.path.description))
                == ["Gather", "Gather[0]/One", "Gather[1]/Show", "Gather[2]/Two"]
        )
    }

    @Test("when a branch fails, the others are cancelled and awaited, and the error names the failing branch")
    func failureCancelsOthers() async throws {
        let started = Counter()
        let ended = Counter()
        let failing = Runnable<Int, String>("Failing") { _, _ in
            let othersStarted = await eventually { started.count == 2 }
            guard othersStarted else { throw Boom(reason: "the others never started") }
            throw Boom(reason: "bad branch")
        }
        let gather = Parallel(
            sleepingUntilCancelled("Left", started: started, ended: ended),
            failing,
            sleepingUntilCancelled("Right", started: started, ended: ended),
            name: "Gather"
        )
        let recorder = EventRecorder()
        let orchestration = Orchestration(gather)
        recorder.attach(to: orchestration)
        let handle = orchestration.start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Gather[1]/Failing")
        #expect(error.underlying as? Boom == Boom(reason: "bad branch"))
        #expect(ended.count == 2)  // both others ended before the run did: none outlives the state
        await orchestration.waitForHooks()
        let failed = recorder.events(of: handle.id).compactMap { event -> String? in
            guard case .stateFailed(let error) = event.kind else { return nil }
            return "\(event.path) \(error.code)"
        }
        #expect(
            Set(failed) == [
                "Gather[1]/Failing state failed", "Gather[0]/Left cancelled", "Gather[2]/Right cancelled",
                "Gather state failed",
            ]
        )
    }

    @Test("synchronous branches run too, and the failure of one cancels the asynchronous ones")
    func synchronousBranchFails() async throws {
        let started = Counter()
        let ended = Counter()
        let gather = Parallel(
            sleepingUntilCancelled("Waiting", started: started, ended: ended),
            Runnable<Int, Int>("Check") { n, _ in
                guard n > 0 else { throw Boom(reason: "not positive") }
                return n
            },
            sleepingUntilCancelled("Also", started: started, ended: ended)
        )
        let orchestration = Orchestration(gather)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start(0)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.state == "Parallel[1]/Check")
        #expect(ended.count == started.count)
        await orchestration.waitForHooks()
        // Each asynchronous branch either never started, or started and ended cancelled — and the events say
        // exactly as many started as the branches counted.
        var startedInEvents = 0
        for path in ["Parallel[0]/Waiting", "Parallel[2]/Also"] {
            let kinds = recorder.events(of: handle.id).filter { $0.path.description == path }.map { event in
                if case .stateFailed(let failure) = event.kind { return "failed \(failure.code)" }
                return event.kind.name
            }
            #expect(kinds.isEmpty || kinds == ["stateStarted", "failed cancelled"], "\(path): \(kinds)")
            if !kinds.isEmpty { startedInEvents += 1 }
        }
        #expect(startedInEvents == started.count)
    }

    @Test("cancelling the run cancels every branch, and none outlives it")
    func cancellationReachesBranches() async throws {
        let started = Counter()
        let ended = Counter()
        let gather = Parallel(
            sleepingUntilCancelled("A", started: started, ended: ended),
            sleepingUntilCancelled("B", started: started, ended: ended),
            sleepingUntilCancelled("C", started: started, ended: ended)
        )
        let handle = Orchestration(gather).start(0)
        #expect(await eventually { started.count == 3 })
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(ended.count == 3)
        #expect(await handle.record.status == .cancelled)
    }

    @Test("FanOut runs any number of same-typed branches and returns their outputs in branch order")
    func fanOutOrder() async throws {
        let branches = (0..<50).map { index in
            Runnable<Int, Int>("B\(index)") { n, _ in
                for _ in 0..<(50 - index) { await Task.yield() }
                return n * 100 + index
            }
        }
        let handle = Orchestration(FanOut(branches)).start(1)
        #expect(try await handle.value == (0..<50).map { 100 + $0 })
        let record = await handle.record
        #expect(record.steps.count == 51)
        #expect(record.steps.map(\.step) == Array(1...51))
        #expect(Set(record.steps.dropFirst().map(\.path.description)) == Set((0..<50).map { "FanOut[\($0)]/B\($0)" }))
    }

    @Test("a FanOut of no branches returns an empty array")
    func emptyFanOut() async throws {
        #expect(try await Orchestration(FanOut([Runnable<Int, Int>]())).run(1).isEmpty)
    }
}
