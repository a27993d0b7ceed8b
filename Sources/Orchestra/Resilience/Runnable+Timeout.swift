import Synchronization

extension Runnable {
    /// This runnable, cancelled when it runs longer than `limit`.
    ///
    /// ```swift
    /// let search = Search().timeout(.seconds(20))                      // still Runnable<Query, Notes>
    /// ```
    ///
    /// The time is the run's clock (a manual clock in tests). At the deadline the state's `invoke` is
    /// cancelled, a ``OrchestrationEvent/Kind/timedOut(limit:)`` event is published, and once `invoke`
    /// has returned the state fails with ``OrchestrationError/Code/timedOut``, naming the state and the
    /// limit. Cancellation is cooperative: a state that ignores it delays the error until it returns —
    /// model calls, `Task.sleep` and `URLSession` all stop at once.
    ///
    /// Put a timeout inside a retry to limit each attempt, outside it to limit them all:
    /// `search.timeout(.seconds(20)).retry(policy)` versus `search.retry(policy).timeout(.seconds(60))`.
    ///
    /// - Parameter limit: How long the state may run; more than zero, or the state fails with
    ///   ``OrchestrationError/Code/invalidConfiguration``.
    /// - Returns: A runnable with this one's name and types that enforces the limit.
    public func timeout(_ limit: Duration) -> Runnable<Input, Output> {
        TimingOut(self, limit: limit)
    }
}

/// A runnable that cancels another one at a deadline.
final class TimingOut<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let limit: Duration

    init(_ wrapped: Runnable<Input, Output>, limit: Duration) {
        self.limit = limit
        super.init(wrapped)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        guard limit > .zero else {
            throw context.invalidConfiguration(
                "the timeout of '\(context.path)' is \(limit); it must be more than zero")
        }
        let wrapped = wrapped
        let limit = limit
        // The state runs in a task of its own, so that the deadline can cancel it and nothing else; the
        // task is always awaited, so it never outlives the state.
        let call = Task { try await wrapped.invoke(input, context: context) }
        let timedOut = Atomic(false)
        let deadline = context.scope.clock.deadlines.add(after: limit) {
            timedOut.store(true, ordering: .sequentiallyConsistent)
            context.publish(.timedOut(limit: limit))
            call.cancel()
        }
        let result = await withTaskCancellationHandler {
            await call.result
        } onCancel: {
            call.cancel()
        }
        context.scope.clock.deadlines.remove(deadline)
        // A run cancelled as the deadline came is cancelled, not timed out.
        let cancelled = context.scope.isCancelled || Task.isCancelled
        guard timedOut.load(ordering: .sequentiallyConsistent), !cancelled else { return try result.get() }
        throw context.failure(
            .timedOut,
            "state '\(context.path)' did not finish within its timeout of \(limit) and was cancelled; "
                + "raise the limit, or retry or fall back on timedOut"
        )
    }
}
