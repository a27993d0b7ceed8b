import Orchestra
import OrchestraTesting
import Testing

@Suite("Resilience: circuit breaker", .timeLimit(.minutes(1)))
struct CircuitBreakerTests {
    /// A model call: for an input beyond ±1,000, first sleeps that many milliseconds on the run's clock;
    /// then fails for a negative input, and returns a positive one.
    static func model(_ name: String = "Model", calls: Counter) -> Runnable<Int, Int> {
        Runnable(name) { n, context in
            calls.increment()
            if abs(n) > 1000 { try await Task.sleep(for: .milliseconds(abs(n)), clock: context.clock) }
            if n < 0 { throw Boom(reason: "down") }
            return n
        }
    }

    /// One orchestration, one clock, one breaker, with every event recorded.
    struct Fixture {
        let clock = ManualClock()
        let calls = Counter()
        let recorder = EventRecorder()
        let breaker: CircuitBreaker
        let orchestration: Orchestration<Int, Int>

        init(_ breaker: CircuitBreaker) {
            self.breaker = breaker
            orchestration = Orchestration(
                CircuitBreakerTests.model(calls: calls).circuitBreaker(breaker), options: .init(clock: clock))
            recorder.attach(to: orchestration)
        }

        /// Runs once; the error's code, or `nil` on success.
        func call(_ input: Int) async -> OrchestrationError.Code? {
            await orchestration.start(input).result.orchestrationError?.code
        }

        /// Every breaker change so far, as `state`.
        func changes() async -> [String] {
            await orchestration.waitForHooks()
            return recorder.events.compactMap { event in
                guard case .circuitChanged(let name, let state) = event.kind else { return nil }
                return "\(name) \(state)"
            }
        }
    }

