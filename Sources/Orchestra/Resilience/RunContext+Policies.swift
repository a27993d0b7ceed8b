extension RunContext {
    /// Whether `error` is out of every policy's hands: the run or the task was cancelled, or the error
    /// stops the run (the step limit), or the machine is misconfigured, or it is an ``AwaitInput`` suspending
    /// the run. Such errors are never retried, never fallen back from, and never count against a ``CircuitBreaker``.
    package func isBeyondPolicies(_ error: any Error) -> Bool {
        if error is CancellationError || error is SuspendRun || scope.isCancelled || Task.isCancelled { return true }
        if let error = error as? OrchestrationError, error.stopsTheRun || error.code == .invalidConfiguration {
            return true
        }
        return false
    }

    /// The error of a policy that refused to run this state, published as a
    /// ``OrchestrationEvent/Kind/rejected(_:)`` event.
    ///
    /// - Parameters:
    ///   - code: ``OrchestrationError/Code/circuitOpen`` or ``OrchestrationError/Code/rejected``.
    ///   - message: Why, naming the policy and the state, and what to do.
    func refusal(_ code: OrchestrationError.Code, _ message: String) -> OrchestrationError {
        let error = failure(code, message)
        publish(.rejected(error))
        return error
    }
}

/// The configuration problem of a composite or policy — the first of its settings that breaks its rule —
/// as in `the rate limiter 'API' has burst 0; it must be at least 1`; `nil` when every setting keeps it.
///
/// - Parameters:
///   - owner: Names the composite or policy, as in `the rate limiter 'API'`.
///   - rules: Each setting with its value (`burst 0`), whether it breaks its rule, and the rule (`be at
///     least 1`).
func configurationProblem(of owner: String, _ rules: [(setting: String, broken: Bool, rule: String)]) -> String? {
    rules.first(where: \.broken).map { "\(owner) has \($0.setting); it must \($0.rule)" }
}
