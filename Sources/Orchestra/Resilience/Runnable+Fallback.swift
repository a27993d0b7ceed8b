extension Runnable {
    /// This runnable, or — when it fails — `other`, on the same input.
    ///
    /// ```swift
    /// let answer = Answer(model: gpt).fallback(to: Answer(model: claude))   // still Runnable<Question, Reply>
    /// let search = Search().fallback(to: CachedSearch()) { error in
    ///     (error as? OrchestrationError)?.code == .circuitOpen                   // only when the breaker is open
    /// }
    /// ```
    ///
    /// The result has this runnable's name and types; add advancers to it. When this runnable fails with
    /// an error that `when` accepts, a ``OrchestrationEvent/Kind/fallback(to:error:)`` event is published
    /// and `other` runs as a child of the state (see ``RunContext/run(_:_:index:)``): it takes a step, has
    /// its own events with a path such as `Answer/BackupAnswer`, and appears in the ``RunRecord``, so you
    /// can tell which of the two answered. If `other` fails too, the state fails with its error, as a child's:
    /// ``OrchestrationError/Code/stateFailed`` at `other`'s path, its error as
    /// ``OrchestrationError/underlying`` (a policy's error, or a composite child's, passes through as it is).
    /// Cancellation, the step limit and configuration errors are never fallen back from.
    ///
    /// - Parameters:
    ///   - other: What to run instead; it takes the same input and gives the same output.
    ///   - when: Which errors to fall back on; all of them by default. The errors of policies are
    ///     ``OrchestrationError``s with codes such as ``OrchestrationError/Code/timedOut`` and
    ///     ``OrchestrationError/Code/circuitOpen``.
    /// - Returns: A runnable that falls back to `other`.
    public func fallback(
        to other: Runnable<Input, Output>, when: (@Sendable (any Error) -> Bool)? = nil
    ) -> Runnable<Input, Output> {
        FallingBack(self, to: other, when: when)
    }
}

/// A runnable that runs another one when it fails.
final class FallingBack<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let other: Runnable<Input, Output>
    let when: (@Sendable (any Error) -> Bool)?

    init(_ primary: Runnable<Input, Output>, to other: Runnable<Input, Output>, when: (@Sendable (any Error) -> Bool)?)
    {
        self.other = other
        self.when = when
        super.init(primary)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        do {
            return try await wrapped.invoke(input, context: context)
        } catch {
            guard !context.isBeyondPolicies(error), when?(error) ?? true else { throw error }
            context.publish(.fallback(to: other.name, error: error))
            return try await context.run(other, input)
        }
    }
}
