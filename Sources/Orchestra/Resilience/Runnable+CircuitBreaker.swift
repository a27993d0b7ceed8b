extension Runnable {
    /// This runnable, run only while `breaker` lets calls through.
    ///
    /// ```swift
    /// let openAI = CircuitBreaker("OpenAI", failureThreshold: 5, coolDown: .seconds(30))
    /// let answer = Answer(model: gpt).circuitBreaker(openAI).fallback(to: Answer(model: claude))
    /// ```
    ///
    /// The result has this runnable's name and types. Each call asks `breaker` first: refused, the state
    /// fails with ``OrchestrationError/Code/circuitOpen`` without running; let through, its success or
    /// failure counts toward the breaker, shared with every other runnable given the same breaker. See
    /// ``CircuitBreaker`` for the states.
    ///
    /// - Parameter breaker: The breaker of the dependency this runnable calls.
    /// - Returns: A runnable guarded by `breaker`.
    public func circuitBreaker(_ breaker: CircuitBreaker) -> Runnable<Input, Output> {
        Breaking(self, breaker: breaker)
    }
}

/// A runnable that runs another one only while a circuit breaker lets it.
final class Breaking<Input: Sendable, Output: Sendable>: PolicyWrapper<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let breaker: CircuitBreaker

    init(_ wrapped: Runnable<Input, Output>, breaker: CircuitBreaker) {
        self.breaker = breaker
        super.init(wrapped)
    }

    override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        let ticket = try breaker.admit(context)
        do {
            let output = try await wrapped.invoke(input, context: context)
            breaker.record(nil, of: ticket, context)
            return output
        } catch {
            breaker.record(error, of: ticket, context)
            throw error
        }
    }
}
