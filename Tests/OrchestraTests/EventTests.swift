import Foundation
import Orchestra
import OrchestraTesting
import Synchronization
import Testing

@Suite("Events")
struct EventTests {
    /// A three-state machine: a emits a chunk, b converts, c is the exit.
    static func machine() -> Orchestration<Int, Int> {
        let a = Runnable<Int, Int>("a") { n, context in
            context.emit("token-1")
            context.emit(42)
            return n + 1
        }
        let b = Describe(name: "b")
        let c = lengthOf("c")
        a.advance(to: b)
        b.advance(to: c)
        return Orchestration(start: a, exit: c)
    }

    static let expectedKinds = [
        "runStarted",
        "stateStarted", "chunk", "chunk", "stateCompleted", "transition",
        "stateStarted", "stateCompleted", "transition",
        "stateStarted", "stateCompleted",
        "runCompleted",
    ]

    @Test("a run's events arrive in order, each with the run id, the step and the state")
    func order() async throws {
        let handle = Self.machine().start(1)
        var events: [OrchestrationEvent] = []
        for await event in handle.events { events.append(event) }
        #expect(events.map(\.kind.name) == Self.expectedKinds)
        #expect(events.allSatisfy { $0.runID == handle.id })
        #expect(events.map(\.step) == [0, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        #expect(events.map(\.state) == ["a", "a", "a", "a", "a", "a", "b", "b", "b", "c", "c", "c"])
        let transitions = events.compactMap { event -> String? in
            if case .transition(let next) = event.kind { return "\(event.state)→\(next)" }
            return nil
        }
        #expect(transitions == ["a→b", "b→c"])
        #expect(events[2].chunk(as: String.self) == "token-1")
        #expect(events[3].chunk(as: Int.self) == 42)
        #expect(events.last?.isTerminal == true)
        #expect(events.last?.record?.statesVisited == ["a", "b", "c"])
        // Timestamps never go backwards within a run.
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
    }

    @Test("several readers of one run each see every event, even when they start after the run ended")
    func replay() async throws {
        let handle = Self.machine().start(1)
        _ = await handle.result
        async let first = handle.events.reduce(into: [String]()) { $0.append($1.kind.name) }
        async let second = handle.events.reduce(into: [String]()) { $0.append($1.kind.name) }
        #expect(await first == Self.expectedKinds)
        #expect(await second == Self.expectedKinds)
    }

    @Test("hooks receive every event of every run, in order per run")
    func hooks() async throws {
        let orchestration = Self.machine()
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handles = (0..<50).map { orchestration.start($0) }
        for handle in handles { _ = await handle.result }
        await orchestration.waitForHooks()
        for handle in handles {
            #expect(recorder.kinds(of: handle.id) == Self.expectedKinds)
        }
        _ = try await orchestration.run(1)
        await orchestration.waitForHooks()
        #expect(recorder.events.count == 51 * Self.expectedKinds.count)
    }

    @Test("the all-runs stream delivers events of runs started after iteration began")
    func allRunsStream() async throws {
        let orchestration = Self.machine()
        var iterator = orchestration.events.makeAsyncIterator()
        let first = try await orchestration.run(1)
        let second = try await orchestration.run(2)
        #expect(first == "value 2".count && second == "value 3".count)
        var kinds: [String] = []
        var ended = 0
        while ended < 2, let event = await iterator.next() {
            kinds.append(event.kind.name)
            if event.isTerminal { ended += 1 }
        }
        #expect(kinds == Self.expectedKinds + Self.expectedKinds)
    }

    @Test("a slow hook neither stalls the run nor loses events for itself or other subscribers")
    func slowHook() async throws {
        let orchestration = Self.machine()
        let gate = Mutex(false)
        let slowSeen = Counter()
        orchestration.onEvent { _ in
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
            slowSeen.increment()
        }
        let fast = EventRecorder()
        let fastSubscription = fast.attach(to: orchestration)
        // The runs complete while the slow hook has not handled a single event.
        for n in 0..<20 { _ = try await orchestration.run(n) }
        #expect(slowSeen.count == 0)
        await fastSubscription.waitUntilDelivered()
        #expect(fast.events.count == 20 * Self.expectedKinds.count)
        gate.withLock { $0 = true }
        await orchestration.waitForHooks()
        #expect(slowSeen.count == 20 * Self.expectedKinds.count)
    }

