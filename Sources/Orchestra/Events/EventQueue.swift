import Synchronization

/// An unbounded, lossless queue of events with one consumer, handed over in batches.
///
/// The producer appends under a lock and wakes the consumer only when it is parked. A consumer
/// that was woken waits ``coalescing`` before draining, so that a run producing events in a
/// tight loop wakes it at most once per interval instead of once per event (a wake-up costs
/// about a microsecond; an event should cost well under one). The interval is a millisecond: each
/// timed wait costs the process 100 – 140 µs of CPU time on a Linux VM (Dispatch's timer, thread
/// wake-ups), so at a quarter of a millisecond the waits alone kept half a core busy and the runs'
/// timings spread further.
///
/// The consumer hands each batch back whole once handled, and the next producer to append frees
/// it: a run's thread allocated the events (the terminal event's record, the batch's storage),
/// and memory freed on another thread than the one that allocated it makes both threads contend
/// for the allocator's lock. The consumer frees what is handed back itself only when no producer
/// is busy: before it parks, and when the queue has closed. (The small list of handed-back batches
/// is still allocated by the consumer and freed by a producer: one such free per batch, not per event.)
final class EventQueue: Sendable {
    /// How long a woken consumer lets events accumulate before taking them.
    static let coalescing: Duration = .milliseconds(1)
    /// A new batch reserves room for half again the last one, but never for more events than this,
    /// so that one huge batch from a lagging consumer does not make every later one huge.
    static let reservedBatchLimit = 4096

    private struct State {
        var pending: [OrchestrationEvent] = []
        /// Batches the consumer has handled, for a producer (or the idle consumer) to free.
        var handedBack: [[OrchestrationEvent]] = []
        /// The size of the last batch taken, so the next one is allocated once, at about its size.
        var lastBatch = 0
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

    /// Appends events, in order, moving them out of `events`, which is left uninitialized — unless
    /// the queue is closed: then it takes nothing, and the caller still owns the events.
    ///
    /// - Returns: Whether the queue took the events.
    func append(moving events: UnsafeMutableBufferPointer<OrchestrationEvent>) -> Bool {
        append(MovedElements(events))
    }

    /// Appends copies of events, in order; ignored once the queue is closed.
    func append(copying events: UnsafeBufferPointer<OrchestrationEvent>) {
        _ = append(events)
    }

    /// Appends `events` unless the queue is closed; returns whether it took them.
    private func append(_ events: some Sequence<OrchestrationEvent>) -> Bool {
        let count = events.underestimatedCount
        guard count > 0 else { return true }
        var handled: [[OrchestrationEvent]] = []
        let (taken, consumer) = state.withLock { state in
            guard !state.closed else { return (false, [CheckedContinuation<Void, Never>]()) }
            if state.pending.capacity == 0 {
                state.pending.reserveCapacity(min(max(16, state.lastBatch * 3 / 2), Self.reservedBatchLimit))
            }
            state.pending.append(contentsOf: events)
            state.published += count
            if !state.handedBack.isEmpty { swap(&handled, &state.handedBack) }
            return (true, state.consumer.takeAll())
        }
        for waiter in consumer { waiter.resume() }
        // `handled` is freed here, on this thread, outside the lock.
        return taken
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
        if let batch = take() { return ending(batch) }
        // A run that just appended is likely to append again soon: wait one interval before parking,
        // so that it need not wake this task — a wake-up is a system call on the run's thread.
        if !Task.isCancelled {
            try? await Task.sleep(for: Self.coalescing)
            if let batch = take() { return ending(batch) }
        }
        reclaim()  // idle for a whole interval: freeing here contends with no busy run
        await park(on: state, in: \.consumer, key: ()) { !$0.pending.isEmpty || $0.closed }
        if !Task.isCancelled, !state.withLock({ $0.closed }) {
            try? await Task.sleep(for: Self.coalescing)
        }
        return ending(take() ?? [])
    }

    /// `batch`, or `nil` when it is empty — the queue closed and drained (or the consumer was
    /// cancelled) — after freeing what was handed back: no producer will append again to free it.
    private func ending(_ batch: [OrchestrationEvent]) -> [OrchestrationEvent]? {
        if !batch.isEmpty { return batch }
        reclaim()
        return nil
    }

    /// Takes everything pending: a non-empty batch, an empty array when closed and drained, or `nil`.
    private func take() -> [OrchestrationEvent]? {
        state.withLock { state in
            if !state.pending.isEmpty {
                var batch: [OrchestrationEvent] = []
                swap(&batch, &state.pending)
                state.lastBatch = batch.count
                return batch
            }
            return state.closed ? [] : nil
        }
    }

    /// Frees the batches handed back, so that an idle queue keeps no handled event alive.
    private func reclaim() {
        var handled: [[OrchestrationEvent]] = []
        state.withLock { swap(&handled, &$0.handedBack) }
    }

    /// Records that the consumer has finished handling `batch`, and hands it back to be freed by
    /// the next producer.
    func markHandled(_ batch: consuming [OrchestrationEvent]) {
        let count = batch.count
        let ready = state.withLock { [batch] state in
            state.handedBack.append(batch)
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
