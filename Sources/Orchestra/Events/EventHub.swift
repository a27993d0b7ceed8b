import Synchronization

/// The orchestration-wide subscribers — hooks and `Orchestration.events` iterators — each with
/// its own ``EventQueue``, so that a slow one only delays itself.
///
/// The hub outlives its orchestration while runs are in flight: it closes (ending every hook's
/// task and every iterator, after they have drained) once the orchestration has been released
/// and its last run has finished, so a run started just before the release is still seen whole.
final class EventHub: Sendable {
    private struct State {
        var queues: [EventQueue] = []
        var hooks: [EventQueue] = []
        var liveRuns = 0
        var released = false
        var closed = false
    }

    private let count = Atomic<Int>(0)
    /// Bumped on every change of the subscriber list, so runs can keep a snapshot of it.
    private let version = Atomic<Int>(0)
    private let state = Mutex(State())

    init() {}

    /// Whether anyone listens to every run; one atomic load.
    var hasSubscribers: Bool { count.load(ordering: .relaxed) > 0 }

    /// A publisher's copy of the subscribers' queues, refreshed only when the list changes.
    struct Snapshot {
        fileprivate var version = -1
        var queues: [EventQueue] = []
    }

    /// Brings `snapshot` up to date with the subscribers' queues, if the list changed since.
    func refresh(_ snapshot: inout Snapshot) {
        let current = version.load(ordering: .acquiring)
        if snapshot.version != current {
            snapshot = Snapshot(version: current, queues: state.withLock { $0.queues })
        }
    }

    /// Publishes a change of the list to runs; called under the lock, so the count always matches it.
    private func listChanged(_ state: State) {
        count.store(state.queues.count, ordering: .relaxed)
        version.add(1, ordering: .releasing)
    }

    /// Adds a subscriber; on a closed hub the queue is closed at once, so its consumer ends.
    func add(_ queue: EventQueue, isHook: Bool) {
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.queues.append(queue)
            if isHook { state.hooks.append(queue) }
            listChanged(state)
            return true
        }
        if !accepted { queue.close() }
    }

    /// Whether `queue` still receives events: added, and neither removed nor closed with the hub.
    func contains(_ queue: EventQueue) -> Bool {
        state.withLock { state in state.queues.contains { $0 === queue } }
    }

    func remove(_ queue: EventQueue) {
        state.withLock { state in
            let before = state.queues.count
            state.queues.removeAll { $0 === queue }
            state.hooks.removeAll { $0 === queue }
            if state.queues.count != before { listChanged(state) }
        }
        queue.close()
    }

    /// A run began; the hub stays open until it ends.
    func runStarted() {
        state.withLock { $0.liveRuns += 1 }
    }

    /// A run published its last event.
    func runEnded() {
        let close = state.withLock { state in
            state.liveRuns -= 1
            return state.released && state.liveRuns == 0 && !state.closed
        }
        if close { closeAll() }
    }

    /// The orchestration was released: close now, or when its last run ends.
    func orchestrationReleased() {
        let close = state.withLock { state in
            state.released = true
            return state.liveRuns == 0 && !state.closed
        }
        if close { closeAll() }
    }

    /// Closes every queue: consumers drain what is pending and stop; later subscribers end at once.
    private func closeAll() {
        let all = state.withLock { state in
            state.closed = true
            defer {
                state.queues.removeAll()
                state.hooks.removeAll()
                listChanged(state)
            }
            return state.queues
        }
        for queue in all { queue.close() }
    }

    /// Waits until every hook has handled every event published before the call.
    func waitForHooks() async {
        for queue in state.withLock({ $0.hooks }) {
            await queue.waitUntilHandled()
        }
    }
}
