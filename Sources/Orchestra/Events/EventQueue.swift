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
        var consumer: CheckedContinuation<Void, Never>?
        var closed = false
        var published = 0
        var handled = 0
        var idleWaiters: [(id: Int, target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Appends events, in order; ignored once the queue is closed.
    func append(contentsOf events: [OrchestrationEvent]) {
        let consumer: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard !state.closed else { return nil }
            state.pending.append(contentsOf: events)
            state.published += events.count
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume()
    }

    /// Ends the queue: the consumer receives what is pending, then `nil`.
    func close() {
        let consumer: CheckedContinuation<Void, Never>? = state.withLock { state in
            state.closed = true
            defer { state.consumer = nil }
            return state.consumer
        }
        consumer?.resume()
    }

    /// The next batch, in order; `nil` once the queue is closed and drained, or the consumer's task is cancelled.
    nonisolated(nonsending) func nextBatch() async -> [OrchestrationEvent]? {
        if let batch = take() { return batch.isEmpty ? nil : batch }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if !state.pending.isEmpty || state.closed || Task.isCancelled { return true }
                    state.consumer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let consumer = state.withLock { state in
                defer { state.consumer = nil }
                return state.consumer
            }
            consumer?.resume()
        }
        if Task.isCancelled { return take().flatMap { $0.isEmpty ? nil : $0 } }
        if !state.withLock({ $0.closed }) {
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
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { [batch] state in
            if state.spare.capacity < batch.capacity { state.spare = batch }
            state.handled += count
            let handled = state.handled
            let ready = state.idleWaiters.filter { $0.target <= handled }.map(\.continuation)
            state.idleWaiters.removeAll { $0.target <= handled }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Waits until the consumer has handled every event appended before this call, or the waiting
    /// task is cancelled. (From inside the consumer itself it would wait for its own event: it returns
    /// only when cancelled.)
    func waitUntilHandled() async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.handled >= state.published || Task.isCancelled { return true }
                    state.idleWaiters.append((id, state.published, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.idleWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.idleWaiters.remove(at: index).continuation
            }
            waiter?.resume()
        }
    }
}