    @Test(
        "a hook that throws is reported, keeps receiving events, and does not affect the run",
        arguments: [false, true])
    func throwingHook(awaits: Bool) async throws {
        let failures = Mutex<[HookFailure]>([])
        let options = OrchestrationOptions(onHookFailure: { failure in failures.withLock { $0.append(failure) } })
        let a = Add(1, name: "a")
        let orchestration = Orchestration(a, options: options)
        let seen = Counter()
        // The closure form, awaiting between events, and the synchronous form.
        if awaits {
            orchestration.onEvent { event in
                await Task.yield()
                seen.increment()
                if case .stateStarted = event.kind { throw Boom(reason: "hook bug") }
            }
        } else {
            orchestration.onEvent(
                .synchronous { event in
                    seen.increment()
                    if case .stateStarted = event.kind { throw Boom(reason: "hook bug") }
                })
        }
        #expect(try await orchestration.run(1) == 2)
        #expect(try await orchestration.run(2) == 3)
        await orchestration.waitForHooks()
        #expect(seen.count == 8)  // runStarted, stateStarted, stateCompleted, runCompleted × 2
        let reported = failures.withLock { $0 }
        #expect(reported.count == 2)
        #expect(
            reported.allSatisfy { ($0.error as? Boom)?.reason == "hook bug" && $0.event.kind.name == "stateStarted" })
    }

    @Test(
        "the events a hook handled are freed once it is idle or removed: a chunk's value does not outlive its run",
        arguments: [false, true])
    func handledEventsAreFreed(removeHook: Bool) async throws {
        let watched = Mutex<[WeakPayload<Payload>]>([])
        let emitter = Runnable<Int, Int>("emitter") { n, context in
            let payload = Payload()
            watched.withLock { $0.append(WeakPayload(payload)) }
            context.emit(payload)
            return n
        }
        let orchestration = Orchestration(emitter)
        let seen = Counter()
        let subscription = orchestration.onEvent { event in
            if event.chunk(as: Payload.self) != nil { seen.increment() }
        }
        for n in 0..<3 { _ = try await orchestration.run(n) }
        await subscription.waitUntilDelivered()
        #expect(seen.count == 3)
        // Removed at once, before the hook's task has gone idle; the subscription stays alive below.
        if removeHook { subscription.cancel() }
        let freed = await eventually { watched.withLock { $0.allSatisfy { $0.value == nil } } }
        #expect(freed, "a handled event still holds its chunk")
        withExtendedLifetime(subscription) {}
    }

    @Test("a synchronous hook receives every event of every run, in order, and can be removed")
    func synchronousHook() async throws {
        let orchestration = Self.machine()
        let recorded = Mutex<[OrchestrationEvent]>([])
        let subscription = orchestration.onEvent(.synchronous { event in recorded.withLock { $0.append(event) } })
        for n in 0..<5 { _ = try await orchestration.run(n) }
        await subscription.waitUntilDelivered()
        let events = recorded.withLock { $0 }
        #expect(events.count == 5 * Self.expectedKinds.count)
        for run in Set(events.map(\.runID)) {
            #expect(events.filter { $0.runID == run }.map(\.kind.name) == Self.expectedKinds)
        }
        subscription.cancel()
        _ = try await orchestration.run(9)
        await orchestration.waitForHooks()
        #expect(recorded.withLock { $0.count } == events.count)
    }

    @Test("a hook isolated to the main actor receives every event")
    func mainActorHook() async throws {
        let orchestration = Orchestration(Add(1))
        let seen = Counter()
        orchestration.onEvent { @MainActor event in
            MainActor.assertIsolated()
            seen.increment()
        }
        _ = try await orchestration.run(0)
        await orchestration.waitForHooks()
        #expect(seen.count == 4)  // runStarted, stateStarted, stateCompleted, runCompleted
    }

    @Test("a cancelled hook stops receiving events")
    func cancelHook() async throws {
        let orchestration = Orchestration(Add(1))
        let seen = Counter()
        let subscription = orchestration.onEvent { _ in seen.increment() }
        _ = try await orchestration.run(0)
        await subscription.waitUntilDelivered()
        let before = seen.count
        #expect(before == 4)
        subscription.cancel()
        _ = try await orchestration.run(0)
        await orchestration.waitForHooks()
        #expect(seen.count == before)
    }

    @Test("failures and cancellations are events too: state failed, then run failed with the record")
    func failureEvents() async throws {
        let bad = Runnable<Int, Int>("Bad") { _, _ in throw Boom(reason: "no") }
        let handle = Orchestration(bad).start(0)
        var events: [OrchestrationEvent] = []
        for await event in handle.events { events.append(event) }
        #expect(events.map(\.kind.name) == ["runStarted", "stateStarted", "stateFailed", "runFailed"])
        guard case .runFailed(let error, let record) = events.last?.kind else {
            Issue.record("expected runFailed")
            return
        }
        #expect(error.code == .stateFailed)
        #expect(record.statesVisited == ["Bad"])
        #expect(record.status == .failed)
    }

    @Test("timestamps and durations come from the orchestration's clock")
    func manualClockTimes() async throws {
        let clock = ManualClock()
        let slow = sleeping("Slow", for: .seconds(5))
        let fast = Add(1, name: "Fast")
        slow.advance(to: fast)
        let handle = Orchestration(start: slow, exit: fast, options: .init(clock: clock)).start(0)
        await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        #expect(try await handle.value == 1)
        let record = await handle.record
        #expect(record.steps.map(\.duration) == [.seconds(5), .zero])
        #expect(record.steps.map(\.start) == [.zero, .seconds(5)])
        #expect(record.duration == .seconds(5))
        var completed: [Duration] = []
        for await event in handle.events {
            if case .stateCompleted(let duration) = event.kind { completed.append(duration) }
        }
        #expect(completed == [.seconds(5), .zero])
    }

    @Test("a run record is Codable: it round-trips through JSON with durations in seconds")
    func recordJSON() async throws {
        let clock = ManualClock()
        let wait = Runnable<Int, Int>("Wait") { n, context in
            try await Task.sleep(for: .milliseconds(1500), clock: context.clock)
            return n
        }
        let after = Add(1, name: "After")
        wait.advance(to: after, label: "always")
        let handle = Orchestration(start: wait, exit: after, options: .init(clock: clock)).start(0)
        await clock.waitForSleepers(1)
        clock.advance(by: .milliseconds(1500))
        let record = await handle.record
        let data = try JSONEncoder().encode(record)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["status"] as? String == "completed")
        #expect(object["duration"] as? Double == 1.5)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.first?["duration"] as? Double == 1.5)
        #expect(steps.first?["next"] as? String == "After")
        #expect(steps.first?["label"] as? String == "always")
        let decoded = try JSONDecoder().decode(RunRecord.self, from: data)
        #expect(decoded == record)
    }

    @Test("with records off and nobody listening, a run still completes and returns its output")
    func quietRun() async throws {
        let orchestration = Orchestration(Add(2), options: .init(recordsRuns: false))
        #expect(try await orchestration.run(1) == 3)
    }

    @Test("events shared by two hooks and the run's log stay whole while any holds them, and are freed after")
    func sharedEventsAreFreedOnce() async throws {
        // The error of the failing state reaches every subscriber inside two events (state failed, run failed):
        // the last hook's queue takes each transition's events by move, the other hook and the log copy them.
        let watched = Mutex<WeakPayload<Payload>?>(nil)
        let failing = Runnable<Int, Int>("failing") { _, _ in
            let payload = Payload()
            watched.withLock { $0 = WeakPayload(payload) }
            throw PayloadError(payload: payload)
        }
        let orchestration = Orchestration(failing)
        let seen = (first: Counter(), second: Counter())
        for counter in [seen.first, seen.second] {
            orchestration.onEvent(
                .synchronous { event in
                    if case .stateFailed(let error) = event.kind, error.underlying is PayloadError {
                        counter.increment()
                    }
                })
        }
        var handle: RunHandle<Int>? = orchestration.start(1)
        guard case .failure = await handle?.result else { throw Boom(reason: "the run did not fail") }
        await orchestration.waitForHooks()
        #expect(seen.first.count == 1 && seen.second.count == 1)
        // The log's copies are intact after both hooks handled theirs.
        do {
            var logged: [OrchestrationEvent] = []
            if let events = handle?.events {
                for await event in events { logged.append(event) }
            }
            let payloads = logged.compactMap { event -> Payload? in
                guard case .stateFailed(let error) = event.kind else { return nil }
                return (error.underlying as? PayloadError)?.payload
            }
            #expect(payloads.count == 1 && payloads.first === watched.withLock { $0?.value })
        }
        handle = nil
        let freed = await eventually { watched.withLock { $0?.value == nil } }
        #expect(freed, "an event still holds the failure's payload")
    }

    @Test("chunks emitted after the run ended are dropped, not delivered after the terminal event")
    func lateChunks() async throws {
        let escaped = Mutex<RunContext?>(nil)
        let state = Runnable<Int, Int>("Leaky") { n, context in
            escaped.withLock { $0 = context }
            return n
        }
        let orchestration = Orchestration(state)
        let recorder = EventRecorder()
        recorder.attach(to: orchestration)
        let handle = orchestration.start(0)
        _ = await handle.result
        escaped.withLock { $0 }?.emit("too late")
        await orchestration.waitForHooks()
        #expect(recorder.kinds(of: handle.id).last == "runCompleted")
        #expect(!recorder.kinds(of: handle.id).contains("chunk"))
    }
}

/// A chunk whose lifetime the tests watch.
final class Payload: Sendable {}

/// Holds an object without keeping it alive.
struct WeakPayload<Value: AnyObject & Sendable>: Sendable {
    weak var value: Value?
    init(_ value: Value) { self.value = value }
}

/// An error that carries a payload whose lifetime the tests watch.
struct PayloadError: Error {
    let payload: Payload
}
