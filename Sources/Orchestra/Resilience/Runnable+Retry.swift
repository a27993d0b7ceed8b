extension Runnable {
    /// This runnable, run again when it fails, as `policy` allows.
    ///
    /// ```swift
    /// let search = Search().retry(RetryPolicy(maxAttempts: 4))          // still Runnable<Query, Notes>
    /// plan.advance(to: search)
    /// ```
    ///
    /// The result is a new runnable with the same input, output and name: add advancers to it, not
    /// to the runnable it wraps, whose own advancers are not consulted. Between attempts it waits on
    /// the run's clock (a manual clock in tests), and each retry is a
    /// ``OrchestrationEvent/Kind/retrying(attempt:delay:error:)`` event of the state. When the last
    /// attempt fails, or an error is not retryable, the state fails with that error. Cancellation, the step
    /// limit and configuration errors are never retried, and cancelling the run during a wait ends the wait
    /// at once.
    ///
    /// - Parameters:
    ///   - policy: How many attempts, and how long to wait between them.
    ///   - adjust: Makes the next attempt's input from the last input, its error and the attempt that
    ///     failed (from 1) — to tell a model what went wrong, say. `nil` retries with the same input.
    /// - Returns: A runnable that retries this one.
    public func retry(
        _ policy: RetryPolicy,
        adjust: (@Sendable (Input, any Error, Int) throws -> Input)? = nil
    ) -> Runnable<Input, Output> {
        Retrying(self, policy: policy, adjust: adjust)
    }
}

/// A runnable that runs another one again when it fails.
final class Retrying<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let policy: RetryPolicy
    let adjust: (@Sendable (Input, any Error, Int) throws -> Input)?

    init(
        _ wrapped: Runnable<Input, Output>, policy: RetryPolicy,
        adjust: (@Sendable (Input, any Error, Int) throws -> Input)?
    ) {
        self.policy = policy
        self.adjust = adjust
        super.init(wrapped)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        guard policy.maxAttempts >= 1 else {
            throw context.settingBelowOne("the retry policy of", "maxAttempts", is: policy.maxAttempts)
        }
        var input = input
        var attempt = 1
        while true {
            do {
                return try await wrapped.invoke(input, context: context)
            } catch {
                guard attempt < policy.maxAttempts, !context.isBeyondPolicies(error), policy.isRetryable(error)
                else { throw error }
                attempt += 1
                let delay = policy.delay(beforeAttempt: attempt)
                context.scope.recordRetry(step: context.step)
                context.publish(.retrying(attempt: attempt, delay: delay, error: error))
                try await Task.sleep(for: delay, clock: context.clock)
                if let adjust { input = try adjust(input, error, attempt - 1) }
            }
        }
    }
}
