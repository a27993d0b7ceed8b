import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Resilience: rate limiter", .timeLimit(.minutes(1)))
struct RateLimiterTests {
    static let echo = Add(0, name: "Call")

    /// Starts `count` runs at once through `limiter` on a manual clock, lets them all reach it, then runs
    /// the clock to the end. Returns when each call started (its wait, as the throttled events say), sorted.
    static func starts(_ count: Int, through limiter: RateLimiter) async throws -> [Duration] {
        let clock = ManualClock()
        let call = echo.injectingFaults()
        let orchestration = Orchestration(call.rateLimited(limiter), options: .init(clock: clock))
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handles = (0..<count).map { orchestration.start($0) }
        // Every call either started at once or is asleep until its turn.
        #expect(await eventually { call.calls + clock.sleeperCount == count })
        clock.advance(by: .seconds(3600))
        for handle in handles { _ = try await handle.value }
        await orchestration.waitForHooks()
        return handles.map { handle in
            recorder.events(of: handle.id).lazy.compactMap { event -> Duration? in
                if case .throttled(_, let wait) = event.kind { return wait }
                return nil
            }.first ?? .zero
        }.sorted()
    }

    /// The most starts within any stretch of `length`, beginning at a start.
    static func busiest(_ starts: [Duration], over length: Duration) -> Int {
        starts.indices.map { i in starts[i...].prefix { $0 < starts[i] + length }.count }.max() ?? 0
    }

    @Test("with the default burst of 1, calls are spaced evenly: never more than `permits` per interval")
    func evenSpacing() async throws {
        let starts = try await Self.starts(10, through: RateLimiter("API", permits: 2, per: .seconds(1)))
        #expect(starts == (0..<10).map { Duration.milliseconds(500 * $0) })
        #expect(Self.busiest(starts, over: .seconds(1)) == 2)
    }

    @Test("a burst starts at once on a full bucket, then calls come at the rate")
    func burst() async throws {
        let starts = try await Self.starts(5, through: RateLimiter("API", permits: 1, per: .seconds(1), burst: 3))
        #expect(starts == [.zero, .zero, .zero, .seconds(1), .seconds(2)])
    }

    @Test("1,000 calls at 100 per second with bursts of 10 keep to the rate in every window")
    func thousandCalls() async throws {
        let starts = try await Self.starts(1000, through: RateLimiter("API", permits: 100, per: .seconds(1), burst: 10))
        #expect(starts.count == 1000)
        #expect(starts.prefix(10).allSatisfy { $0 == .zero })
        #expect(starts.last == .milliseconds(9900))
        #expect(Self.busiest(starts, over: .seconds(1)) <= 110)
        #expect(Self.busiest(Array(starts.dropFirst(10)), over: .seconds(1)) == 100)
    }

    @Test("an interval that permits do not divide evenly is rounded so that they never fit in less than it")
    func roundedSpacing() async throws {
        let starts = try await Self.starts(7, through: RateLimiter("API", permits: 3, per: .seconds(1)))
        #expect(Self.busiest(starts, over: .seconds(1)) == 3)
        #expect(starts[3] >= .seconds(1))
    }

    @Test("a burst meant as no limit lets every call through at once, without overflowing")
    func hugeBurst() async throws {
        let starts = try await Self.starts(
            5, through: RateLimiter("API", permits: 1, per: .seconds(3600), burst: .max))
        #expect(starts == Array(repeating: .zero, count: 5))
    }

