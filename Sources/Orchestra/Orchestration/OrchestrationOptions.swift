/// How an ``Orchestration`` runs: its step limit, its clock, and what it records.
///
/// ```swift
/// let orchestration = Orchestration(start: plan, exit: report, options: .init(stepLimit: 50))
/// ```
public struct OrchestrationOptions: Sendable {
    /// The most states one run may execute. A run that wants one more fails with
    /// ``OrchestrationError/Code/stepLimitReached``, naming the limit and the last state.
    /// The default, 10,000, stops a runaway loop quickly while leaving room for long machines.
    public var stepLimit: Int
    /// The clock for timestamps, durations, and the sleeps of states. Use a manual
    /// clock in tests (`OrchestraTesting.ManualClock`) so that no test waits on real time.
    public var clock: any Clock<Duration>
    /// Whether runs keep a ``RunRecord`` (handed out on the terminal event and by ``RunHandle/record``).
    /// Runs started with ``Orchestration/start(_:)`` always keep one.
    public var recordsRuns: Bool
    /// Whether a run first checks ``Orchestration/validate()`` and fails with
    /// ``OrchestrationError/Code/invalidGraph`` on any error-level diagnostic. The check is
    /// cached and repeated only after an advancer was added anywhere.
    public var validatesGraph: Bool
    /// Called when an event hook throws. The hook keeps receiving later events. When `nil`,
    /// the failure is written to standard error.
    public var onHookFailure: (@Sendable (HookFailure) -> Void)?
    /// Where runs save a checkpoint after each state they complete, so that ``Orchestration/resume(_:)`` can
    /// continue them after a crash and ``AwaitInput`` states can suspend them; `nil` (the default) saves nothing.
    ///
    /// With a store, every state's input and the exit's output must be `Codable` (``Orchestration/validate()``
    /// names each state that breaks this), and each transition costs a save: about a microsecond with
    /// ``InMemoryCheckpointStore``, a few file-system syncs with ``FileCheckpointStore`` (see the Durability article).
    public var checkpoints: (any CheckpointStore)?

    /// Creates options.
    ///
    /// - Parameters:
    ///   - stepLimit: The most states one run may execute.
    ///   - clock: The clock for time; `ContinuousClock()` by default.
    ///   - recordsRuns: Whether runs keep a ``RunRecord``.
    ///   - validatesGraph: Whether runs fail fast on graph errors.
    ///   - onHookFailure: What to do when an event hook throws.
    ///   - checkpoints: Where runs save checkpoints; `nil` saves none.
    public init(
        stepLimit: Int = 10_000,
        clock: any Clock<Duration> = ContinuousClock(),
        recordsRuns: Bool = true,
        validatesGraph: Bool = true,
        onHookFailure: (@Sendable (HookFailure) -> Void)? = nil,
        checkpoints: (any CheckpointStore)? = nil
    ) {
        self.checkpoints = checkpoints
        self.stepLimit = stepLimit
        self.clock = clock
        self.recordsRuns = recordsRuns
        self.validatesGraph = validatesGraph
        self.onHookFailure = onHookFailure
    }
}
