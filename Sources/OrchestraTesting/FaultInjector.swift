public import Orchestra
import Synchronization

extension Runnable {
    /// This runnable, with `faults` injected into its calls — to test how a machine copes with a model that
    /// fails, stalls or hangs.
    ///
    /// ```swift
    /// let search = Search().injectingFaults(.failFirst(2))
    /// let orchestration = Orchestration(search.retry(RetryPolicy(maxAttempts: 3)))
    /// _ = try await orchestration.run(query)
    /// #expect(search.calls == 3)
    /// ```
    ///
    /// On each call the faults act in order: a delay waits, a failure throws, a hang waits for cancellation;
    /// a call that no fault stops runs this runnable.
    ///
    /// - Parameter faults: What goes wrong, and on which calls.
    /// - Returns: A runnable with this one's name and types, which counts its calls.
    public func injectingFaults(_ faults: Fault...) -> FaultInjector<Input, Output> {
        FaultInjector(self, faults: faults)
    }
}

/// A runnable that injects ``Fault``s into the calls of another, and counts what happened; made by
/// ``Orchestra/Runnable/injectingFaults(_:)``.
public final class FaultInjector<Input: Sendable, Output: Sendable>: Runnable<Input, Output>, @unchecked Sendable {
    // @unchecked: the wrapped runnable and the faults are immutable; the counts are behind a Mutex.
    private let wrapped: Runnable<Input, Output>
    private let faults: [Fault]

    private struct State: Sendable {
        var calls = 0
        var running = 0
        var failed = 0
        var hanging = 0
        var hangs = 0
        var generators: [SeededGenerator?]
        var hangingWaiters = Waiters<Int>()
    }

    private let state: Mutex<State>

    init(_ wrapped: Runnable<Input, Output>, faults: [Fault]) {
        self.wrapped = wrapped
        self.faults = faults
        let generators = faults.map { fault -> SeededGenerator? in
            if case .probability(_, let seed) = fault.trigger { SeededGenerator(seed: seed) } else { nil }
        }
        state = Mutex(State(generators: generators))
        super.init(name: wrapped.name)
    }

    /// How many calls have begun.
    public var calls: Int { state.withLock { $0.calls } }
    /// How many calls are running now, hanging ones included: 0 once every run is over.
    public var running: Int { state.withLock { $0.running } }
    /// How many calls an injected failure ended.
    public var failed: Int { state.withLock { $0.failed } }
    /// How many calls hang now, waiting to be cancelled.
    public var hanging: Int { state.withLock { $0.hanging } }
    /// How many calls have begun to hang so far, the ones that have since been cancelled included.
    public var hangs: Int { state.withLock { $0.hangs } }

    /// Waits until at least `count` calls have begun to hang, counting from the first call — so a test can
    /// cancel, or advance the clock past a timeout, knowing the hang it expects has begun. Counting every
    /// hang so far, not those hanging now, the third hang of a retried call is `waitForHangs(3)` whether or
    /// not the second has finished unwinding. Returns early if the waiting task is cancelled.
    ///
    /// - Parameter count: The number of hangs to wait for.
    public func waitForHangs(_ count: Int) async {
        await park(on: state, in: \.hangingWaiters, key: count) { $0.hangs >= count }
    }

    /// Runs the faults that pick this call, then — if none stopped it — the wrapped runnable.
    override public func invoke(_ input: Input, context: RunContext) async throws -> Output {
        let (call, actions) = state.withLock { state in
            state.calls += 1
            state.running += 1
            return (state.calls, picked(call: state.calls, &state))
        }
        defer { state.withLock { $0.running -= 1 } }
        for action in actions {
            switch action {
            case .delay(let duration):
                try await Task.sleep(for: duration, clock: context.clock)
            case .fail(let error):
                state.withLock { $0.failed += 1 }
                throw error ?? InjectedFault(state: name, call: call)
            case .hang:
                try await hang()
            }
        }
        return try await wrapped.invoke(input, context: context)
    }

    /// The actions of the faults whose trigger picks `call`, drawing every seeded generator once per call
    /// so that one fault's draws do not depend on another's.
    private func picked(call: Int, _ state: inout State) -> [Fault.Action] {
        var actions: [Fault.Action] = []
        for (index, fault) in faults.enumerated() {
            let picks =
                switch fault.trigger {
                case .always: true
                case .firstCalls(let count): call <= count
                case .probability(let probability, _): state.generators[index]?.nextUnit() ?? 1 < probability
                }
            if picks { actions.append(fault.action) }
        }
        return actions
    }

    private func hang() async throws {
        let due = state.withLock { state in
            state.hanging += 1
            state.hangs += 1
            let hangs = state.hangs
            return state.hangingWaiters.takeDue { $0 <= hangs }
        }
        for waiter in due { waiter.resume() }
        defer { state.withLock { $0.hanging -= 1 } }
        // Parks until cancelled: nothing ever makes the condition true.
        let never = Mutex(Waiters<Int>())
        await park(on: never, in: \.self, key: 0) { _ in false }
        throw CancellationError()
    }
}
