/// How a run that may wait for a person ended: with the exit state's output, or suspended at an
/// ``AwaitInput`` state.
///
/// ```swift
/// switch try await orchestration.start(draft).outcome {
/// case .completed(let report): publish(report)
/// case .suspended(let suspension): ask(approve.prompt(in: suspension), runID: suspension.runID)
/// }
/// ```
///
/// Failures are not outcomes: they are thrown as ``OrchestrationError``.
public enum RunOutcome<Output: Sendable>: Sendable {
    /// The run completed with the exit state's output.
    case completed(Output)
    /// The run is waiting for an answer; ``Orchestration/resume(_:answering:with:)`` continues it.
    case suspended(Suspension)

    /// The output, when the run completed.
    public var output: Output? {
        if case .completed(let output) = self { return output }
        return nil
    }

    /// The suspension, when the run is waiting for an answer.
    public var suspension: Suspension? {
        if case .suspended(let suspension) = self { return suspension }
        return nil
    }
}

/// A run waiting for an answer at an ``AwaitInput`` state: which run, where, and what it asks.
///
/// The run's checkpoint holds the same, so the answer may come in another process, much later:
/// ``Orchestration/resume(_:)`` hands the suspension back without running anything.
public struct Suspension: Sendable, CustomStringConvertible {
    /// The run waiting.
    public let runID: RunID
    /// The name of the ``AwaitInput`` state waiting.
    public let state: String
    /// The step the state waits at; it runs as that step once answered.
    public let step: Int
    /// The prompt: the waiting state's input. Read it typed with ``AwaitInput/prompt(in:)`` or
    /// ``prompt(as:)``.
    public let prompt: any Sendable

    /// Creates a suspension. Orchestra creates these; you may too, in tests.
    public init(runID: RunID, state: String, step: Int, prompt: any Sendable) {
        self.runID = runID
        self.state = state
        self.step = step
        self.prompt = prompt
    }

    /// The prompt as `Prompt`, or `nil` when it is of another type.
    ///
    /// - Parameter type: The waiting state's `Prompt`.
    public func prompt<Prompt>(as type: Prompt.Type = Prompt.self) -> Prompt? {
        prompt as? Prompt
    }

    /// The run, the state and the step, as in `run E621E1F8-… waits at 'Approve' (step 3)`.
    public var description: String { "run \(runID) waits at '\(state)' (step \(step))" }
}
