/// Why a run did not complete: which state, at which step, what went wrong, and what to do.
///
/// Switch on ``code`` to handle a kind of failure; read ``message`` for a sentence a person can
/// act on; ``underlying`` holds the error a state or advancer threw.
///
/// ```swift
/// do {
///     let report = try await orchestration.run("AI in healthcare")
/// } catch let error as OrchestrationError {
///     switch error.code {
///     case .stepLimitReached: print("looped too long in \(error.state ?? "?")")
///     case .stateFailed: print("\(error.state ?? "?") failed: \(error.underlying.map { "\($0)" } ?? "")")
///     default: print(error.message)
///     }
/// }
/// ```
public struct OrchestrationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. Compare with the static members; a `switch` needs a `default`,
    /// because later versions may add codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case stateFailed = "state failed"
            case deadEnd = "dead end"
            case stepLimitReached = "step limit reached"
            case cancelled = "cancelled"
            case conversionFailed = "conversion failed"
            case transitionFailed = "transition failed"
            case invalidGraph = "invalid graph"
            case iterationLimitReached = "iteration limit reached"
            case invalidConfiguration = "invalid configuration"
            case timedOut = "timed out"
            case circuitOpen = "circuit open"
            case rejected = "rejected"
            case internalInconsistency = "internal inconsistency"
            case suspended = "suspended"
            case checkpointFailed = "checkpoint failed"
            case runNotFound = "run not found"
            case notResumable = "not resumable"
            case notAwaitingInput = "not awaiting input"
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// A state's `invoke` threw; ``OrchestrationError/underlying`` is its error.
        public static let stateFailed = Code(.stateFailed)
        /// A state's output matched none of its advancers and the state is not the exit, or a
        /// `route` returned `.exit` from a state that is not the exit.
        public static let deadEnd = Code(.deadEnd)
        /// The run executed ``OrchestrationOptions/stepLimit`` states and wanted another.
        public static let stepLimitReached = Code(.stepLimitReached)
        /// The run was cancelled, by ``RunHandle/cancel()`` or by cancelling the calling task.
        public static let cancelled = Code(.cancelled)
        /// An advancer's `convert` threw while turning an output into the next input.
        public static let conversionFailed = Code(.conversionFailed)
        /// An advancer's condition, `next(for:)` or `route` threw.
        public static let transitionFailed = Code(.transitionFailed)
        /// ``Orchestration/validate()`` found errors before the run started.
        public static let invalidGraph = Code(.invalidGraph)
        /// A ``Loop`` ran its body `maxIterations` times without its condition holding.
        public static let iterationLimitReached = Code(.iterationLimitReached)
        /// A composite or policy was built with a setting it cannot run with, such as a `maxConcurrency`
        /// or `maxIterations` below 1; the message names the composite or policy and the setting.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A state ran past the limit of its `.timeout(_:)` and was cancelled; the message names the state
        /// and the limit.
        public static let timedOut = Code(.timedOut)
        /// A state was not run because its ``CircuitBreaker`` is open (or half-open with its probes
        /// taken); the message names the breaker and when it lets a call through again.
        public static let circuitOpen = Code(.circuitOpen)
        /// A state was not run because its ``Bulkhead`` was full, or its ``RateLimiter`` had no permit
        /// for it in time; the message names the policy and its limits.
        public static let rejected = Code(.rejected)
        /// Orchestra broke one of its own invariants; please report it.
        public static let internalInconsistency = Code(.internalInconsistency)
        /// The run reached an ``AwaitInput`` state and is waiting for an answer: not a failure, but `run(_:)`
        /// has no output to return. ``OrchestrationError/suspension`` says where it waits; read outcomes with
        /// ``RunHandle/outcome`` instead, and continue with ``Orchestration/resume(_:answering:with:)``.
        public static let suspended = Code(.suspended)
        /// The ``OrchestrationOptions/checkpoints`` store could not save or read a checkpoint, or a saved value
        /// could not be read back; ``OrchestrationError/underlying`` is the store's error, usually a
        /// ``CheckpointError``. The run's last saved checkpoint is intact.
        public static let checkpointFailed = Code(.checkpointFailed)
        /// ``Orchestration/resume(_:)`` was asked for a run the checkpoint store does not hold.
        public static let runNotFound = Code(.runNotFound)
        /// A run cannot be resumed: the orchestration has no checkpoint store, the run is running (or being
        /// resumed) in this process, or its checkpoint names a state this machine does not have.
        public static let notResumable = Code(.notResumable)
        /// ``Orchestration/resume(_:answering:with:)`` was called for a run that is not waiting at that state.
        public static let notAwaitingInput = Code(.notAwaitingInput)

        /// The code in words, as in `dead end`.
        public var description: String { value.rawValue }
    }

    private final class Storage: Sendable {
        let code: Code
        let state: String?
        let step: Int?
        let runID: RunID?
        let underlying: (any Error)?
        let message: String
        let suspension: Suspension?

        init(
            code: Code, state: String?, step: Int?, runID: RunID?, underlying: (any Error)?, message: String,
            suspension: Suspension?
        ) {
            self.code = code
            self.state = state
            self.step = step
            self.runID = runID
            self.underlying = underlying
            self.message = message
            self.suspension = suspension
        }
    }

    // One reference, so that events and results carrying the error stay small.
    private let storage: Storage

    /// Creates an error. Orchestra creates these; you may too, in tests or custom runners.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - state: The state it happened in: its name, or its path inside composites.
    ///   - step: The step it happened at.
    ///   - runID: The run.
    ///   - underlying: The error a state or advancer threw.
    ///   - message: What happened and what to do, in a sentence.
    public init(
        code: Code,
        state: String? = nil,
        step: Int? = nil,
        runID: RunID? = nil,
        underlying: (any Error)? = nil,
        message: String
    ) {
        storage = Storage(
            code: code, state: state, step: step, runID: runID, underlying: underlying, message: message,
            suspension: nil
        )
    }

    /// The error `run(_:)` throws for a run that suspended.
    init(suspended suspension: Suspension) {
        storage = Storage(
            code: .suspended, state: suspension.state, step: suspension.step, runID: suspension.runID,
            underlying: nil,
            message: "the run is waiting for an answer at state '\(suspension.state)' (step \(suspension.step)); "
                + "read it with start(_:).outcome, and continue it with resume(_:answering:with:)",
            suspension: suspension
        )
    }

    /// The kind of failure.
    public var code: Code { storage.code }
    /// The state the run was in, when there was one: its name, or — for a state that a composite ran —
    /// its path, as in `Research/ForEach[3]/Search` (see ``StatePath``).
    public var state: String? { storage.state }
    /// The step the run was at, when it had started one.
    public var step: Int? { storage.step }
    /// The run, when the error belongs to one.
    public var runID: RunID? { storage.runID }
    /// The error a state or advancer threw, if any.
    public var underlying: (any Error)? { storage.underlying }
    /// What happened and what to do, in a sentence.
    public var message: String { storage.message }
    /// Where the run waits, when the code is ``Code/suspended``.
    public var suspension: Suspension? { storage.suspension }

    /// The code and the message, as in `dead end: state 'Plan' produced no transition …`.
    public var description: String { "\(code): \(message)" }

    /// Whether the error ends the whole run, whatever a composite or policy would do with a failure:
    /// cancellation, the step limit, a broken invariant. Such errors are never collected or retried.
    var stopsTheRun: Bool {
        code == .cancelled || code == .stepLimitReached || code == .internalInconsistency
            || code == .checkpointFailed
    }

    /// Whether this error, from one of several children running at once, is the cause to report rather
    /// than `kept`, the one reported so far: the first failure is, unless it was only a cancellation
    /// that the real failure, arriving later, set off.
    func isCause(over kept: OrchestrationError?) -> Bool {
        guard let kept else { return true }
        return kept.code == .cancelled && code != .cancelled
    }

    /// What `error`, thrown by the state at `state` (its name, or its path inside composites) at `step`,
    /// becomes: an error of this run passes through unchanged — a composite's child that failed, or a
    /// policy — so that the run's error names the deepest state that failed; anything else is wrapped as
    /// ``Code/stateFailed``.
    static func thrown(_ error: any Error, byState state: String, step: Int, runID: RunID) -> OrchestrationError {
        if let own = error as? OrchestrationError, own.runID == runID { return own }
        return OrchestrationError(
            code: .stateFailed, state: state, step: step, runID: runID, underlying: error,
            message: "state '\(state)' threw at step \(step): \(error)"
        )
    }

    static func internalInconsistency(_ what: String) -> OrchestrationError {
        OrchestrationError(
            code: .internalInconsistency,
            message: "Orchestra broke an invariant (\(what)); please report this with the machine that caused it"
        )
    }
}
