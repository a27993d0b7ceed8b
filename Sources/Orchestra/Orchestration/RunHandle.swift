/// A run started with ``Orchestration/start(_:)``: its id, its events, its outcome, and a way to cancel it.
public struct RunHandle<Output: Sendable>: Sendable {
    /// The run's identity, as carried by its events and record.
    public let id: RunID
    private let task: Task<RunFinish, Never>
    private let log: RunEventLog

    init(id: RunID, task: Task<RunFinish, Never>, log: RunEventLog) {
        self.id = id
        self.task = task
        self.log = log
    }

    /// The run's events from its first to its last, whenever you start reading. See ``RunEvents``.
    public var events: RunEvents { RunEvents(log: log) }

    /// The run's outcome, once it has ended.
    public var result: Result<Output, OrchestrationError> {
        get async { await task.value.typed() }
    }

    /// The exit state's output, once the run has completed.
    ///
    /// - Throws: ``OrchestrationError``, saying why the run did not complete.
    public var value: Output {
        get async throws(OrchestrationError) { try await task.value.typed().get() }
    }

    /// How the run ended, once it has: with the exit state's output, or suspended at an ``AwaitInput`` state.
    ///
    /// ```swift
    /// switch try await orchestration.start(draft).outcome {
    /// case .completed(let report): print(report)
    /// case .suspended(let suspension): print("waiting: \(suspension)")
    /// }
    /// ```
    ///
    /// - Throws: ``OrchestrationError``, saying why the run failed or was cancelled.
    public var outcome: RunOutcome<Output> {
        get async throws(OrchestrationError) { try await task.value.outcome() }
    }

    /// The run's record, once it has ended: every state executed, with durations and transitions.
    public var record: RunRecord {
        get async { await task.value.record }
    }

    /// Cancels the run. The running state sees Swift task cancellation; the run ends with
    /// ``OrchestrationError/Code/cancelled`` as soon as that state returns or throws.
    public func cancel() {
        task.cancel()
    }

    /// Whether the run has been cancelled.
    public var isCancelled: Bool { task.isCancelled }
}
