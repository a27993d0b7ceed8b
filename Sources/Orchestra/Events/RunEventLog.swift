import Synchronization

/// Every event of one run, kept from its first event, so that each reader of the run's
/// ``RunEvents`` sees the whole run whenever it starts reading.
final class RunEventLog: Sendable {
    private struct State {
        var events: [OrchestrationEvent] = []
        var finished = false
        /// Readers that have read everything so far, waiting for more.
        var readers = Waiters<Void>()
    }

    private let state = Mutex(State())

    init() {}

    func append(contentsOf events: UnsafeBufferPointer<OrchestrationEvent>) {
        let readers = state.withLock { state in
            guard !state.finished else { return [CheckedContinuation<Void, Never>]() }
            state.events.append(contentsOf: events)
            return state.readers.takeAll()
        }
        for reader in readers { reader.resume() }
    }

    /// Marks the end of the run: readers get what is left, then `nil`.
    func finish() {
        let readers = state.withLock { state in
            state.finished = true
            return state.readers.takeAll()
        }
        for reader in readers { reader.resume() }
    }

    /// The events from `index` on; `nil` when the run has ended and all were read, or the reader is cancelled.
    func read(from index: Int) async -> [OrchestrationEvent]? {
        if let events = take(from: index) { return events.isEmpty ? nil : events }
        await park(on: state, in: \.readers, key: ()) { $0.events.count > index || $0.finished }
        if Task.isCancelled { return nil }
        if !state.withLock({ $0.finished }) {
            try? await Task.sleep(for: EventQueue.coalescing)
        }
        return take(from: index).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Everything from `index`, an empty array when finished and fully read, or `nil` to wait.
    private func take(from index: Int) -> [OrchestrationEvent]? {
        state.withLock { state in
            if state.events.count > index { return Array(state.events[index...]) }
            return state.finished ? [] : nil
        }
    }
}
