import Orchestra
import OrchestraTesting
import Synchronization
import Testing

/// Counts how many callers are inside a section at once, and the most there ever were.
final class InFlight: Sendable {
    private let state = Mutex((now: 0, peak: 0))

    func enter() {
        state.withLock { state in
            state.now += 1
            state.peak = max(state.peak, state.now)
        }
    }

    func leave() { state.withLock { $0.now -= 1 } }

    var now: Int { state.withLock { $0.now } }
    var peak: Int { state.withLock { $0.peak } }
}

/// A branch that enters `inFlight`, waits until `together` callers are inside at once (proving they
/// run at the same time: run one after another, the first would wait forever), then returns `value`.
func meeting<Output: Sendable>(
    _ name: String, _ inFlight: InFlight, together: Int, returning value: Output
) -> Runnable<Int, Output> {
    Runnable(name) { _, _ in
        inFlight.enter()
        defer { inFlight.leave() }
        // Sleeping between checks leaves the pool's threads to the other branches.
        var waited = 0
        // The peak, not the count now: the first branch to see the others leaves at once.
        while inFlight.peak < together, waited < 10_000 {
            try await Task.sleep(for: .milliseconds(1))
            waited += 1
        }
        guard inFlight.peak >= together else {
            throw Boom(reason: "\(name) never met the other \(together - 1) branches (\(inFlight.now) in flight)")
        }
        return value
    }
}

/// A branch that counts that it started, then sleeps until cancelled, counting that it ended.
func sleepingUntilCancelled(_ name: String, started: Counter, ended: Counter) -> Runnable<Int, Int> {
    Runnable(name) { n, _ in
        started.increment()
        defer { ended.increment() }
        try await Task.sleep(for: .seconds(3600))
        return n
    }
}

/// Holds every caller until opened.
final class Gate: Sendable {
    private let state = Mutex((open: false, waiting: [CheckedContinuation<Void, Never>]()))

    /// Whether a caller is held.
    var isWaiting: Bool { state.withLock { !$0.waiting.isEmpty } }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resume = state.withLock { state in
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if resume { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A state named `name` that counts itself in `inFlight`, tells `onStart` its input, waits at `gate`, and
/// returns its input.
func held(
    _ name: String = "Call", at gate: Gate, _ inFlight: InFlight = InFlight(),
    onStart: @escaping @Sendable (Int) -> Void = { _ in }
) -> Runnable<Int, Int> {
    Runnable(name) { n, _ in
        inFlight.enter()
        defer { inFlight.leave() }
        onStart(n)
        await gate.wait()
        return n
    }
}

/// Waits until the earliest sleeper on `clock` is due at `seconds`, then advances the clock to it — so a
/// test walks through a timeline it knows, and a sleep that has not begun yet cannot be skipped.
func advance(_ clock: ManualClock, toDeadlineAt seconds: Double) async {
    let instant = ManualClock.Instant(offset: .seconds(seconds))
    #expect(await eventually { clock.nextDeadline == instant }, "no sleeper due at \(seconds) s")
    clock.advance(to: instant)
}