    @Test("opens at the threshold'th failure within the window, counting only failures inside it")
    func opensAfterFailuresInWindow() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 3, window: .seconds(10), coolDown: .seconds(30)))
        #expect(await fixture.call(-1) == .stateFailed)  // t = 0
        fixture.clock.advance(by: .seconds(5))
        #expect(await fixture.call(-1) == .stateFailed)  // t = 5
        #expect(await fixture.call(1) == nil)  // a success does not reset the window
        fixture.clock.advance(by: .seconds(6))
        #expect(await fixture.call(-1) == .stateFailed)  // t = 11: the failure at 0 has left the window
        #expect(fixture.breaker.state == .closed)
        #expect(await fixture.call(-1) == .stateFailed)  // t = 11: three within 10 s
        #expect(fixture.breaker.state == .open)
        #expect(await fixture.changes() == ["LLM open"])
        #expect(fixture.calls.count == 5)
    }

    @Test("while open, calls fail at once with circuitOpen and never run, until the cool-down has passed")
    func refusesWhileOpen() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1, coolDown: .seconds(30)))
        #expect(await fixture.call(-1) == .stateFailed)
        fixture.clock.advance(by: .seconds(29))
        let handle = fixture.orchestration.start(1)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .circuitOpen)
        #expect(error.state == "Model")
        #expect(error.message.contains("'LLM' is open after 1 failure within 60.0 seconds"))
        #expect(error.message.contains("in 1.0 seconds"))
        #expect(fixture.calls.count == 1)
        await fixture.orchestration.waitForHooks()
        #expect(
            fixture.recorder.kinds(of: handle.id) == [
                "runStarted", "stateStarted", "rejected", "stateFailed", "runFailed",
            ])
        fixture.clock.advance(by: .seconds(1))
        #expect(await fixture.call(1) == nil)
        #expect(fixture.calls.count == 2)
    }

    @Test("half-open lets `probes` calls through; when all succeed it closes")
    func probesClose() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1, coolDown: .seconds(30), probes: 2))
        #expect(await fixture.call(-1) == .stateFailed)
        fixture.clock.advance(by: .seconds(30))
        #expect(fixture.breaker.state == .open)  // until a call finds the cool-down over
        #expect(await fixture.call(1) == nil)
        #expect(fixture.breaker.state == .halfOpen)
        #expect(await fixture.call(2) == nil)
        #expect(fixture.breaker.state == .closed)
        #expect(await fixture.changes() == ["LLM open", "LLM half-open", "LLM closed"])
    }

    @Test("a failed probe opens the breaker again, for another full cool-down")
    func failedProbeReopens() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1, coolDown: .seconds(30), probes: 2))
        #expect(await fixture.call(-1) == .stateFailed)
        fixture.clock.advance(by: .seconds(30))
        #expect(await fixture.call(1) == nil)
        #expect(await fixture.call(-1) == .stateFailed)
        #expect(fixture.breaker.state == .open)
        fixture.clock.advance(by: .seconds(29))
        #expect(await fixture.call(1) == .circuitOpen)
        fixture.clock.advance(by: .seconds(1))
        #expect(await fixture.call(1) == nil)
        #expect(await fixture.changes() == ["LLM open", "LLM half-open", "LLM open", "LLM half-open"])
    }

    @Test("half-open refuses calls beyond its probes while they run; a cancelled probe frees its place")
    func probesInFlight() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1, coolDown: .seconds(30), probes: 1))
        #expect(await fixture.call(-1) == .stateFailed)
        fixture.clock.advance(by: .seconds(30))
        let probe = fixture.orchestration.start(5000)  // sleeps 5 s on the clock
        await fixture.clock.waitForSleepers(1)
        let refused = try #require(await fixture.orchestration.start(1).result.orchestrationError)
        #expect(refused.code == .circuitOpen)
        #expect(refused.message.contains("half-open and its 1 probe call is taken"))
        probe.cancel()
        #expect(try #require(await probe.result.orchestrationError).code == .cancelled)
        #expect(fixture.breaker.state == .halfOpen)  // cancellation is neither success nor failure
        #expect(await fixture.call(1) == nil)
        #expect(fixture.breaker.state == .closed)
    }

    @Test("the outcome of a call let in before the breaker moved on does not count")
    func staleOutcome() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1, coolDown: .seconds(10)))
        let slow = fixture.orchestration.start(-15_000)  // let in while closed; fails at 15 s
        await fixture.clock.waitForSleepers(1)
        #expect(await fixture.call(-1) == .stateFailed)  // opens at 0 s
        fixture.clock.advance(by: .seconds(10))
        let probe = fixture.orchestration.start(20_000)  // half-open; its probe succeeds at 30 s
        await fixture.clock.waitForSleepers(2)
        fixture.clock.advance(by: .seconds(5))
        #expect(try #require(await slow.result.orchestrationError).code == .stateFailed)
        #expect(fixture.breaker.state == .halfOpen)
        fixture.clock.advance(by: .seconds(15))
        #expect(try await probe.value == 20_000)
        #expect(fixture.breaker.state == .closed)
    }

    @Test("reset() closes the breaker, and calls let in before it do not count after it")
    func reset() async throws {
        let fixture = Fixture(CircuitBreaker("LLM", failureThreshold: 1))
        #expect(await fixture.call(-1) == .stateFailed)
        #expect(fixture.breaker.state == .open)
        fixture.breaker.reset()
        #expect(fixture.breaker.state == .closed)
        #expect(await fixture.call(1) == nil)
        let slow = fixture.orchestration.start(-5_000)
        await fixture.clock.waitForSleepers(1)
        fixture.breaker.reset()
        fixture.clock.advance(by: .seconds(5))
        #expect(try #require(await slow.result.orchestrationError).code == .stateFailed)
        #expect(fixture.breaker.state == .closed)
    }

    @Test("refusals by a bulkhead inside the breaker never count: the dependency did not fail")
    func innerRefusalsDoNotCount() async throws {
        let gate = Gate()
        let breaker = CircuitBreaker("LLM", failureThreshold: 2)
        let bulkhead = Bulkhead("GPU", maxConcurrent: 1, maxQueued: 0)
        let orchestration = Orchestration(held("Model", at: gate).bulkhead(bulkhead).circuitBreaker(breaker))
        let holder = orchestration.start(1)
        #expect(await eventually { bulkhead.running == 1 })
        for _ in 0..<3 { #expect(await orchestration.start(2).result.orchestrationError?.code == .rejected) }
        #expect(breaker.state == .closed)
        gate.open()
        #expect(try await holder.value == 1)
    }

    @Test("each fresh clock is refused while the breaker is bound to another, even after that one is freed")
    func freedClockIsNotReused() async throws {
        let breaker = CircuitBreaker("LLM")
        do {
            let first = Fixture(breaker)
            #expect(await first.call(1) == nil)
        }
        for _ in 0..<50 {
            let fresh = Fixture(breaker)
            #expect(await fresh.call(1) == .invalidConfiguration)
        }
    }

    @Test("errors that isFailure rejects never count")
    func ignoredErrors() async throws {
        let breaker = CircuitBreaker("LLM", failureThreshold: 1, isFailure: { !($0 is Boom) })
        let fixture = Fixture(breaker)
        for _ in 0..<5 { #expect(await fixture.call(-1) == .stateFailed) }
        #expect(breaker.state == .closed)
    }

    @Test("one breaker shared by two runnables adds up their failures and refuses both")
    func shared() async throws {
        let clock = ManualClock()
        let breaker = CircuitBreaker("LLM", failureThreshold: 2)
        let calls = Counter()
        let plan = Orchestration(Self.model("Plan", calls: calls).circuitBreaker(breaker), options: .init(clock: clock))
        let write = Orchestration(
            Self.model("Write", calls: calls).circuitBreaker(breaker), options: .init(clock: clock))
        #expect(await plan.start(-1).result.orchestrationError?.code == .stateFailed)
        #expect(await write.start(-1).result.orchestrationError?.code == .stateFailed)
        #expect(breaker.state == .open)
        let error = try #require(await plan.start(1).result.orchestrationError)
        #expect(error.code == .circuitOpen)
        #expect(calls.count == 2)
    }

    @Test("a run on another clock fails with invalidConfiguration; reset() lets the breaker start over")
    func anotherClock() async throws {
        let breaker = CircuitBreaker("LLM", failureThreshold: 1)
        let first = Fixture(breaker)
        #expect(await first.call(1) == nil)
        let second = Fixture(breaker)
        let error = try #require(await second.orchestration.start(1).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("a ManualClock, but state 'Model' runs on another ManualClock"))
        #expect(second.calls.count == 0)
        let continuous = try #require(
            await Orchestration(Self.model(calls: Counter()).circuitBreaker(breaker)).start(1).result.orchestrationError
        )
        #expect(continuous.message.contains("runs on a ContinuousClock"))
        breaker.reset()
        #expect(await second.call(1) == nil)
    }

    @Test(
        "a setting it cannot run with fails every call with invalidConfiguration, naming the setting",
        arguments: [
            (CircuitBreaker("A", failureThreshold: 0), "failureThreshold 0; it must be at least 1"),
            (CircuitBreaker("B", probes: 0), "probes 0; it must be at least 1"),
            (CircuitBreaker("C", window: .zero), "window 0.0 seconds; it must be more than zero"),
            (CircuitBreaker("D", coolDown: .seconds(-1)), "coolDown -1.0 seconds; it must not be negative"),
        ])
    func invalidSettings(breaker: CircuitBreaker, problem: String) async throws {
        let fixture = Fixture(breaker)
        let error = try #require(await fixture.orchestration.start(1).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message == "the circuit breaker '\(breaker.name)' has \(problem)")
        #expect(fixture.calls.count == 0)
    }
}
