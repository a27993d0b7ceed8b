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
    // @unchecked: the only mutable state is the name: an atomic pointer to an immutable box, which
    // is replaced, never changed, and whose replaced boxes stay alive with the runnable.
    /// The current name's box, retained once. A run reads the name at every step; a load and no
    /// lock makes that read cost a few nanoseconds.
    private let currentName: Atomic<UnsafeMutableRawPointer>
    /// Boxes replaced by a rename. A reader may still be reading one, so they are freed only with the
    /// runnable; names change rarely (usually never after a machine is built), so this stays small.
    private let replacedNames = Mutex<[NameBox]>([])

    /// Whether `Input` is `Codable`, looked up once: a checkpoint asks at every transition.
    let inputIsCodable: Bool

    // Internal, so no type outside Orchestra can subclass this directly: every instance is a Runnable.
    init(stateName: String) {
        currentName = Atomic(Unmanaged.passRetained(NameBox(stateName)).toOpaque())
        inputIsCodable = Input.self is any Codable.Type
    }

    deinit {
        Unmanaged<NameBox>.fromOpaque(currentName.load(ordering: .acquiring)).release()
    }

    /// The state's name, used by events, run records, diagnostics and graphs.
    ///
    /// It defaults to the subclass's type name (`Plan` for `final class Plan: Runnable<…>`);
    /// closure runnables are named by their initializer. Set it before running when one type
    /// appears several times in a machine, so that each state has a distinct name.
    public var name: String {
        get {
            // The box is alive: it is either current or among `replacedNames`, both owned by `self`.
            Unmanaged<NameBox>.fromOpaque(currentName.load(ordering: .acquiring))
                ._withUnsafeGuaranteedRef { $0.value }
        }
        set {
            let box = Unmanaged.passRetained(NameBox(newValue)).toOpaque()
            replacedNames.withLock { replaced in
                let old = currentName.exchange(box, ordering: .acquiringAndReleasing)
                replaced.append(Unmanaged<NameBox>.fromOpaque(old).takeRetainedValue())
            }
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

    var isSynchronous: Bool { false }

    nonisolated(nonsending) func invoke(erased input: any Sendable, context: RunContext) async throws -> any Sendable {
        throw OrchestrationError.internalInconsistency("AnyRunnable '\(name)' is not a Runnable")
    }

    func invokeSynchronously(erased input: any Sendable, context: RunContext) throws -> (any Sendable)? {
        nil
    }

    var inputType: Any.Type { Input.self }

    var composition: Composition? { nil }

    var outputType: Any.Type { Never.self }

    func restoreInput(_ value: CheckpointValue) throws(CheckpointError) -> any Sendable {
        let input: Input = try value.decoded(location: "the input of state '\(name)'")
        return input
    }

    func restoreOutput(_ value: CheckpointValue) throws(CheckpointError) -> any Sendable {
        throw CheckpointError(
            code: .notCodable, location: "the output of state '\(name)'",
            message: "AnyRunnable '\(name)' is not a Runnable")
    }
}

extension AnyRunnable: StateNode {
    var stateName: String { name }
}

/// A state's name, never changed once made: a rename replaces the box.
private final class NameBox: Sendable {
    let value: String
    init(_ value: String) { self.value = value }
}
