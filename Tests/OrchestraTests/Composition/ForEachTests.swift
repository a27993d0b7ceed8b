import Orchestra
import OrchestraTesting
import Testing

// An element that misses its cancellation would sleep for an hour: fail the test instead.
@Suite("Composition: ForEach", .timeLimit(.minutes(1)))
struct ForEachTests {
    @Test("outputs keep the input's order though elements finish out of order")
    func orderKept() async throws {
        let body = Runnable<Int, String>("Show") { n, _ in
            for _ in 0..<((n * 7) % 11) { await Task.yield() }  // scrambles the finishing order
            return "#\(n)"
        }
        let handle = Orchestration(ForEach(body, maxConcurrency: 5)).start(Array(0..<40))
        #expect(try await handle.value == (0..<40).map { "#\($0)" })
        let record = await handle.record
        #expect(Set(record.steps.dropFirst().map(\.path.description)) == Set((0..<40).map { "ForEach[\($0)]/Show" }))
        #expect(record.steps.map(\.step) == Array(1...41))
    }

    @Test("never more than maxConcurrency elements in flight, and the bound is reached", arguments: [1, 3, 8])
    func concurrencyBound(_ limit: Int) async throws {
        let clock = ManualClock()
        let inFlight = InFlight()
        let body = Runnable<Int, Int>("Wait") { n, context in
            inFlight.enter()
            defer { inFlight.leave() }
            try await Task.sleep(for: .seconds(1), clock: context.clock)
            return n * 2
        }
        let orchestration = Orchestration(ForEach(body, maxConcurrency: limit), options: .init(clock: clock))
        let handle = orchestration.start(Array(0..<20))
        var finished = 0
        while finished < 20 {
            // Every worker is asleep on the clock: as many as the bound allows, or all that are left.
            let expected = min(limit, 20 - finished)
            await clock.waitForSleepers(expected)
            #expect(clock.sleeperCount == expected)
            // A worker just woken may not have left yet; it leaves before taking another element.
            #expect(await eventually { inFlight.now == expected })
            clock.advance(by: .seconds(1))
            finished += expected
        }
        #expect(try await handle.value == (0..<20).map { $0 * 2 })
        #expect(inFlight.peak == limit)
    }

    @Test("fail fast: the first failure cancels the elements in flight, starts no more, and names its element")
    func failFast() async throws {
        let started = Counter()
        let ended = Counter()
        let body = Runnable<Int, Int>("Fetch") { n, _ in
            started.increment()
            defer { ended.increment() }
            if n == 3 {
                let othersStarted = await eventually { started.count >= 4 }
                guard othersStarted else { throw Boom(reason: "the others never started") }
                throw Boom(reason: "item \(n)")
            }
            try await Task.sleep(for: .seconds(3600))
            return n
        }
        let handle = Orchestration(ForEach(body, maxConcurrency: 4)).start(Array(0..<100))
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stateFailed)
        #expect(error.state == "ForEach[3]/Fetch")
        #expect(error.underlying as? Boom == Boom(reason: "item 3"))
        #expect(started.count == 4)  // the four in flight; none started after the failure
        #expect(ended.count == 4)  // and all of them ended before the run did
    }

    @Test("fail fast with a synchronous body stops at the failing element")
    func failFastSynchronous() async throws {
        let seen = Counter()
        let body = Runnable<Int, Int>("Check") { n, _ in
            seen.increment()
            if n == 5 { throw Boom(reason: "five") }
            return n
        }
        let error = try #require(
            await Orchestration(ForEach(body, maxConcurrency: 8)).start(Array(0..<10)).result.orchestrationError
        )
        #expect(error.state == "ForEach[5]/Check")
        #expect(seen.count == 6)
    }

    @Test("collecting runs every element and returns each one's outcome in order", arguments: [false, true])
    func collecting(_ asynchronous: Bool) async throws {
        let check: @Sendable (Int) throws -> Int = { n in
            if n % 3 == 0 { throw Boom(reason: "\(n)") }
            return n * 10
        }
        let body =
            asynchronous
            ? Runnable<Int, Int>("Check") { n, _ async throws in try check(n) }
            : Runnable<Int, Int>("Check") { n, _ in try check(n) }
        let results = try await Orchestration(ForEach(collecting: body, maxConcurrency: 3)).run(Array(0..<10))
        #expect(results.count == 10)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let value):
                #expect(index % 3 != 0 && value == index * 10)
            case .failure(let error):
                #expect(index % 3 == 0)
                #expect(error.state == "ForEach[\(index)]/Check")
                #expect(error.underlying as? Boom == Boom(reason: "\(index)"))
            }
        }
    }

    @Test("cancelling the run cancels the elements in flight, even when collecting, and none outlives it")
    func cancellation() async throws {
        let started = Counter()
        let ended = Counter()
        let body = sleepingUntilCancelled("Sleep", started: started, ended: ended)
        let handle = Orchestration(ForEach(collecting: body, maxConcurrency: 4)).start(Array(0..<50))
        #expect(await eventually { started.count == 4 })
        handle.cancel()
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .cancelled)
        #expect(started.count == 4)
        #expect(ended.count == 4)
    }

    @Test("an empty input gives an empty output, and no child runs")
    func emptyInput() async throws {
        let handle = Orchestration(ForEach(Add(1), maxConcurrency: 2)).start([])
        #expect(try await handle.value.isEmpty)
        #expect(await handle.record.steps.count == 1)
    }

    @Test("a maxConcurrency below 1 fails the state with invalidConfiguration, naming it")
    func invalidConcurrency() async throws {
        let each = ForEach(Add(1), maxConcurrency: 0, name: "Each")
        let error = try #require(await Orchestration(each).start([1, 2]).result.orchestrationError)
        #expect(error.code == .invalidConfiguration)
        #expect(error.state == "Each")
        #expect(error.message.contains("maxConcurrency 0"))
    }

    @Test("the step limit stops a collecting ForEach too: it is not an element's failure")
    func stepLimitWhenCollecting() async throws {
        let each = ForEach(collecting: Add(1), maxConcurrency: 3)
        let orchestration = Orchestration(each, options: .init(stepLimit: 5))
        let handle = orchestration.start(Array(0..<10))
        let error = try #require(await handle.result.orchestrationError)
        #expect(error.code == .stepLimitReached)
        #expect(error.state?.hasPrefix("ForEach[") == true)  // the element that hit it, not the ForEach after
        #expect(await handle.record.status == .failed)
    }

    @Test("elements count toward the step limit")
    func stepLimit() async throws {
        let orchestration = Orchestration(ForEach(Add(1), maxConcurrency: 1), options: .init(stepLimit: 5))
        let error = try #require(await orchestration.start(Array(0..<10)).result.orchestrationError)
        #expect(error.code == .stepLimitReached)
        #expect(error.state == "ForEach[4]/Add")
        #expect(error.message.contains("step limit of 5"))
    }
}
