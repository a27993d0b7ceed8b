import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Resilience: retry", .timeLimit(.minutes(1)))
struct RetryTests {
    /// A state that fails its first `failures` calls with `Boom`, then returns its input plus 1.
    final class Flaky: Runnable<Int, Int>, @unchecked Sendable {
        let failures: Int
        let calls = Counter()
        let inputs = Mutex<[Int]>([])

        init(failing failures: Int) {
            self.failures = failures
            super.init(name: "Flaky")
        }

        override func invoke(_ input: Int, context: RunContext) async throws -> Int {
            calls.increment()
            inputs.withLock { $0.append(input) }
            if calls.count <= failures { throw Boom(reason: "call \(calls.count)") }
            return input + 1
        }
    }

    /// Advances the clock through each retry's wait as it begins, returning the waits seen.
    static func driveRetries(_ clock: ManualClock, count: Int) async -> [Duration] {
        var waits: [Duration] = []
        for _ in 0..<count {
            await clock.waitForSleepers(1)
            let before = clock.now
            let next = clock.nextDeadline ?? before
            waits.append(before.duration(to: next))
            clock.advance(to: next)
        }
        return waits
    }

    @Test("a state that fails twice succeeds on the third attempt, after exponential waits on the run's clock")
    func retriesWithBackoff() async throws {
        let clock = ManualClock()
        let flaky = Flaky(failing: 2)
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(100), jitter: .none)
        let orchestration = Orchestration(flaky.retry(policy), options: .init(clock: clock))
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start(1)
        let waits = await Self.driveRetries(clock, count: 2)
        #expect(try await handle.value == 2)
        #expect(flaky.calls.count == 3)
        #expect(waits == [.milliseconds(100), .milliseconds(200)])
        await orchestration.waitForHooks()
        let retries = recorder.events(of: handle.id).compactMap { event -> String? in
            guard case .retrying(let attempt, let delay, let error) = event.kind else { return nil }
            return "\(event.state) \(attempt) \(delay) \(error)"
        }
        #expect(retries == ["Flaky 2 0.1 seconds boom: call 1", "Flaky 3 0.2 seconds boom: call 2"])
    }

    @Test("the backoff grows by the multiplier and stops at maxDelay")
    func backoffIsCapped() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 3, maxDelay: .seconds(20), jitter: .none)
        #expect((2...6).map { policy.delay(beforeAttempt: $0) } == [1, 3, 9, 20, 20].map { Duration.seconds($0) })
    }

    @Test("full jitter waits between zero and the backoff delay, as the random source says")
    func fullJitterBounds() {
        let draws = Mutex([0.0, 0.25, 1.0, 0.5])
        let policy = RetryPolicy(
            initialDelay: .seconds(2), jitter: .full, random: { draws.withLock { $0.removeFirst() } })
        #expect(policy.delay(beforeAttempt: 2) == .zero)
        #expect(policy.delay(beforeAttempt: 2) == .milliseconds(500))
        #expect(policy.delay(beforeAttempt: 3) == .seconds(4))
        #expect(policy.delay(beforeAttempt: 4) == .seconds(4))
    }

    @Test("when every attempt fails, the state fails with the last error after maxAttempts calls")
    func exhausted() async throws {
        let clock = ManualClock()
        let flaky = Flaky(failing: 10)
        let policy = RetryPolicy(maxAttempts: 4, initialDelay: .seconds(1), jitter: .none)
        let handle = Orchestration(flaky.retry(policy), options: .init(clock: clock)).start(0)
        _ = await Self.driveRetries(clock, count: 3)
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "Flaky")
        #expect(error.underlying as? Boom == Boom(reason: "call 4"))
        #expect(flaky.calls.count == 4)
    }

    @Test("an error the policy does not call retryable fails the state at once")
    func notRetryable() async throws {
        let flaky = Flaky(failing: 1)
        let policy = RetryPolicy(maxAttempts: 5, isRetryable: { !($0 is Boom) })
        let error = try #require(await Orchestration(flaky.retry(policy)).start(0).result.orchestrationError)
        #expect(error.underlying as? Boom == Boom(reason: "call 1"))
        #expect(flaky.calls.count == 1)
    }

    @Test("adjust makes each retry's input from the last input, its error and the failed attempt")
    func adjustedInput() async throws {
        let clock = ManualClock()
        let flaky = Flaky(failing: 2)
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: .seconds(1), jitter: .none)
        let retried = flaky.retry(policy) { input, _, attempt in input * 10 + attempt }
        let handle = Orchestration(retried, options: .init(clock: clock)).start(1)
        _ = await Self.driveRetries(clock, count: 2)
        #expect(try await handle.value == 113)
        #expect(flaky.inputs.withLock { $0 } == [1, 11, 112])
    }

    @Test("cancelling the run during a backoff wait ends it at once, with no further attempt")
    func cancelDuringWait() async throws {
        let clock = ManualClock()
        let flaky = Flaky(failing: 10)
        let policy = RetryPolicy(maxAttempts: 5, initialDelay: .seconds(60), jitter: .none)
        let handle = Orchestration(flaky.retry(policy), options: .init(clock: clock)).start(0)
        await clock.waitForSleepers(1)
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(flaky.calls.count == 1)
    }

    @Test("a retried runnable keeps its name and types, and advancers on it lead on")
    func keepsShape() async throws {
        let first = Flaky(failing: 0).retry(RetryPolicy())
        let next = Describe(name: "Next")
        first.advance(to: next)
        #expect(first.name == "Flaky")
        #expect(try await Orchestration(start: first, exit: next).run(1) == "value 2")
    }

    @Test("a maxAttempts below 1 fails the state with invalidConfiguration before any attempt")
    func invalidPolicy() async throws {
        let flaky = Flaky(failing: 0)
        let error = try #require(
            await Orchestration(flaky.retry(RetryPolicy(maxAttempts: 0))).start(0).result.orchestrationError
        )
        #expect(error.code == .invalidConfiguration)
        #expect(flaky.calls.count == 0)
    }
}
