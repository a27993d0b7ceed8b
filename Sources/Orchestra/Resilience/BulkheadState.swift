/// The decisions of a ``Bulkhead``, as pure transitions: who runs, who waits, who is refused, and who is
/// next when a call ends. The bulkhead keeps one under a lock and resumes the waiters it is handed.
///
/// `Waiter` is what a waiting call leaves behind to be resumed (a continuation, or a number in tests).
struct BulkheadState<Waiter> {
    /// What a call arriving finds.
    enum Arrival: Equatable {
        /// A place was free: run.
        case run
        /// Every place is taken: wait in the queue until ``leave()`` hands over a place.
        case wait
        /// The queue is full too.
        case reject(running: Int, queued: Int)
    }

    let maxConcurrent: Int
    let maxQueued: Int
    /// The calls holding a place.
    private(set) var running = 0
    private var queue = FIFOQueue<(id: Int, waiter: Waiter)>()

    init(maxConcurrent: Int, maxQueued: Int) {
        self.maxConcurrent = maxConcurrent
        self.maxQueued = maxQueued
    }

    /// The calls waiting.
    var queued: Int { queue.count }

    /// Takes a place if one is free and nobody waits for it; the fast path, with nothing to leave behind.
    mutating func enterIfFree() -> Bool {
        guard running < maxConcurrent, queue.count == 0 else { return false }
        running += 1
        return true
    }

    /// A call arrives, leaving `waiter` to be resumed should it have to wait.
    mutating func arrive(id: Int, _ waiter: Waiter) -> Arrival {
        if enterIfFree() { return .run }
        guard queue.count < maxQueued else { return .reject(running: running, queued: queue.count) }
        queue.append((id, waiter))
        return .wait
    }

    /// A running call ends: its place goes to the first waiter, returned to be resumed, if any.
    mutating func leave() -> Waiter? {
        if let next = queue.popFirst() { return next.waiter }
        running -= 1
        return nil
    }

    /// The waiting call `id` gives up: returned to be resumed with cancellation, unless it is no longer
    /// waiting.
    mutating func cancel(id: Int) -> Waiter? {
        queue.remove { $0.id == id }?.waiter
    }
}

extension BulkheadState: Sendable where Waiter: Sendable {}
