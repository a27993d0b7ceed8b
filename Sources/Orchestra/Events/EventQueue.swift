import Synchronization

/// An unbounded, lossless queue of events with one consumer, handed over in batches.
///
/// The producer appends under a lock and wakes the consumer only when it is parked. A consumer
/// that was woken waits ``coalescing`` before draining, so that a run producing events in a
/// tight loop wakes it at most once per interval instead of once per event (a wake-up costs
/// about a microsecond; an event should cost well under one).
final class EventQueue: Sendable {
    /// How long a woken consumer lets events accumulate before taking them.
    static let coalescing: Duration = .microseconds(250)

    private struct State {
        var pending: [OrchestrationEvent] = []
        /// A drained batch the consumer handed back, kept for its capacity.
        var spare: [OrchestrationEvent] = []
        var closed = false
        var published = 0
        var handled = 0
        /// The consumer, while it waits for events.
        var consumer = Waiters<Void>()
        /// Tasks waiting until `handled` reaches their key.
        var idle = Waiters<Int>()
    }

    private let state = Mutex(State())

    init() {}

    /// Appends events, in order; ignored once the queue is closed.
    func append(contentsOf events: [OrchestrationEvent]) {
        let consumer = state.withLock { state in
            guard !state.closed else { return [CheckedContinuation<Void, Never>]() }
            state.pending.append(contentsOf: events)
            state.published += events.count
            return state.consumer.takeAll()
        }
        for waiter in consumer { waiter.resume() }
    }

    /// Ends the queue: the consumer receives what is pending, then `nil`.
    func close() {
        let consumer = state.withLock { state in
            state.closed = true
            return state.consumer.takeAll()
        }
        for waiter in consumer { waiter.resume() }
    }

    /// The next batch, in order; `nil` once the queue is closed and drained. A consumer whose task is
    /// cancelled stops waiting: it gets what is pending, or `nil` if nothing is.
    nonisolated(nonsending) func nextBatch() async -> [OrchestrationEvent]? {
        if let batch = take() { return batch.isEmpty ? nil : batch }
        await park(on: state, in: \.consumer, key: ()) { !$0.pending.isEmpty || $0.closed }
        if !Task.isCancelled, !state.withLock({ $0.closed }) {
            try? await Task.sleep(for: Self.coalescing)
        }
        return take().flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Takes everything pending: a non-empty batch, an empty array when closed and drained, or `nil`.
    private func take() -> [OrchestrationEvent]? {
        state.withLock { state in
            if !state.pending.isEmpty {
                var batch = state.spare
                state.spare = []
                swap(&batch, &state.pending)
                return batch
            }
            return state.closed ? [] : nil
        }
    }

    /// Records that the consumer has finished handling `batch`, and keeps its storage for reuse.
    func markHandled(_ batch: consuming [OrchestrationEvent]) {
        let count = batch.count
        batch.removeAll(keepingCapacity: true)
        let ready = state.withLock { [batch] state in
            if state.spare.capacity < batch.capacity { state.spare = batch }
            state.handled += count
            let handled = state.handled
            return state.idle.takeDue { $0 <= handled }
        }
        for waiter in ready { waiter.resume() }
    }

    /// Waits until the consumer has handled every event appended before this call, or the waiting
    /// task is cancelled. (From inside the consumer itself it would wait for its own event: it returns
    /// only when cancelled.)
    func waitUntilHandled() async {
        let target = state.withLock { $0.published }
        await park(on: state, in: \.idle, key: target) { $0.handled >= target }
    }
}
