import Synchronization

/// The orchestration-wide subscribers — hooks and `Orchestration.events` iterators — each with
/// its own ``EventQueue``, so that a slow one only delays itself.
final class EventHub: Sendable {
    private let count = Atomic<Int>(0)
    /// Bumped on every change of the subscriber list, so runs can keep a snapshot of it.
    private let version = Atomic<Int>(0)
    private let queues = Mutex<[EventQueue]>([])
    private let hooks = Mutex<[EventQueue]>([])

    init() {}

    /// Whether anyone listens to every run; one atomic load.
    var hasSubscribers: Bool { count.load(ordering: .relaxed) > 0 }

    /// The subscribers' queues, refreshed in `cache` only when the list changed since.
    func subscribers(_ cache: inout (version: Int, queues: [EventQueue])) -> [EventQueue] {
        let current = version.load(ordering: .acquiring)
        if cache.version != current {
            cache = (current, queues.withLock { $0 })
        }
        return cache.queues
    }

    func add(_ queue: EventQueue, isHook: Bool) {
        queues.withLock { $0.append(queue) }
        if isHook { hooks.withLock { $0.append(queue) } }
        count.add(1, ordering: .relaxed)
        version.add(1, ordering: .releasing)
    }

    func remove(_ queue: EventQueue) {
        let removed = queues.withLock { queues in
            let before = queues.count
            queues.removeAll { $0 === queue }
            return before - queues.count
        }
        hooks.withLock { $0.removeAll { $0 === queue } }
        if removed > 0 { count.subtract(removed, ordering: .relaxed) }
        version.add(1, ordering: .releasing)
        queue.close()
    }

    /// Closes every queue: consumers drain what is pending and stop.
    func closeAll() {
        let all = queues.withLock { queues in
            defer { queues.removeAll() }
            return queues
        }
        hooks.withLock { $0.removeAll() }
        count.store(0, ordering: .relaxed)
        version.add(1, ordering: .releasing)
        for queue in all { queue.close() }
    }

    /// Waits until every hook has handled every event published before the call.
    func waitForHooks() async {
        for queue in hooks.withLock({ $0 }) {
            await queue.waitUntilHandled()
        }
    }
}
