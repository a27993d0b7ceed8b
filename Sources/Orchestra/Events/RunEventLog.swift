import Synchronization

/// Every event of one run, kept from its first event, so that each reader of the run's
/// ``RunEvents`` sees the whole run whenever it starts reading.
final class RunEventLog: Sendable {
    private struct State {
        var events: [OrchestrationEvent] = []
        var finished = false
        var readers: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextReader = 0
    }

    private let state = Mutex(State())

    init() {}

    func append(contentsOf events: [OrchestrationEvent]) {
        let readers: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard !state.finished else { return [] }
            state.events.append(contentsOf: events)
            if state.readers.isEmpty { return [] }
            defer { state.readers.removeAll() }
            return Array(state.readers.values)
        }
        for reader in readers { reader.resume() }
    }

    /// Marks the end of the run: readers get what is left, then `nil`.
    func finish() {
        let readers: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.finished = true
            defer { state.readers.removeAll() }
            return Array(state.readers.values)
        }
        for reader in readers { reader.resume() }
    }

    /// The events from `index` on; `nil` when the run has ended and all were read, or the reader is cancelled.
    func read(from index: Int) async -> [OrchestrationEvent]? {
        if let events = take(from: index) { return events.isEmpty ? nil : events }
        let reader = state.withLock { state in
            defer { state.nextReader += 1 }
            return state.nextReader
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    if state.events.count > index || state.finished || Task.isCancelled { return true }
                    state.readers[reader] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.readers.removeValue(forKey: reader) }
            continuation?.resume()
        }
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
