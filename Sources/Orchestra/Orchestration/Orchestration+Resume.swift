extension Orchestration {
    /// Continues a run from its last checkpoint — after a crash, in a new process, or after it failed or was
    /// cancelled — and returns how it ends.
    ///
    /// States that completed before the checkpoint do not run again; the state that was running when the run
    /// stopped runs again, from its saved input: at least once for that state, exactly once for every state
    /// before it. A run that had completed returns its saved output, and one waiting at an ``AwaitInput``
    /// returns its ``Suspension``, without running anything. The run keeps its id, memory, step numbers and
    /// record.
    ///
    /// ```swift
    /// for run in try await store.runs() where run.status == .running {
    ///     _ = try await orchestration.resume(run.runID)    // runs a crashed process left behind
    /// }
    /// ```
    ///
    /// Resume a run in one process at a time: this process refuses a run it is running or resuming, through any
    /// orchestration, but cannot see other processes.
    ///
    /// - Parameter runID: The run, as its checkpoints name it.
    /// - Returns: The run's output, or where it waits for an answer.
    /// - Throws: ``OrchestrationError``: ``OrchestrationError/Code/runNotFound``, ``OrchestrationError/Code/notResumable``
    ///   (no store, the run is running or being resumed in this process, or its checkpoint names a state this
    ///   machine lacks),
    ///   ``OrchestrationError/Code/checkpointFailed``, or why the resumed run did not complete.
    @concurrent public nonisolated func resume(_ runID: RunID) async throws(OrchestrationError) -> RunOutcome<Output> {
        try await resume(runID, answering: nil)
    }

    /// Continues a run waiting at `state` with a person's answer, which `state` outputs; returns how the run ends.
    ///
    /// ```swift
    /// let outcome = try await orchestration.resume(runID, answering: approve, with: Approval(isApproved: true))
    /// ```
    ///
    /// The answer's type is the state's `Answer`, so a wrong one does not compile. The run may be resumed in
    /// another process than the one it suspended in, as long as the machine is the same.
    ///
    /// - Parameters:
    ///   - runID: The run, as its ``Suspension`` names it.
    ///   - state: The ``AwaitInput`` state the run waits at.
    ///   - answer: The answer.
    /// - Returns: The run's output, or where it waits next.
    /// - Throws: ``OrchestrationError``: ``OrchestrationError/Code/notAwaitingInput`` when the run does not wait at
    ///   `state`, the errors of ``resume(_:)``, or why the resumed run did not complete.
    @concurrent public nonisolated func resume<Prompt, Answer>(
        _ runID: RunID, answering state: AwaitInput<Prompt, Answer>, with answer: Answer
    ) async throws(OrchestrationError) -> RunOutcome<Output> {
        try await resume(runID, answering: (state, answer))
    }

    private nonisolated(nonsending) func resume(
        _ runID: RunID, answering: (state: any StateNode, answer: any Sendable)?
    ) async throws(OrchestrationError) -> RunOutcome<Output> {
        switch await engine.prepareResume(runID, answering: answering) {
        case .failure(let error): throw error
        case .success(.completed(let output)): return .completed(try RunFinish.cast(output))
        case .success(.suspended(let suspension)): return .suspended(suspension)
        case .success(.run(let resumed)):
            hub.runStarted()
            return try await engine.run(resuming: resumed, log: nil).outcome()
        }
    }
}
