import Foundation

/// A typed state machine of runnables that you run, watch and validate.
///
/// The compiler checks the whole machine's ends: `start` must accept `Input` and `exit` must
/// produce `Output`; every edge in between was checked when its advancer was added.
///
/// ```swift
/// let plan = Plan(), research = Research(), report = Report()
/// plan.advance(to: research)
/// research.advance(to: report, convert: { $0.joined(separator: "\n") })
/// let orchestration = Orchestration(start: plan, exit: report)   // Orchestration<String, ReportData>
/// let result = try await orchestration.run("AI in healthcare")
/// ```
///
/// A run goes from state to state: after each state, its advancers are tried in the order they
/// were added and the first that advances chooses the next state. The run completes when the
/// exit state's output matches no advancer (or its `route` returns `.exit`); it fails when a
/// state throws, an advancer throws, a non-exit output matches no advancer (a dead end), or the
/// step limit is reached; it is cancelled with its task. Every ending is an ``OrchestrationError``
/// with a ``OrchestrationError/code``.
///
/// One orchestration runs any number of runs at once, fully independent: each has its own id,
/// memory, events and record. `run` and `start` are `nonisolated`, so runs never queue behind one
/// another on the actor.
public actor Orchestration<Input: Sendable, Output: Sendable> {
    /// The options the orchestration was created with.
    public nonisolated let options: OrchestrationOptions
    nonisolated let engine: RunEngine
    nonisolated let hub: EventHub

    /// Creates an orchestration from its start and exit states.
    ///
    /// - Parameters:
    ///   - start: The first state; it must accept `Input`.
    ///   - exit: The state whose output completes the run; it must produce `Output`.
    ///   - options: Step limit, clock, recording and validation.
    public init<ExitInput>(
        start: AnyRunnable<Input>,
        exit: Runnable<ExitInput, Output>,
        options: OrchestrationOptions = .init()
    ) {
        let hub = EventHub()
        self.options = options
        self.hub = hub
        engine = RunEngine(
            start: start, exit: exit, options: options, clock: RunClock(options.clock), hub: hub,
            validation: ValidationCache(durable: options.checkpoints != nil)
        )
    }

    /// Creates an orchestration of one state, which is both start and exit — for example a
    /// pipeline built with the composition operators.
    ///
    /// - Parameters:
    ///   - runnable: The only state.
    ///   - options: Step limit, clock, recording and validation.
    public init(_ runnable: Runnable<Input, Output>, options: OrchestrationOptions = .init()) {
        self.init(start: runnable, exit: runnable, options: options)
    }

    deinit {
        hub.orchestrationReleased()
    }

    /// Runs the machine on `input` and returns the exit state's output.
    ///
    /// The run executes in the calling task: cancelling that task cancels the run, which then
    /// throws an error with code ``OrchestrationError/Code/cancelled``.
    ///
    /// - Parameter input: The start state's input.
    /// - Returns: The exit state's output.
    /// - Throws: ``OrchestrationError``, saying why the run did not complete.
    @concurrent public nonisolated func run(_ input: Input) async throws(OrchestrationError) -> Output {
        hub.runStarted()
        // Matched here rather than through `typed()`: no `Result<Output, …>` whose metadata
        // unspecialized code would look up on every run.
        switch await engine.run(input, id: RunID(), log: nil).result {
        case .success(let output): return try RunFinish.cast(output)
        case .failure(let error): throw error
        }
    }

    /// Starts a run in a new task and returns at once with its handle: its id, its events, its
    /// result and its record, and a way to cancel it.
    ///
    /// ```swift
    /// let handle = orchestration.start("AI in healthcare")
    /// for await event in handle.events { print(event) }
    /// let report = try await handle.value
    /// ```
    ///
    /// - Parameter input: The start state's input.
    /// - Returns: The run's handle. Dropping it does not cancel the run.
    public nonisolated func start(_ input: Input) -> RunHandle<Output> {
        let id = RunID()
        let log = RunEventLog()
        let engine = engine
        hub.runStarted()  // now, not when the task begins: the orchestration may be released before that
        let task = Task { await engine.run(input, id: id, log: log) }
        return RunHandle(id: id, task: task, log: log)
    }

    /// The events of every run, from the moment iteration begins. See ``OrchestrationEvents``.
    public nonisolated var events: OrchestrationEvents { OrchestrationEvents(hub: hub) }

    /// Calls `hook` with every event of every run, in order per run.
    ///
    /// Each hook has its own unbounded queue and its own task: the run never waits for a hook,
    /// a slow hook delays only itself (its queue grows; nothing is dropped), and a hook that
    /// throws is reported to ``OrchestrationOptions/onHookFailure`` and keeps receiving events.
    /// Events reach hooks in batches, at most about a millisecond after they happen.
    /// A hook that captures its own orchestration keeps it alive for good: capture it `weak`.
    ///
    /// ```swift
    /// orchestration.onEvent { event in print(event) }
    /// ```
    ///
    /// - Parameter hook: Called once per event, never concurrently with itself.
    /// - Returns: The subscription, to remove the hook or wait for it to catch up.
    @discardableResult
    public nonisolated func onEvent(
        _ hook: nonisolated(nonsending) @escaping @Sendable (OrchestrationEvent) async throws -> Void
    ) -> EventSubscription {
        let report = reportHookFailure
        return subscribe { batch in
            for index in batch.indices {
                do {
                    try await hook(batch[index])
                } catch {
                    report(HookFailure(event: batch[index], error: error))
                }
            }
        }
    }

    /// Calls a synchronous `hook` with every event of every run, in order per run.
    ///
    /// Everything said of the closure form holds, but the hook's task calls `hook` without an
    /// asynchronous call per event — with every event observed, this roughly halves the CPU time
    /// the hook's side costs per event (see `Docs/Performance.md`):
    ///
    /// ```swift
    /// orchestration.onEvent(.synchronous { event in print(event) })
    /// ```
    ///
    /// - Parameter hook: Called once per event, never concurrently with itself, on the hook's task.
    /// - Returns: The subscription, to remove the hook or wait for it to catch up.
    @discardableResult
    public nonisolated func onEvent(_ hook: EventHook) -> EventSubscription {
        let (body, report) = (hook.body, reportHookFailure)
        return subscribe { batch in
            for index in batch.indices {
                do {
                    try body(batch[index])
                } catch {
                    report(HookFailure(event: batch[index], error: error))
                }
            }
        }
    }

    /// Adds a hook's queue to the hub and starts the hook's own task, which hands `handle` every
    /// batch until the queue closes.
    private nonisolated func subscribe(
        _ handle: nonisolated(nonsending) @escaping @Sendable (_ batch: [OrchestrationEvent]) async -> Void
    ) -> EventSubscription {
        let queue = EventQueue()
        hub.add(queue, isHook: true)
        Task {
            // `handle` is `nonsending`, so awaiting it does not hop executors once per batch.
            while let batch = await queue.nextBatch() {
                await handle(batch)
                queue.markHandled(batch)
            }
        }
        return EventSubscription(hub: hub, queue: queue)
    }

    /// Where a hook's errors go: ``OrchestrationOptions/onHookFailure``, or standard error.
    private nonisolated var reportHookFailure: @Sendable (HookFailure) -> Void {
        options.onHookFailure ?? Self.report
    }

    /// Waits until every hook has handled every event published before the call — for example
    /// before reading what hooks collected about a run that has just returned. Returns early if the
    /// calling task is cancelled. Do not call it from inside a hook: it would wait for that very hook.
    public nonisolated func waitForHooks() async {
        await hub.waitForHooks()
    }

    /// Checks the declared graph before any run: an exit no path reaches, states with no way
    /// out that are not the exit, states that cannot reach the exit, unreachable states,
    /// advancers that do not declare their targets, and duplicate names.
    ///
    /// - Returns: Every problem found, errors and warnings; empty when the graph is sound.
    public nonisolated func validate() -> [GraphDiagnostic] {
        engine.validation.diagnostics(start: engine.start, exit: engine.exit)
    }

    @Sendable private static func report(_ failure: HookFailure) {
        warn("\(failure)")
    }

    /// Writes `message` to standard error as a line of Orchestra's, for what fails where nobody can be told:
    /// a hook's failure, an audit log that cannot write.
    package static func warn(_ message: String) {
        try? FileHandle.standardError.write(contentsOf: Data("Orchestra: \(message)\n".utf8))
    }
}
