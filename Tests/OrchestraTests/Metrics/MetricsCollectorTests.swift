import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

/// A sink that keeps what it receives, in order.
final class RecordingSink: MetricsSink {
    enum Received: Sendable, Hashable {
        case state(StateObservation)
        case run(RunObservation)
    }

    private let received = Mutex<[Received]>([])
    var all: [Received] { received.withLock { $0 } }
    var states: [StateObservation] { all.compactMap { if case .state(let s) = $0 { s } else { nil } } }
    var runs: [RunObservation] { all.compactMap { if case .run(let r) = $0 { r } else { nil } } }

    func record(_ state: StateObservation) { received.withLock { $0.append(.state(state)) } }
    func record(_ run: RunObservation) { received.withLock { $0.append(.run(run)) } }
}

@Suite("Metrics collector: runs folded in as they end, observations to sinks, resumed runs counted once")
struct MetricsCollectorTests {
    static func prices() throws -> PriceTable {
        try PriceTable([ModelPrice(model: "gpt-4o", input: 2.5, output: 10)])
    }

    /// Fetch (10 ms on the manual clock, 40/10 tokens of gpt-4o) → Write (30 ms, 5/5 tokens of no model).
    static func machine(_ clock: ManualClock) -> Orchestration<Int, Int> {
        let fetch = Runnable<Int, Int>("Fetch") { n, context in
            clock.advance(by: .milliseconds(10))
            context.recordTokens(TokenUsage(promptTokens: 40, completionTokens: 10), model: "gpt-4o")
            return n
        }
        let write = Runnable<Int, Int>("Write") { n, context in
            clock.advance(by: .milliseconds(30))
            context.recordTokens(TokenUsage(promptTokens: 5, completionTokens: 5))
            return n
        }
        fetch.advance(to: write)
        return Orchestration(start: fetch, exit: write, options: .init(clock: clock))
    }

