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
final class TimingOut<Input: Sendable, Output: Sendable>: Runnable<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let wrapped: Runnable<Input, Output>
    let limit: Duration

    init(_ wrapped: Runnable<Input, Output>, limit: Duration) {
        self.wrapped = wrapped
        self.limit = limit
        super.init(name: wrapped.name)
    }

    private enum Outcome: Sendable {
        case output(Output)
        case deadline
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        guard limit > .zero else {
            throw context.invalidConfiguration(
                "the timeout of '\(context.path)' is \(limit); it must be more than zero")
        }
        let wrapped = wrapped
        let limit = limit
        // Both tasks end before the group returns: a timed-out state never outlives its run.
        let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
            group.addTask { .output(try await wrapped.invoke(input, context: context)) }
            group.addTask {
                try await Task.sleep(for: limit, clock: context.clock)
                return .deadline
            }
            defer { group.cancelAll() }
            // The first to finish decides; an error from either (the state's, or a cancellation) ends it.
            guard let first = try await group.next() else {
                throw OrchestrationError.internalInconsistency("a timeout's task group had no task")
            }
            if case .deadline = first { context.publish(.timedOut(limit: limit)) }
            return first
        }
        switch outcome {
        case .output(let output):
            return output
        case .deadline:
            throw context.policyError(
                .timedOut,
                "state '\(context.path)' ran longer than its timeout of \(limit) and was cancelled; "
                    + "raise the limit, or retry or fall back on timedOut"
            )
        }
    }
}
