extension Runnable {
    /// This runnable, at most `maxConcurrent` calls at once across all runs, with up to `maxQueued` more
    /// waiting their turn.
    ///
    /// ```swift
    /// let search = Search().bulkhead(maxConcurrent: 4, maxQueued: 100)    // still Runnable<Query, Notes>
    /// ```
    ///
    /// The limit belongs to the runnable this returns: every run of every orchestration that uses it
    /// shares it. To share one limit between several runnables, make a ``Bulkhead`` and pass it to
    /// ``bulkhead(_:)``. Beyond the queue, a call fails at once with ``OrchestrationError/Code/rejected``.
    ///
    /// - Parameters:
    ///   - maxConcurrent: The most calls that run at once; at least 1.
    ///   - maxQueued: The most calls that wait; without bound by default, 0 to refuse at once.
    /// - Returns: A runnable with this one's name and types that keeps to the limit.
    public func bulkhead(maxConcurrent: Int, maxQueued: Int = .max) -> Runnable<Input, Output> {
        bulkhead(Bulkhead(name, maxConcurrent: maxConcurrent, maxQueued: maxQueued))
    }

    /// This runnable, run only when `bulkhead` has a place for it.
    ///
    /// - Parameter bulkhead: The limit, shared with every runnable given the same bulkhead.
    /// - Returns: A runnable with this one's name and types that keeps to the limit.
    public func bulkhead(_ bulkhead: Bulkhead) -> Runnable<Input, Output> {
        Bulkheaded(self, bulkhead: bulkhead)
    }
}

/// A runnable that runs another one only when its bulkhead has a place.
final class Bulkheaded<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let bulkhead: Bulkhead

    init(_ wrapped: Runnable<Input, Output>, bulkhead: Bulkhead) {
        self.bulkhead = bulkhead
        super.init(wrapped)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await bulkhead.acquire(context)
        defer { bulkhead.release() }
        // A place handed over as the run was cancelled is given back at once.
        try Task.checkCancellation()
        return try await wrapped.invoke(input, context: context)
    }
}
