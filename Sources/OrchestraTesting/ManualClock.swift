import Orchestra
import Synchronization

/// A clock that moves only when a test advances it, so that no test waits on real time.
///
/// Give it to an orchestration (`OrchestrationOptions(clock: clock)`); states and policies that
/// sleep on the run's clock then stay asleep until the test calls ``advance(by:)``.
///
/// ```swift
/// let clock = ManualClock()
/// let handle = orchestration.start(input)          // a state sleeps 5 s on context.clock
/// await clock.waitForSleepers(1)                   // the state is now asleep
/// clock.advance(by: .seconds(5))                   // and wakes up, with no real waiting
/// ```
public final class ManualClock: Clock, Sendable {
    /// A point on the manual clock's time line: the time advanced since the clock was made.
    public struct Instant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The time since the clock was made.
        public var offset: Duration

        /// Creates an instant at `offset` from the clock's creation.
        public init(offset: Duration) { self.offset = offset }

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The duration from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Whether `lhs` is earlier than `rhs`.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        /// The offset, as in `+5.0 seconds`.
        public var description: String { "+\(offset)" }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleepers: [Sleeper] = []
        var nextID = 0
        /// Tasks waiting until at least their key's number of tasks are asleep.
        var sleeperWaiters = Waiters<Int>()
    }

    private let state = Mutex(State())

    /// Creates a clock at offset zero.
    public init() {}

    /// The current instant.
    public var now: Instant { state.withLock { $0.now } }

    /// The clock's resolution: any duration can be represented.
    public var minimumResolution: Duration { .zero }

    /// The number of tasks asleep on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest instant a task asleep on this clock waits for, or `nil` when none is asleep: advance
    /// to it to wake exactly that task, and read from it how long the task chose to wait.
    public var nextDeadline: Instant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Suspends until the clock has been advanced to `deadline`.
    ///
    /// - Throws: `CancellationError` when the sleeping task is cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resume, waiters): (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) = state.withLock {
                    state in
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    if deadline <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, Self.readyWaiters(&state))
                }
                for waiter in waiters { waiter.resume() }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration`, waking every sleeper whose deadline has come, in
    /// deadline order.
    ///
    /// - Parameter duration: How far to move; negative durations are ignored.
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves the clock to `instant`, if it is later than now.
    ///
    /// - Parameter instant: The new time.
    public func advance(to instant: Instant) {
        advance(by: now.duration(to: instant))
    }

    /// Waits until at least `count` tasks are asleep on this clock — so a test can advance the
    /// clock knowing the sleep it wants to end has begun. Returns early if the waiting task is
    /// cancelled (a test's time limit, say), so a wrong count cannot hang a test forever.
    ///
    /// - Parameter count: The number of sleepers to wait for.
    public func waitForSleepers(_ count: Int) async {
        await park(on: state, in: \.sleeperWaiters, key: count) { $0.sleepers.count >= count }
    }

    private static func readyWaiters(_ state: inout State) -> [CheckedContinuation<Void, Never>] {
        let asleep = state.sleepers.count
        return state.sleeperWaiters.takeDue { $0 <= asleep }
    }
}
