import Synchronization

/// The deadlines of an orchestration's timeouts, kept by one sleeping task for all of them rather than one
/// sleep per call.
///
/// A sleep per call is what a task group racing the call against `Task.sleep` does, and on Linux every
/// such sleep that is cancelled early — every call that finishes in time — leaves a timer behind in the
/// global executor until its deadline: about 0.7 KB, and a slower timer queue, per call in the last
/// `limit`. Here a call adds an entry to a heap and removes it when it ends; one task sleeps until the
/// earliest entry's deadline, calls the actions that are due, and sleeps again. It is started again only
/// when a deadline comes before the one it sleeps toward.
///
/// When no deadline is left, the sleeper is cancelled at once on clocks that cost nothing to cancel —
/// so a test's `ManualClock` is left with no sleeper — and left to lapse on the `ContinuousClock`, where
/// cancelling it would leave a timer behind like any other sleep.
final class Deadlines: Sendable {
    private struct Sleeper: Sendable {
        let task: Task<Void, Never>
        let id: Int
        var target: Duration
    }

    private struct State: Sendable {
        var heap = DeadlineHeap()
        /// The actions of the deadlines not yet reached or removed; a heap entry without one is dead.
        var actions: [Int: @Sendable () -> Void] = [:]
        /// The dead entries still in the heap.
        var dead = 0
        var nextID = 0
        var sleeper: Sleeper?

        /// Pops the dead entries on top; rebuilds the heap when dead entries have piled up below a live top
        /// (a long call started before many short ones).
        mutating func dropDead() {
            while let top = heap.top, actions[top.id] == nil {
                heap.pop()
                dead -= 1
            }
            if dead > 64, dead > actions.count {
                heap.keep { actions[$0] != nil }
                dead = 0
            }
        }
    }

    private let clock: any Clock<Duration>
    /// The time on `clock`, as the orchestration reads it.
    private let now: @Sendable () -> Duration
    private let lapsesWhenIdle: Bool
    private let state = Mutex(State())

    /// - Parameters:
    ///   - clock: The orchestration's clock.
    ///   - now: Reads it, as a duration since some fixed instant.
    ///   - lapsesWhenIdle: Whether to leave the sleeper to wake at its target when no deadline is left,
    ///     rather than cancel it.
    init(clock: any Clock<Duration>, now: @escaping @Sendable () -> Duration, lapsesWhenIdle: Bool) {
        self.clock = clock
        self.now = now
        self.lapsesWhenIdle = lapsesWhenIdle
    }

    /// Calls `action` once `limit` has passed on the clock, unless ``remove(_:)`` comes first.
    ///
    /// - Returns: The deadline's id, for ``remove(_:)``.
    func add(after limit: Duration, _ action: @escaping @Sendable () -> Void) -> Int {
        let deadline = now() + limit
        let (id, replaced) = state.withLock { state -> (Int, Task<Void, Never>?) in
            let id = state.nextID
            state.nextID += 1
            state.heap.push(deadline: deadline, id: id)
            state.actions[id] = action
            if let sleeper = state.sleeper, sleeper.target <= deadline { return (id, nil) }
            let replaced = state.sleeper?.task
            let sleeperID = state.nextID
            state.nextID += 1
            state.sleeper = Sleeper(task: startSleeper(sleeperID, toward: deadline), id: sleeperID, target: deadline)
            return (id, replaced)
        }
        replaced?.cancel()
        return id
    }

    /// Forgets the deadline `id`: its action will not be called.
    func remove(_ id: Int) {
        let idle = state.withLock { state -> Task<Void, Never>? in
            guard state.actions.removeValue(forKey: id) != nil else { return nil }
            state.dead += 1
            state.dropDead()
            guard state.actions.isEmpty, !lapsesWhenIdle, let sleeper = state.sleeper else { return nil }
            state.sleeper = nil
            return sleeper.task
        }
        idle?.cancel()
    }

    private func startSleeper(_ id: Int, toward target: Duration) -> Task<Void, Never> {
        Task { [self] in
            var target = target
            while true {
                do {
                    // At most a day at a time: a limit meant as "never" must not overflow the clock's sleep.
                    try await Task.sleep(for: min(target - now(), .seconds(86_400)), clock: clock)
                } catch {
                    return  // Replaced by a sleeper with an earlier target, or no longer needed.
                }
                let (due, next) = takeDue(sleeper: id)
                for action in due { action() }
                guard let next else { return }
                target = next
            }
        }
    }

    /// Takes the actions whose deadline has come, and the next deadline for sleeper `id` to sleep toward:
    /// `nil` when there is none, or when another sleeper has taken its place, and then it ends.
    private func takeDue(sleeper id: Int) -> (due: [@Sendable () -> Void], next: Duration?) {
        let now = now()
        return state.withLock { state in
            var due: [@Sendable () -> Void] = []
            while let top = state.heap.top, top.deadline <= now {
                state.heap.pop()
                if let action = state.actions.removeValue(forKey: top.id) {
                    due.append(action)
                } else {
                    state.dead -= 1
                }
            }
            state.dropDead()
            guard state.sleeper?.id == id else { return (due, nil) }
            guard let next = state.heap.top else {
                state.sleeper = nil
                return (due, nil)
            }
            state.sleeper?.target = next.deadline
            return (due, next.deadline)
        }
    }
}

/// A binary min-heap of deadlines, earliest on top.
struct DeadlineHeap: Sendable {
    struct Entry: Sendable {
        let deadline: Duration
        let id: Int
    }

    private var entries: [Entry] = []

    var top: Entry? { entries.first }

    mutating func push(deadline: Duration, id: Int) {
        entries.append(Entry(deadline: deadline, id: id))
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() {
        guard !entries.isEmpty else { return }
        entries.swapAt(0, entries.count - 1)
        entries.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count, entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count, entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }

    /// Keeps only the entries whose id `isKept`, and restores the heap's order.
    mutating func keep(_ isKept: (Int) -> Bool) {
        let kept = entries.filter { isKept($0.id) }
        entries = []
        entries.reserveCapacity(kept.count)
        for entry in kept { push(deadline: entry.deadline, id: entry.id) }
    }
}
