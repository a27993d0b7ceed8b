import Testing

@testable import Orchestra

@Suite("Resilience: the policies' decisions, without a run")
struct PolicyStateTests {
    @Test("a bulkhead runs up to its limit, queues up to its queue, refuses the rest, and hands places over in order")
    func bulkheadDecisions() {
        var state = BulkheadState<String>(maxConcurrent: 2, maxQueued: 2)
        #expect(state.arrive(id: 0, "a") == .run)
        let second = state.enterIfFree()
        let third = state.enterIfFree()
        #expect(second)
        #expect(!third)
        #expect(state.arrive(id: 2, "c") == .wait)
        #expect(state.arrive(id: 3, "d") == .wait)
        #expect(state.arrive(id: 4, "e") == .reject(running: 2, queued: 2))
        #expect(state.cancel(id: 2) == "c")
        #expect(state.cancel(id: 2) == nil)
        #expect(state.leave() == "d")
        #expect(state.running == 2)
        #expect(state.leave() == nil)
        #expect(state.leave() == nil)
        #expect(state.running == 0)
        #expect(state.queued == 0)
    }

    @Test("a waiter arriving as a place frees runs at once rather than queue behind nobody")
    func bulkheadNoLostPlace() {
        var state = BulkheadState<Int>(maxConcurrent: 1, maxQueued: 5)
        let entered = state.enterIfFree()
        #expect(entered)
        #expect(state.leave() == nil)
        #expect(state.arrive(id: 1, 1) == .run)
    }

    @Test("the rate limiter's schedule: a burst at once, then one permit per spacing, refused past maxWait")
    func bucketSchedule() {
        var bucket = RateLimiterBucket(permits: 2, per: .seconds(1), burst: 2)
        #expect(bucket.take(at: .zero, maxWait: nil) == .start(wait: .zero, reservation: .milliseconds(500)))
        #expect(bucket.take(at: .zero, maxWait: nil) == .start(wait: .zero, reservation: .seconds(1)))
        #expect(
            bucket.take(at: .zero, maxWait: nil) == .start(wait: .milliseconds(500), reservation: .milliseconds(1500)))
        #expect(bucket.take(at: .zero, maxWait: .milliseconds(999)) == .refuse(wait: .seconds(1)))
        bucket.giveBack(.milliseconds(1500))
        #expect(
            bucket.take(at: .zero, maxWait: nil) == .start(wait: .milliseconds(500), reservation: .milliseconds(1500)))
        // After a quiet spell the bucket is full again, and no fuller.
        #expect(
            bucket.take(at: .seconds(10), maxWait: .zero) == .start(wait: .zero, reservation: .milliseconds(10_500)))
        #expect(bucket.take(at: .seconds(10), maxWait: .zero) == .start(wait: .zero, reservation: .seconds(11)))
        #expect(bucket.take(at: .seconds(10), maxWait: .zero) == .refuse(wait: .milliseconds(500)))
    }

    @Test(
        "the breaker machine opens at the threshold within the window, and only a probe's outcome counts while half-open"
    )
    func breakerMachine() {
        var machine = CircuitBreakerMachine(failureThreshold: 2, window: .seconds(10), coolDown: .seconds(5), probes: 1)
        guard case .run(let first, nil) = machine.admit(at: .zero) else {
            Issue.record("a closed breaker refused a call")
            return
        }
        #expect(machine.record(.failure, of: first, at: .zero) == nil)
        guard case .run(let second, nil) = machine.admit(at: .seconds(11)) else {
            Issue.record("a closed breaker refused its second call")
            return
        }
        #expect(machine.record(.failure, of: second, at: .seconds(11)) == nil)  // the first left the window
        guard case .run(let third, nil) = machine.admit(at: .seconds(12)) else {
            Issue.record("a closed breaker refused its third call")
            return
        }
        #expect(machine.record(.failure, of: third, at: .seconds(12)) == .open)
        #expect(machine.admit(at: .seconds(16)) == .refuseOpen(.failures(2), retryIn: .seconds(1)))
        guard case .run(let probe, .halfOpen) = machine.admit(at: .seconds(17)) else {
            Issue.record("no probe after the cool-down")
            return
        }
        #expect(machine.admit(at: .seconds(17)) == .refuseProbing)
        #expect(machine.record(.failure, of: third, at: .seconds(17)) == nil)  // from an earlier phase
        #expect(machine.record(.success, of: probe, at: .seconds(18)) == .closed)
    }
}
