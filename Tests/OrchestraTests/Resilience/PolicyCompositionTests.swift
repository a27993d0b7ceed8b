import Orchestra
import OrchestraTesting
import Testing

@Suite("Resilience: policies together", .timeLimit(.minutes(1)))
struct PolicyCompositionTests {
    static let echo = Add(0, name: "Model")

    static let everySecond = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(1), multiplier: 1, jitter: .none)

    @Test("timeout inside retry limits each attempt: five 3-second attempts all run and fail")
    func timeoutInsideRetry() async throws {
        let clock = ManualClock()
        let model = Self.echo.injectingFaults(.delay(.seconds(3)), .failFirst(10))
        let handle = Orchestration(model.timeout(.seconds(8)).retry(Self.everySecond), options: .init(clock: clock))
            .start(1)
        // Each attempt sleeps 3 s (its timer would fire 8 s after it began), then the retry waits 1 s.
        for deadline in [3.0, 4, 7, 8, 11, 12, 15, 16, 19] { await advance(clock, toDeadlineAt: deadline) }
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.underlying as? InjectedFault == InjectedFault(state: "Model", call: 5))
        #expect(model.calls == 5)
    }

    @Test("timeout outside retry limits them all: the third attempt is cut short at 9.5 seconds")
    func timeoutOutsideRetry() async throws {
        let clock = ManualClock()
        let model = Self.echo.injectingFaults(.delay(.seconds(3)), .failFirst(10))
        let handle = Orchestration(model.retry(Self.everySecond).timeout(.seconds(9.5)), options: .init(clock: clock))
            .start(1)
        for deadline in [3.0, 4, 7, 8, 9.5] { await advance(clock, toDeadlineAt: deadline) }
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .timedOut)
        #expect(error.message.contains("timeout of 9.5 seconds"))
        #expect(model.calls == 3)
        #expect(model.running == 0)
        #expect(clock.sleeperCount == 0)
    }

    static let threeQuickAttempts = RetryPolicy(maxAttempts: 3, initialDelay: .zero, jitter: .none)

    @Test("breaker inside retry counts every attempt; then the retries meet the open breaker")
    func breakerInsideRetry() async throws {
        let breaker = CircuitBreaker("LLM", failureThreshold: 3)
        let model = Self.echo.injectingFaults(.failFirst(100))
        let orchestration = Orchestration(
            model.circuitBreaker(breaker).retry(Self.threeQuickAttempts), options: .init(clock: ManualClock()))
        let first = try #require(await orchestration.start(1).result.orchestrationError)
        #expect(first.code == .stateFailed)
        #expect(breaker.state == .open)
        let second = try #require(await orchestration.start(1).result.orchestrationError)
        #expect(second.code == .circuitOpen)
        #expect(model.calls == 3)
    }

    @Test("breaker outside retry counts one failure per call, after all its attempts")
    func breakerOutsideRetry() async throws {
        let breaker = CircuitBreaker("LLM", failureThreshold: 3)
        let model = Self.echo.injectingFaults(.failFirst(100))
        let orchestration = Orchestration(
            model.retry(Self.threeQuickAttempts).circuitBreaker(breaker), options: .init(clock: ManualClock()))
        for _ in 0..<2 { #expect(await orchestration.start(1).result.orchestrationError?.code == .stateFailed) }
        #expect(breaker.state == .closed)
        #expect(await orchestration.start(1).result.orchestrationError?.code == .stateFailed)
        #expect(breaker.state == .open)
        #expect(model.calls == 9)
    }

    @Test("an open breaker falls back to another provider without calling the first")
    func breakerThenFallback() async throws {
        let breaker = CircuitBreaker("OpenAI", failureThreshold: 2)
        let openAI = Runnable<Int, String>("OpenAI") { _, _ in "openai" }.injectingFaults(.failFirst(100))
        let claude = Runnable<Int, String>("Claude") { _, _ in "claude" }
        let answer = openAI.circuitBreaker(breaker).fallback(to: claude)
        let orchestration = Orchestration(answer, options: .init(clock: ManualClock()))
        for _ in 0..<3 { #expect(try await orchestration.run(1) == "claude") }
        #expect(openAI.calls == 2)
        #expect(breaker.state == .open)
    }

    @Test(
        "a rate limiter inside retry charges every attempt; outside, one permit covers them all",
        arguments: [true, false])
    func limiterAndRetry(inside: Bool) async throws {
        let clock = ManualClock()
        let limiter = RateLimiter("API", permits: 1, per: .seconds(10))
        let model = Self.echo.injectingFaults(.failFirst(2))
        let guarded =
            inside
            ? model.rateLimited(limiter).retry(Self.threeQuickAttempts)
            : model.retry(Self.threeQuickAttempts).rateLimited(limiter)
        let handle = Orchestration(guarded, options: .init(clock: clock)).start(4)
        if inside {
            for deadline in [10.0, 20] { await advance(clock, toDeadlineAt: deadline) }
        }
        #expect(try await handle.value == 4)
        #expect(model.calls == 3)
        #expect(clock.now.offset == (inside ? .seconds(20) : .zero))
    }

    @Test("every policy at once keeps the runnable's name and types, and a healthy call goes straight through")
    func allTogether() async throws {
        let model = Self.echo.injectingFaults()
        let guarded =
            model
            .timeout(.seconds(5))
            .retry(RetryPolicy())
            .circuitBreaker(CircuitBreaker("LLM"))
            .rateLimited(RateLimiter("API", permits: 10, per: .seconds(1)))
            .bulkhead(maxConcurrent: 2)
            .fallback(to: Runnable("Backup") { n, _ in -n })
        #expect(guarded.name == "Model")
        let next = Describe(name: "Describe")
        guarded.advance(to: next)
        #expect(try await Orchestration(start: guarded, exit: next).run(3) == "value 3")
        #expect(model.calls == 1)
    }
}
