/// A state that suspends the run to wait for a person's answer: it takes a typed prompt and outputs the answer.
///
/// When a run reaches it, the run saves a checkpoint and ends with ``RunOutcome/suspended(_:)``, carrying the
/// prompt and the run's id. ``Orchestration/resume(_:answering:with:)`` continues the run — in the same process
/// or another, minutes or days later: the state outputs the answer, and its advancers take the run on.
///
/// ```swift
/// let approve = AwaitInput<Report, Approval>("Approve")
/// draft.advance(to: approve)
/// approve.route(to: draft) { approval in approval.isApproved ? .exit : .to(draft, approval.notes) }
///
/// let orchestration = Orchestration(start: draft, exit: approve, options: .init(checkpoints: store))
/// guard case .suspended(let waiting) = try await orchestration.start(topic).outcome else { return }
/// // … later, perhaps in another process:
/// let outcome = try await orchestration.resume(waiting.runID, answering: approve, with: Approval(isApproved: true))
/// ```
///
/// The compiler checks the answer: `resume` takes an `Answer` and nothing else. The prompt is saved in the
/// checkpoint, so `Prompt` must be `Codable`; a machine with an `AwaitInput` needs
/// ``OrchestrationOptions/checkpoints``, which ``Orchestration/validate()`` reports when missing. The state
/// suspends only as a state of the machine itself: inside a composite (a pipeline, a loop, a fan-out) or wrapped
/// in a policy (`.retry`, `.timeout`, `.fallback`, …) it fails the run with
/// ``OrchestrationError/Code/invalidConfiguration``; no policy retries the suspension or falls back from it.
public final class AwaitInput<Prompt: Sendable & Codable, Answer: Sendable>: Runnable<Prompt, Answer>,
    @unchecked Sendable
{
    // @unchecked: no stored properties of its own.

    /// Creates the state.
    ///
    /// - Parameter name: The state's name, used by events, records, graphs — and checkpoints, which name the
    ///   state a suspended run waits at.
    public init(_ name: String) {
        super.init(name: name)
    }

    /// Outputs the answer the run was resumed with; otherwise suspends the run with `prompt`.
    override public func invoke(_ prompt: Prompt, context: RunContext) async throws -> Answer {
        if let answer = context.scope.answer(for: context) {
            guard let typed = answer as? Answer else {
                throw OrchestrationError.internalInconsistency(
                    "state '\(name)' was resumed with a \(type(of: answer)), not its Answer \(Answer.self)")
            }
            return typed
        }
        if let parent = context.parentNode {
            throw OrchestrationError(
                code: .invalidConfiguration, state: context.path.description, step: context.step,
                runID: context.runID,
                message: "AwaitInput '\(name)' ran inside '\(StatePath(parent))'; it can suspend a run only as a state "
                    + "of the machine itself, with advancers to and from it — make it one"
            )
        }
        throw SuspendRun(prompt: prompt)
    }

    /// The prompt of `suspension`, when the run waits at this state.
    ///
    /// - Parameter suspension: A suspended run's outcome, or what ``Orchestration/resume(_:)`` returned.
    /// - Returns: The prompt, or `nil` when the run waits at another state.
    public func prompt(in suspension: Suspension) -> Prompt? {
        suspension.state == name ? suspension.prompt as? Prompt : nil
    }
}

/// Thrown by ``AwaitInput`` to suspend the run; the engine catches it, saves the checkpoint, and ends the run
/// suspended.
struct SuspendRun: Error {
    var prompt: any Sendable
}

/// The states the engine must know to be ``AwaitInput``, without knowing their types.
protocol AwaitingState: StateNode {}

extension AwaitInput: AwaitingState {}