    @Test("a permit reserved before reset() is not given back to the bucket after it")
    func resetForgetsOldReservations() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter("API", permits: 1, per: .seconds(10))
        let orchestration = Orchestration(Self.echo.rateLimited(limiter), options: .init(clock: clock))
        #expect(try await orchestration.run(1) == 1)
        let old = orchestration.start(2)  // reserves the permit due at 10 s
        await clock.waitForSleepers(1)
        limiter.reset()
        #expect(try await orchestration.run(3) == 3)  // a full bucket again
        let next = orchestration.start(4)  // reserves the permit due at 10 s of the new schedule
        await clock.waitForSleepers(2)
        old.cancel()
        _ = await old.result
        let last = orchestration.start(5)
        await clock.waitForSleepers(2)
        #expect(clock.nextDeadline == .init(offset: .seconds(10)))
        // The last waits for the permit after the one at 10 s, not for the one the cancelled run gave up.
        clock.advance(by: .seconds(10))
        #expect(try await next.value == 4)
        #expect(clock.sleeperCount == 1)
        #expect(clock.nextDeadline == .init(offset: .seconds(20)))
        clock.advance(by: .seconds(10))
        #expect(try await last.value == 5)
    }

    @Test("the bucket refills after a quiet spell, up to the burst")
    func refills() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter("API", permits: 1, per: .seconds(1), burst: 2, maxWait: .zero)
        let orchestration = Orchestration(Self.echo.rateLimited(limiter), options: .init(clock: clock))
        let outcomes = { (count: Int) async -> [OrchestrationError.Code?] in
            var codes: [OrchestrationError.Code?] = []
            for n in 0..<count { codes.append(await orchestration.start(n).result.orchestrationError?.code) }
            return codes
        }
        #expect(await outcomes(3) == [nil, nil, .rejected])
        clock.advance(by: .seconds(1))
        #expect(await outcomes(2) == [nil, .rejected])
        clock.advance(by: .seconds(60))
        #expect(await outcomes(3) == [nil, nil, .rejected])
    }

    @Test("a call that would wait longer than maxWait is rejected at once, naming the limiter and the wait")
    func maxWait() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter("search API", permits: 1, per: .seconds(1), maxWait: .seconds(2))
        let orchestration = Orchestration(Self.echo.rateLimited(limiter), options: .init(clock: clock))
        let waiting = (0..<3).map { orchestration.start($0) }
        await clock.waitForSleepers(2)
        let error = try #require(await orchestration.start(3).result.orchestrationError)
        #expect(error.code == .rejected)
        #expect(
            error.message
                == "the rate limiter 'search API' (1 per 1.0 seconds, burst 1) has no permit for state 'Call' for "
                + "another 3.0 seconds, longer than its maxWait of 2.0 seconds, so the state did not run; raise maxWait, or "
                + "retry after that wait")
        clock.advance(by: .seconds(2))
        for handle in waiting { _ = try await handle.value }
    }

    @Test("cancelling a waiting run ends its wait at once and gives its permit back")
    func cancelWhileWaiting() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter("API", permits: 1, per: .seconds(10))
        let orchestration = Orchestration(Self.echo.rateLimited(limiter), options: .init(clock: clock))
        #expect(try await orchestration.run(1) == 1)
        let waiting = orchestration.start(2)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .init(offset: .seconds(10)))
        waiting.cancel()
        #expect(try #require(await waiting.result.orchestrationError).code == .cancelled)
        #expect(clock.sleeperCount == 0)
        let next = orchestration.start(3)
        await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .init(offset: .seconds(10)))  // not 20: the permit came back
        clock.advance(by: .seconds(10))
        #expect(try await next.value == 3)
    }

    @Test(
        "a setting it cannot run with fails every call with invalidConfiguration, naming the setting",
        arguments: [
            (RateLimiter("A", permits: 0, per: .seconds(1)), "permits 0; it must be at least 1"),
            (RateLimiter("B", permits: 1, per: .seconds(1), burst: 0), "burst 0; it must be at least 1"),
            (RateLimiter("C", permits: 1, per: .zero), "interval 0.0 seconds; it must be more than zero"),
            (
                RateLimiter("D", permits: 1, per: .seconds(1), maxWait: .seconds(-1)),
                "maxWait -1.0 seconds; it must not be negative"
            ),
        ])
    func invalidSettings(limiter: RateLimiter, problem: String) async throws {
        let error = try #require(await Orchestration(Self.echo.rateLimited(limiter)).start(1).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message == "the rate limiter '\(limiter.name)' has \(problem)")
    }

    @Test("a run on another clock fails with invalidConfiguration")
    func anotherClock() async throws {
        let limiter = RateLimiter("API", permits: 10, per: .seconds(1))
        _ = try await Orchestration(Self.echo.rateLimited(limiter), options: .init(clock: ManualClock())).run(1)
        let error = try #require(await Orchestration(Self.echo.rateLimited(limiter)).start(1).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("the rate limiter 'API' measures time on the clock of the first run"))
    }
}
