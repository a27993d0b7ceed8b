import Synchronization

/// A runnable known only by the input it accepts — the common superclass of every
/// `Runnable<Input, Output>` with this `Input`.
///
/// You never create or subclass one directly: every `Runnable` is an `AnyRunnable` of its input. It is the
/// type an advancer names when the next state's output does not matter, for example the
/// return type of ``Advancer/next(for:)`` and the targets of ``Route/to(_:_:)``:
///
/// ```swift
/// override func next(for ticket: Ticket) -> AnyRunnable<Ticket> {
///     ticket.isBilling ? billing : support    // two runnables with different outputs
/// }
/// ```
open class AnyRunnable<Input: Sendable>: @unchecked Sendable {
    // @unchecked: the only mutable state is `nameStorage`, which a Mutex guards.
    private let nameStorage: Mutex<String>

    // Internal, so no type outside Orchestra can subclass this directly: every instance is a Runnable.
    init(stateName: String) {
        nameStorage = Mutex(stateName)
    }

    /// The state's name, used by events, run records, diagnostics and graphs.
    ///
    /// It defaults to the subclass's type name (`Plan` for `final class Plan: Runnable<…>`);
    /// closure runnables are named by their initializer. Set it before running when one type
    /// appears several times in a machine, so that each state has a distinct name.
    public var name: String {
        get { nameStorage.withLock { $0 } }
        set {
            nameStorage.withLock { $0 = newValue }
            GraphVersion.bump()
        }
    }

    nonisolated(nonsending) func execute(
        _ input: any Sendable, context: RunContext, clock: RunClock?
    ) async throws -> StepResult {
        // Every AnyRunnable is a Runnable (the initializer is internal), which overrides this.
        throw OrchestrationError.internalInconsistency("AnyRunnable '\(name)' is not a Runnable")
    }

    /// Runs the state at once if its work is synchronous; `nil` if it must be awaited with `execute`.
    func executeSynchronously(_ input: any Sendable, context: RunContext, clock: RunClock?) throws -> StepResult? {
        nil
    }

    var declaredEdges: [DeclaredEdge] { [] }
}

extension AnyRunnable: StateNode {
    var stateName: String { name }
}
