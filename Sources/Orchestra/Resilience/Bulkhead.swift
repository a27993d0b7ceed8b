import Synchronization

/// Lets at most `maxConcurrent` calls run at once, across every run and every runnable that shares it;
/// up to `maxQueued` more wait their turn in order, and any beyond that are refused.
///
/// ```swift
/// let gpu = Bulkhead("local GPU", maxConcurrent: 2, maxQueued: 50)
/// let draft = Draft(model: local).bulkhead(gpu)
/// let review = Review(model: local).bulkhead(gpu)                    // two at once, between them
/// ```
///
/// A call that finds the bulkhead full waits in its queue — a ``OrchestrationEvent/Kind/queued(bulkhead:)``
/// event — until a running call ends; one that finds the queue full too fails at once with
/// ``OrchestrationError/Code/rejected`` and a ``OrchestrationEvent/Kind/rejected(_:)`` event. Cancelling
/// a waiting run takes it out of the queue at once.
public final class Bulkhead: Sendable {
    /// The bulkhead's name, in events and errors.
    public let name: String
    /// The most calls that run at once.
    public let maxConcurrent: Int
    /// The most calls that wait; `Int.max` by default, for a queue without bound.
    public let maxQueued: Int

    /// How a call that could not run at once got on.
    private enum Entry: Sendable {
        case admitted
        case rejected(running: Int, queued: Int)
    }

    private typealias Waiter = CheckedContinuation<Entry, any Error>

    private let state: Mutex<(places: BulkheadState<Waiter>, nextID: Int)>
    /// What is wrong with the settings, worked out once: every call through the bulkhead fails with it.
    private let configurationProblem: String?

    /// Creates a bulkhead.
    ///
    /// A `maxConcurrent` below 1 or a negative `maxQueued` make every call through the bulkhead fail with
    /// ``OrchestrationError/Code/invalidConfiguration``.
    ///
    /// - Parameters:
    ///   - name: Names the bulkhead in events and errors.
    ///   - maxConcurrent: The most calls that run at once.
    ///   - maxQueued: The most calls that wait; without bound by default, 0 to refuse at once.
    public init(_ name: String, maxConcurrent: Int, maxQueued: Int = .max) {
        self.name = name
        self.maxConcurrent = maxConcurrent
        self.maxQueued = maxQueued
        state = Mutex((BulkheadState(maxConcurrent: maxConcurrent, maxQueued: maxQueued), 0))
        configurationProblem = Orchestra.configurationProblem(
            of: "the bulkhead '\(name)'",
            [
                ("maxConcurrent \(maxConcurrent)", maxConcurrent < 1, "be at least 1"),
                ("maxQueued \(maxQueued)", maxQueued < 0, "be at least 0"),
            ])
    }

    /// The number of calls running now.
    public var running: Int { state.withLock { $0.places.running } }
    /// The number of calls waiting now.
    public var queued: Int { state.withLock { $0.places.queued } }

    /// Waits for a place for the state of `context`; call ``release()`` when it ends.
    ///
    /// - Throws: ``OrchestrationError/Code/rejected`` when the queue is full; `CancellationError` when the
    ///   task is cancelled while waiting; ``OrchestrationError/Code/invalidConfiguration``.
    func acquire(_ context: RunContext) async throws {
        if let problem = configurationProblem { throw context.invalidConfiguration(problem) }
        let admitted = state.withLock { $0.places.enterIfFree() }
        if admitted { return }
        switch try await wait(context) {
        case .admitted:
            return
        case .rejected(let running, let queued):
            throw context.refusal(
                .rejected,
                "the bulkhead '\(name)' is full, with \(running) running and \(queued) queued, the most "
                    + "it allows, so state '\(context.path)' did not run; raise maxConcurrent or maxQueued, or retry later"
            )
        }
    }

    private func wait(_ context: RunContext) async throws -> Entry {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Entry, any Error>) in
                // Decided again under the lock: places may have freed since the first look.
                let entry = state.withLock { state -> Result<Entry, any Error>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    switch state.places.arrive(id: id, continuation) {
                    case .run: return .success(.admitted)
                    case .wait: return nil
                    case .reject(let running, let queued): return .success(.rejected(running: running, queued: queued))
                    }
                }
                if let entry {
                    continuation.resume(with: entry)
                } else {
                    context.publish(.queued(bulkhead: name))
                }
            }
        } onCancel: {
            state.withLock { $0.places.cancel(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Ends a call that ``acquire(_:)`` let run: hands its place to the first waiter, if any.
    func release() {
        let next = state.withLock { $0.places.leave() }
        next?.resume(returning: .admitted)
    }
}
