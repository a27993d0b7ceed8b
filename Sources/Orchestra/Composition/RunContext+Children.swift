extension RunContext {
    /// Runs `child` on `input` as a part of the current state — the way ``Pipeline``, ``Parallel``,
    /// ``ForEach`` and ``Loop`` run theirs — and returns its output.
    ///
    /// The child is a state of the run like any other, only nested: it takes the next step number,
    /// which counts toward ``OrchestrationOptions/stepLimit``; it emits its own
    /// ``OrchestrationEvent/Kind/stateStarted`` and ``OrchestrationEvent/Kind/stateCompleted(duration:)``
    /// or ``OrchestrationEvent/Kind/stateFailed(_:)``, with a ``OrchestrationEvent/path`` under this
    /// state's; its chunks reach the run's event stream; it appears in the ``RunRecord``. It does not
    /// start once the run is cancelled. Its advancers are not consulted: your composite decides what
    /// follows. Write your own composite with it:
    ///
    /// ```swift
    /// final class FirstAnswer: Runnable<String, String>, @unchecked Sendable {
    ///     let experts: [Runnable<String, String?>]
    ///     init(_ experts: [Runnable<String, String?>]) { self.experts = experts; super.init() }
    ///
    ///     override func invoke(_ question: String, context: RunContext) async throws -> String {
    ///         for (index, expert) in experts.enumerated() {
    ///             if let answer = try await context.run(expert, question, index: index) { return answer }
    ///         }
    ///         return "no one knew"
    ///     }
    /// }
    /// ```
    ///
    /// Run children only while the state runs — awaited, or in child tasks of a task group — so that
    /// none outlives it.
    ///
    /// - Parameters:
    ///   - child: The runnable to run.
    ///   - input: Its input.
    ///   - index: Numbers the child under this state, as in `FirstAnswer[1]/Expert`, when the state runs
    ///     several children at once or one child several times; `nil` puts it directly under this state,
    ///     as in `FirstAnswer/Expert`.
    /// - Returns: The child's output.
    /// - Throws: ``OrchestrationError``: ``OrchestrationError/Code/stateFailed`` naming the child's path
    ///   and step, with the child's error as ``OrchestrationError/underlying``;
    ///   ``OrchestrationError/Code/cancelled``; ``OrchestrationError/Code/stepLimitReached``. An error
    ///   that a child composite's own child threw passes through unchanged, so the run's error names the
    ///   deepest state that failed.
    public nonisolated(nonsending) func run<ChildInput, ChildOutput>(
        _ child: Runnable<ChildInput, ChildOutput>, _ input: ChildInput, index: Int? = nil
    ) async throws(OrchestrationError) -> ChildOutput {
        let output = try await scope.runChild(child, input, parent: childParent(index: index))
        return try castErased(output, "the output of '\(child.name)'")
    }

    /// The error for a composite or policy of this state whose `setting` is `value`, below 1.
    ///
    /// - Parameter what: Names the composite or policy, as in `ForEach` or `the retry policy of`.
    package func settingBelowOne(_ what: String, _ setting: String, is value: Int) -> OrchestrationError {
        invalidConfiguration("\(what) '\(path)' has \(setting) \(value); it must be at least 1")
    }

    /// The error for a composite or policy of this state that cannot run as configured.
    ///
    /// - Parameter problem: What is wrong and what it must be, naming the composite or policy.
    package func invalidConfiguration(_ problem: String) -> OrchestrationError {
        failure(.invalidConfiguration, problem)
    }

    /// An error of this run, at this state and step: what a composite, a policy or any runnable of yours fails
    /// the state with when the failure is one of Orchestra's kinds rather than an error of its own.
    ///
    /// The run reports it as thrown — with this code, not wrapped as ``OrchestrationError/Code/stateFailed`` —
    /// because it belongs to this run:
    ///
    /// ```swift
    /// guard maxTurns >= 1 else {
    ///     throw context.failure(.invalidConfiguration, "agent '\(context.path)' has maxTurns \(maxTurns); it must be at least 1")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What happened and what to do, naming the composite or policy and the state.
    public func failure(_ code: OrchestrationError.Code, _ message: String) -> OrchestrationError {
        OrchestrationError(code: code, state: path.description, step: step, runID: runID, message: message)
    }

    /// The path under which this state's children run: this state, numbered with `index` if given.
    func childParent(index: Int? = nil) -> PathNode {
        PathNode(parent: parentNode, name: state, index: index, step: step)
    }
}
