import Orchestra
import OrchestraTesting
import Testing

@Suite("Composition: fan-out and join in a machine")
struct FanOutTests {
    @Test("advance(toAll:join:) runs the branches at once and the join receives their outputs in listed order")
    func tupleJoin() async throws {
        let clock = ManualClock()
        let fetch = Add(1, name: "Fetch")
        let slow = Runnable<Int, String>("Slow") { n, context in
            try await Task.sleep(for: .seconds(2), clock: context.clock)
            return "slow \(n)"
        }
        let fast = Runnable<Int, Int>("Fast") { n, context in
            try await Task.sleep(for: .seconds(1), clock: context.clock)
            return n * 10
        }
        let join = Runnable<(String, Int), String>("Join") { pair, _ in "\(pair.0) + \(pair.1)" }
        fetch.advance(toAll: slow, fast, join: join)
        let orchestration = Orchestration(start: fetch, exit: join, options: .init(clock: clock))
        #expect(orchestration.validate().isEmpty)
        let handle = orchestration.start(1)
        await clock.waitForSleepers(2)  // both branches asleep at once
        clock.advance(by: .seconds(2))
        #expect(try await handle.value == "slow 2 + 20")
        let record = await handle.record
        #expect(record.transitions.map { "\($0.from)->\($0.to)" } == ["Fetch->Fetch fan-out", "Fetch fan-out->Join"])
        #expect(record.steps.first { $0.state == "Fast" }?.path.description == "Fetch fan-out[1]/Fast")
        #expect(record.steps.last?.state == "Join")
        #expect(record.steps.last?.step == 5)
    }

    @Test("the array form joins any number of branches, in the order of the array")
    func arrayJoin() async throws {
        let start = Add(0, name: "Start")
        let branches = (0..<100).map { index in Runnable<Int, Int>("B\(index)") { n, _ in n + index } }
        let join = Runnable<[Int], Int>("Sum") { values, _ in
            guard values == Array(0..<100) else { throw Boom(reason: "out of order: \(values.prefix(5))") }
            return values.reduce(0, +)
        }
        start.advance(toAll: branches, join: join, name: "Spread")
        let orchestration = Orchestration(start: start, exit: join)
        let handle = orchestration.start(0)
        #expect(try await handle.value == 4950)
        #expect(await handle.record.steps.count == 103)  // Start, Spread, 100 branches, Sum
    }

    @Test("a failing branch fails the run with an error naming it; the join does not run")
    func failingBranch() async throws {
        let joined = Counter()
        let fetch = Add(0, name: "Fetch")
        let good = Add(1, name: "Good")
        let bad = Runnable<Int, Int>("Bad") { _, _ async throws in throw Boom(reason: "down") }
        let join = Runnable<(Int, Int), Int>("Join") { pair, _ in
            joined.increment()
            return pair.0 + pair.1
        }
        fetch.advance(toAll: good, bad, join: join)
        let error = try #require(
            await Orchestration(start: fetch, exit: join).start(0).result.orchestrationError
        )
        #expect(error.code == .stateFailed)
        #expect(error.state == "Fetch fan-out[1]/Bad")
        #expect(joined.count == 0)
    }

    @Test("a fan-out with a condition is one advancer among others, tried in order")
    func conditionalFanOut() async throws {
        let start = Add(0, name: "Start")
        let join = Runnable<(Int, Int), Int>("Join") { pair, _ in pair.0 + pair.1 }
        let alone = Runnable<Int, Int>("Alone") { n, _ in -n }
        start.advance(toAll: Add(1), Add(2), join: join, when: { $0 > 0 })
        start.advance(to: alone)
        let big = Orchestration(start: start, exit: join, options: .init(validatesGraph: false))
        #expect(try await big.run(5) == 13)
        let small = Orchestration(start: start, exit: alone, options: .init(validatesGraph: false))
        #expect(try await small.run(0) == 0)
    }
}
