extension RunContext {
    /// Whether `error` is out of every policy's hands: the run or the task was cancelled, or the error
    /// stops the run (the step limit), or the machine is misconfigured. Such errors are never retried,
    /// never fallen back from, and never count against a ``CircuitBreaker``.
    func isBeyondPolicies(_ error: any Error) -> Bool {
        if error is CancellationError || scope.isCancelled || Task.isCancelled { return true }
        if let error = error as? OrchestrationError, error.stopsTheRun || error.code == .invalidConfiguration {
            return true
        }
        return false
    }

    /// The error a policy of this state fails it with, and — for a rejection — the event saying so.
    ///
    /// - Parameters:
    ///   - code: ``OrchestrationError/Code/timedOut``, ``OrchestrationError/Code/circuitOpen`` or
    ///     ``OrchestrationError/Code/rejected``.
    ///   - message: What happened and what to do, naming the policy and the state.
    func policyError(_ code: OrchestrationError.Code, _ message: String) -> OrchestrationError {
        let error = OrchestrationError(code: code, state: path.description, step: step, runID: runID, message: message)
        if code != .timedOut { publish(.rejected(error)) }
        return error
    }
}