    @Test("three runs: the sink gets each state then the run, with exact durations, tokens and costs")
    func sinkReceivesObservations() async throws {
        let clock = ManualClock()
        let orchestration = Self.machine(clock)
        let sink = RecordingSink()
        let metrics = try orchestration.collectMetrics(prices: Self.prices(), sinks: [sink])
        for n in 1...3 { _ = try await orchestration.run(n) }
        await orchestration.waitForHooks()

        #expect(sink.all.count == 9)
        #expect(
            sink.all.map { if case .run = $0 { "run" } else { "state" } }
                == Array(repeating: ["state", "state", "run"], count: 3).flatMap { $0 })
        #expect(sink.states.map(\.key) == ["Fetch", "Write", "Fetch", "Write", "Fetch", "Write"])
        #expect(
            sink.states.map(\.duration)
                == Array(repeating: [.milliseconds(10), .milliseconds(30)], count: 3).flatMap { $0 })
        let fetch = try #require(sink.states.first)
        #expect(fetch.tokensByModel == ["gpt-4o": TokenUsage(promptTokens: 40, completionTokens: 10)])
        #expect(fetch.cost == Decimal(string: "0.0002"))
        #expect(fetch.unpriced.isEmpty)
        let write = sink.states[1]
        #expect(write.cost == 0)
        #expect(write.unpriced == ["": TokenUsage(promptTokens: 5, completionTokens: 5)])
        #expect(sink.runs.map(\.status) == [.completed, .completed, .completed])
        #expect(sink.runs.map(\.duration) == [.milliseconds(40), .milliseconds(40), .milliseconds(40)])
        #expect(sink.runs.allSatisfy { $0.states == 2 && $0.resumedAt == nil && $0.cost == Decimal(string: "0.0002") })

        let snapshot = metrics.snapshot
        #expect(snapshot.runs == 3)
        #expect(snapshot.latency.p50 == .milliseconds(40))
        #expect(snapshot.states["Write"]?.latency.total == .milliseconds(90))
        #expect(snapshot.cost == Decimal(string: "0.0006"))
        #expect(snapshot.unpriced == ["": TokenUsage(promptTokens: 15, completionTokens: 15)])

        #expect(metrics.reset() == snapshot)
        #expect(metrics.snapshot.runs == 0)
        metrics.detach()
        _ = try await orchestration.run(4)
        await orchestration.waitForHooks()
        #expect(metrics.snapshot.runs == 0)
        #expect(sink.runs.count == 3)
    }

    @Test("the metrics print as a Markdown table: a row per state, one for the runs, unpriced tokens by model")
    func table() async throws {
        let clock = ManualClock()
        let orchestration = Self.machine(clock)
        let metrics = try orchestration.collectMetrics(prices: Self.prices())
        for n in 1...3 { _ = try await orchestration.run(n) }
        await orchestration.waitForHooks()
        #expect(
            metrics.snapshot.table == """
                3 runs: 3 completed, 0 failed, 0 cancelled, 0 suspended

                | State | Runs | Failed | Retries | p50 | p90 | p99 | Tokens in | Tokens out | Cost | Unpriced tokens |
                | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
                | Fetch | 3 | 0 | 0 | 10 ms | 10 ms | 10 ms | 120 | 30 | 0.0006 | 0 |
                | Write | 3 | 0 | 0 | 30 ms | 30 ms | 30 ms | 15 | 15 | 0 | 30 |
                | **all runs** | 3 | 0 | 0 | 40 ms | 40 ms | 40 ms | 135 | 45 | 0.0006 | 30 |

                Unpriced tokens by model: (no model) 30

                """)
    }

    @Test("a run suspended twice and resumed to its end: each part counted once, each state execution once")
    func resumedRunsAreNotDoubleCounted() async throws {
        let machine = ApprovalMachine()
        let orchestration = machine.orchestration(InMemoryCheckpointStore())
        let sink = RecordingSink()
        let metrics = try orchestration.collectMetrics(sinks: [sink])

        let id = try #require(try await orchestration.start("tides").outcome.suspension?.runID)
        _ = try await orchestration.resume(id, answering: machine.approve, with: .revise("moons"))
        let done = try await orchestration.resume(id, answering: machine.approve, with: .approve)
        #expect(done.output == "published on moons r2")
        await orchestration.waitForHooks()

        #expect(sink.runs.map(\.status) == [.suspended, .suspended, .completed])
        #expect(sink.runs.map(\.resumedAt) == [nil, 2, 4])
        #expect(sink.runs.map(\.states) == [1, 2, 2])
        #expect(sink.states.map(\.step) == [1, 2, 3, 4, 5])
        let snapshot = metrics.snapshot
        #expect(snapshot.runs == 3)
        #expect(snapshot.suspended == 2)
        #expect(snapshot.completed == 1)
        #expect(snapshot.states.mapValues(\.count) == ["Write": 2, "Approve": 2, "Publish": 1])
    }

    @Test("a failed run resumed: the failed attempt and the one that succeeds both count, the steps before once")
    func failedThenResumed() async throws {
        let broken = Mutex(true)
        let before = Runnable<String, String>("Before") { text, _ in text }
        let flaky = Runnable<String, String>("Flaky") { text, _ in
            if broken.withLock({ $0 }) { throw Boom(reason: "down") }
            return text
        }
        before.advance(to: flaky)
        let orchestration = Orchestration(
            start: before, exit: flaky, options: .init(checkpoints: InMemoryCheckpointStore()))
        let metrics = try orchestration.collectMetrics()
        let handle = orchestration.start("x")
        _ = await handle.result
        broken.withLock { $0 = false }
        _ = try await orchestration.resume(handle.id)
        await orchestration.waitForHooks()

        let snapshot = metrics.snapshot
        #expect(snapshot.failed == 1)
        #expect(snapshot.completed == 1)
        #expect(snapshot.states["Before"]?.count == 1)
        #expect(snapshot.states["Flaky"]?.count == 2)
        #expect(snapshot.states["Flaky"]?.failures == 1)
    }

    @Test("attaching to an orchestration that keeps no records is an error, not empty metrics")
    func recordsOff() throws {
        let state = Runnable<Int, Int>("Only") { n, _ in n }
        let silent = Orchestration(state, options: .init(recordsRuns: false))
        let error = #expect(throws: MetricsError.self) { try silent.collectMetrics() }
        #expect(error?.code == .recordsOff)
        #expect(error?.message.contains("recordsRuns") == true)
        // A checkpoint store keeps records whatever recordsRuns says.
        let durable = Orchestration(state, options: .init(recordsRuns: false, checkpoints: InMemoryCheckpointStore()))
        #expect(throws: Never.self) { try durable.collectMetrics() }
    }
}
