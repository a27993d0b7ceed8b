package import Synchronization

/// Tasks parked until a condition on some `Mutex`-guarded state holds. Whoever changes the state
/// takes the waiters that are due and resumes them after leaving the lock; a waiter whose task is
/// cancelled removes itself and returns. See ``park(on:in:key:unlessReady:)``.
///
/// `Key` is what a waiter waits for (a count, an index), so that only the due ones are woken.
package struct Waiters<Key: Sendable>: Sendable {
    private var parked: [(id: Int, key: Key, continuation: CheckedContinuation<Void, Never>)] = []
    private var nextID = 0

    package init() {}

    /// Removes the waiters whose key `isDue`; resume them after leaving the lock.
    package mutating func takeDue(_ isDue: (Key) -> Bool) -> [CheckedContinuation<Void, Never>] {
        guard !parked.isEmpty else { return [] }
        let due = parked.filter { isDue($0.key) }.map(\.continuation)
        parked.removeAll { isDue($0.key) }
        return due
    }

    /// Removes every waiter; resume them after leaving the lock.
    package mutating func takeAll() -> [CheckedContinuation<Void, Never>] {
        takeDue { _ in true }
    }

    fileprivate mutating func reserveID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    fileprivate mutating func add(_ id: Int, _ key: Key, _ continuation: CheckedContinuation<Void, Never>) {
        parked.append((id, key, continuation))
    }

    fileprivate mutating func remove(_ id: Int) -> CheckedContinuation<Void, Never>? {
        guard let index = parked.firstIndex(where: { $0.id == id }) else { return nil }
        return parked.remove(at: index).continuation
    }
}

/// Suspends until the state behind `mutex` is ready, or the calling task is cancelled.
///
/// Returns at once when `isReady` already holds. Otherwise the task parks in `waiters` under `key`
/// — the check and the parking happen under one lock, so a wake-up cannot slip between them — and
/// returns when the state's owner takes it from `waiters` and resumes it, or when the task is
/// cancelled. Callers check the state again afterwards: being resumed is a hint, not a promise.
///
/// - Parameters:
///   - mutex: The lock guarding the state.
///   - waiters: Where in the state the parked tasks are kept.
///   - key: What this task waits for.
///   - isReady: Whether the wait is already over; called under the lock.
package func park<State, Key>(
    on mutex: borrowing Mutex<State>,
    in waiters: any WritableKeyPath<State, Waiters<Key>> & Sendable,
    key: Key,
    unlessReady isReady: (inout State) -> Bool
) async {
    let id = mutex.withLock { $0[keyPath: waiters].reserveID() }
    await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = mutex.withLock { state in
                if isReady(&state) || Task.isCancelled { return true }
                state[keyPath: waiters].add(id, key, continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    } onCancel: {
        mutex.withLock { $0[keyPath: waiters].remove(id) }?.resume()
    }
}
