extension Runnable {
    /// This runnable, started only as often as `limiter` allows.
    ///
    /// ```swift
    /// let openAI = RateLimiter("OpenAI", permits: 500, per: .seconds(60))
    /// let plan = Plan(model: gpt).rateLimited(openAI)                   // still Runnable<String, Plan>
    /// ```
    ///
    /// The result has this runnable's name and types. Each call takes a permit from `limiter` — shared
    /// with every runnable given the same limiter — waiting for it on the run's clock, or failing with
    /// ``OrchestrationError/Code/rejected`` when it would wait longer than the limiter's `maxWait`. A
    /// retried call takes a permit for each attempt when the limiter is inside the retry
    /// (`.rateLimited(limiter).retry(policy)`), and one for all of them outside it.
    ///
    /// - Parameter limiter: The rate to keep to.
    /// - Returns: A runnable that keeps to the rate.
    public func rateLimited(_ limiter: RateLimiter) -> Runnable<Input, Output> {
        RateLimited(self, limiter: limiter)
    }
}

/// A runnable that takes a permit from a rate limiter before running another one.
final class RateLimited<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let limiter: RateLimiter

    init(_ wrapped: Runnable<Input, Output>, limiter: RateLimiter) {
        self.limiter = limiter
        super.init(wrapped)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        try await limiter.acquire(context)
        return try await wrapped.invoke(input, context: context)
    }
}
