/// The engine's untyped view of a state: what a run needs to execute it and pick the next one.
///
/// Only ``AnyRunnable`` conforms (its initializer is internal, so every instance is a ``Runnable``),
/// which is why casting the input back to its static type cannot fail for a user's value.
protocol StateNode: AnyObject, Sendable {
    /// The state's name at this moment (see ``AnyRunnable/name``).
    var stateName: String { get }
    /// Runs the state on `input` and evaluates its advancers on the output.
    nonisolated(nonsending) func execute(_ input: any Sendable, context: RunContext, clock: RunClock?) async throws
        -> StepResult
    /// Runs the state at once when its work is synchronous; `nil` when it must be awaited with `execute`.
    func executeSynchronously(_ input: any Sendable, context: RunContext, clock: RunClock?) throws -> StepResult?
    /// The advancers' declared edges, in the order they are tried.
    var declaredEdges: [DeclaredEdge] { get }
    /// Whether the state's work is a synchronous closure, which never suspends: composites run such
    /// children in their own task rather than starting one per child.
    var isSynchronous: Bool { get }
    /// Runs the state on `input` as a composite's child: its advancers are not consulted.
    nonisolated(nonsending) func invoke(erased input: any Sendable, context: RunContext) async throws -> any Sendable
    /// Runs the state as a composite's child at once, when its work is synchronous; `nil` otherwise.
    func invokeSynchronously(erased input: any Sendable, context: RunContext) throws -> (any Sendable)?
    /// The state's `Input`, for checkpoints and their messages.
    var inputType: Any.Type { get }
    /// The state's `Output`.
    var outputType: Any.Type { get }
    /// A saved input read back as the state's `Input`.
    func restoreInput(_ value: CheckpointValue) throws(CheckpointError) -> any Sendable
    /// A saved output read back as the state's `Output`.
    func restoreOutput(_ value: CheckpointValue) throws(CheckpointError) -> any Sendable
    /// Whether the state's input can be saved in a checkpoint and read back.
    var inputIsCodable: Bool { get }
    /// What a composite runs inside, for graphs; `nil` for a plain state.
    var composition: Composition? { get }
}

/// A composite's inner states, as a graph draws them.
struct Composition {
    enum Kind: String {
        /// Children run one after another.
        case pipeline = "Pipeline"
        /// Children run at once, each on the same input.
        case parallel = "Parallel"
        /// Children run at once; their outputs are collected.
        case fanOut = "FanOut"
        /// The one child runs once per element.
        case forEach = "ForEach"
        /// The one child runs again until a condition holds.
        case loop = "Loop"
    }

    var kind: Kind
    var children: [any StateNode]
}

extension StateNode {
    /// Whether the state's output can be saved in a checkpoint and read back.
    var outputIsCodable: Bool { outputType is any Codable.Type }
}

/// What the engine learns from one executed state.
struct StepResult: Sendable {
    /// The state's output, erased; the exit state's is cast back to the orchestration's `Output`.
    var output: any Sendable
    /// When `invoke` returned, on the run's clock (nil when the run keeps no times).
    var finishedAt: Duration?
    /// The first advancer that advanced, the exit, no match, or the advancer's error.
    var decision: Result<Decision, AdvancerFailure>

    /// The label of the advancer that advanced, if it had one.
    var label: String? {
        if case .success(.advance(_, _, let label)) = decision { return label }
        return nil
    }
}

/// What a state's advancers decided for one output.
enum Decision: Sendable {
    /// Go to `target` with `value`, which is `target`'s `Input` by construction.
    case advance(to: any StateNode, value: any Sendable, label: String?)
    /// A `route` returned `.exit`.
    case exit(advancer: Int)
    /// No advancer advanced.
    case noMatch
}

/// An error thrown by an advancer while deciding, with which advancer and which decision threw.
struct AdvancerFailure: Error {
    enum Phase: String, Sendable {
        case condition = "condition"
        case conversion = "conversion"
        case target = "choice of the next state"
        case route = "route"
    }
    var phase: Phase
    var advancer: Int
    /// The advancer's label, which names it in messages better than its number.
    var label: String?
    var underlying: any Error

    /// The advancer, for messages: `advancer 'notes' (#2)`, or `advancer #2` without a label.
    var name: String {
        label.map { "advancer '\($0)' (#\(advancer + 1))" } ?? "advancer #\(advancer + 1)"
    }
}

/// One declared outgoing edge of a state, for validation and graph export.
struct DeclaredEdge: Sendable {
    /// Index of the advancer in the order it was added.
    var advancer: Int
    /// The advancer's label, if one was given.
    var label: String?
    /// The declared targets; `nil` when the advancer chooses at run time without declaring them.
    var targets: [any StateNode]?
    /// Whether it decides for every output (an unconditional advance, or a `route`), so that the
    /// advancers after it are never tried.
    var alwaysDecides: Bool
    /// Whether it leaves the state for every output (an unconditional advance).
    var alwaysLeaves: Bool
}
