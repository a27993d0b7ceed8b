import Orchestra
import OrchestraTesting
import Testing

@Suite("Resilience: timeout", .timeLimit(.minutes(1)))
struct TimeoutTests {
    /// A `Search` state whose every call hangs until cancelled.
    static func stuckSearch() -> FaultInjector<Int, Int> {
        Add(0, name: "Search").injectingFaults(.hangUntilCancelled)
    }

    @Test("a state that hangs past its limit is cancelled at the deadline and fails with timedOut")
    func hangTimesOut() async throws {
        let clock = ManualClock()
        let stuck = Self.stuckSearch()
        let orchestration = Orchestration(stuck.timeout(.seconds(20)), options: .init(clock: clock))
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start(1)
        await stuck.waitForHangs(1)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .init(offset: .seconds(20)))
        clock.advance(by: .seconds(19))
        #expect(stuck.hanging == 1)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .timedOut)
        #expect(error.state == "Search")
        #expect(error.message.contains("20.0 seconds"))
        #expect(stuck.running == 0)
        await orchestration.waitForHooks()
        let kinds = recorder.kinds(of: handle.id)
        #expect(kinds == ["runStarted", "stateStarted", "timedOut", "stateFailed", "runFailed"])
        let limits = recorder.events(of: handle.id).compactMap { event -> Duration? in
            if case .timedOut(let limit) = event.kind { return limit }
            return nil
        }
        #expect(limits == [.seconds(20)])
    }

    @Test("a state that finishes in time returns its output and leaves no timer asleep")
    func finishesInTime() async throws {
        let clock = ManualClock()
        let slow = sleeping("Slow", for: .seconds(5)).timeout(.seconds(10))
        let handle = Orchestration(slow, options: .init(clock: clock)).start(7)
        await clock.waitForSleepers(2)
        clock.advance(by: .seconds(5))
        #expect(try await handle.value == 7)
        #expect(clock.sleeperCount == 0)
    }

    @Test("the state's own error within the limit passes through, not a timeout")
    func ownErrorPassesThrough() async throws {
        let failing = Runnable<Int, Int>("Failing") { _, _ in throw Boom(reason: "own") }
        let error = try #require(
            await Orchestration(failing.timeout(.seconds(1)), options: .init(clock: ManualClock())).start(0).result
                .orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.underlying as? Boom == Boom(reason: "own"))
    }

    @Test("cancelling the run during a timeout ends it as cancelled, not timed out, and ends the state")
    func cancelDuringTimeout() async throws {
        let clock = ManualClock()
        let stuck = Self.stuckSearch()
        let handle = Orchestration(stuck.timeout(.seconds(20)), options: .init(clock: clock)).start(1)
        await stuck.waitForHangs(1)
        await clock.waitForSleepers(1)
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(stuck.running == 0)
        #expect(clock.sleeperCount == 0)
    }

    @Test("fifty timeouts of different limits in one orchestration each fire at their own deadline, in order")
    func manyDeadlines() async throws {
        let clock = ManualClock()
        let stuck = Self.stuckSearch()
        let limited = Dictionary(uniqueKeysWithValues: (1...50).map { ($0, stuck.timeout(.seconds($0))) })
        let pick = Runnable<Int, Int>("Pick") { seconds, context in
            guard let timed = limited[seconds] else { throw Boom(reason: "no limit \(seconds)") }
            return try await context.run(timed, seconds)
        }
        let orchestration = Orchestration(pick, options: .init(clock: clock))
        var generator = SeededGenerator(seed: 3)
        let handles = Dictionary(
            uniqueKeysWithValues: (1...50).shuffled(using: &generator).map { ($0, orchestration.start($0)) })
        await stuck.waitForHangs(50)
        for seconds in 1...50 {
            await advance(clock, toDeadlineAt: Double(seconds))
            let error = try #require(await handles[seconds]?.result.orchestrationError)
            #expect(error.code == .timedOut)
            #expect(error.state == "Pick/Search")
            #expect(await eventually { stuck.hanging == 50 - seconds })
        }
        #expect(clock.sleeperCount == 0)
    }

    @Test("on the real clock, every hang times out through the one shared timer")
    func realClock() async throws {
        let stuck = Self.stuckSearch()
        // Different limits, so that the shared sleeper is replaced when an earlier deadline arrives.
        let orchestration = Orchestration(
            Runnable<Int, Int>("Pick") { n, context in
                try await context.run(
                    n.isMultiple(of: 2) ? stuck.timeout(.milliseconds(40)) : stuck.timeout(.milliseconds(10)), n)
            })
        let codes = await withTaskGroup(of: OrchestrationError.Code?.self) { group in
            for n in 0..<20 { group.addTask { await orchestration.start(n).result.orchestrationError?.code } }
            return await group.reduce(into: [OrchestrationError.Code?]()) { $0.append($1) }
        }
        #expect(codes == Array(repeating: .timedOut, count: 20))
        #expect(stuck.hangs == 20)
        #expect(stuck.running == 0)
    }

    @Test("a limit meant as never, such as Int64.max seconds, lets the state finish on the real clock")
    func hugeLimit() async throws {
        let state = Add(1, name: "State")
        #expect(try await Orchestration(state.timeout(.seconds(Int64.max))).run(1) == 2)
    }

    @Test(
        "a limit of zero or less fails with invalidConfiguration before the state runs",
        arguments: [Duration.zero, .seconds(-1)])
    func invalidLimit(_ limit: Duration) async throws {
        let state = Add(0, name: "State").injectingFaults()
        let error = try #require(await Orchestration(state.timeout(limit)).start(0).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("timeout of 'State'"))
        #expect(state.calls == 0)
    }

    @Test("inside a composite, the timeout names the child's path")
    func pathInComposite() async throws {
        let clock = ManualClock()
        let stuck = Self.stuckSearch()
        let pipeline = Pipeline(name: "Research") {
            Add(1)
            stuck.timeout(.seconds(3))
        }
        let handle = Orchestration(pipeline, options: .init(clock: clock)).start(1)
        await stuck.waitForHangs(1)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(3))
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .timedOut)
        #expect(error.state == "Research/Search")
    }
}
