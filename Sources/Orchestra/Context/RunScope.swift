import Synchronization

/// What every state of one run shares, in one object, so that a context costs one reference and a
/// run one allocation: the run's identity and clock, where its events go, whether it was cancelled,
/// its memory, and the step counter, step limit and children's record steps that composites share.
///
/// Events go to the run's own log (runs started with `start`) and to the hub. The engine buffers a
/// transition's events in an ``EventBuffer`` it owns and hands them over together before the next
/// state runs; chunks, composites' children's events and policies' events come from inside states,
/// possibly from child tasks, and go through ``publish(_:)`` at once.
final class RunScope: Sendable {
    let runID: RunID
    let clock: RunClock
    let hub: EventHub
    let log: RunEventLog?
    /// The most states the run may execute, composites' children included.
    let stepLimit: Int
    /// Whether the run keeps a record, which then includes composites' children.
    let records: Bool
    /// When the run started, on its clock; `.zero` when the run was neither recorded nor listened to
    /// as it started.
    let runStart: Duration
    /// Whether ``runStart`` was read from the clock; a manual clock's start may well be `.zero` too.
    let measuredStart: Bool
    /// The last step number given out: the engine sets it as each state of the machine starts, and
    /// each child of a composite takes the next one, from whichever task runs it.
    private let lastStep = Atomic(0)
    /// The children's steps since the engine last took them, when the run keeps a record.
    private let childSteps = Mutex<[RunRecord.Step]>([])
    /// The subscribers that events published from inside states go to. The lock also orders them
    /// against the run's end: `ended` is checked and set under it, so that an event from a task a
    /// state left running is either delivered before the last event or dropped.
    private let published = Mutex(EventHub.Snapshot())
    /// Set by the run's cancellation handler: reading it costs a load, where `Task.isCancelled`
    /// finds the current task and locks its status.
    private let cancelled = Atomic(false)
    /// Set, under `published`'s lock, as the run's last event is published; read without the lock by a
    /// child about to start, which then does not run.
    private let ended = Atomic(false)
    /// The tokens states recorded and the retries their policies made, by step number, when the run keeps a
    /// record; `hasUsage` spares a run that recorded none the lock as it ends.
    private let usage = Mutex<[Int: StepUsage]>([:])
    private let hasUsage = Atomic(false)
    /// Made on first use: most runs never touch their memory.
    private let lazyMemory: Mutex<RunMemory?>
    /// The answer a suspended run was resumed with, for the ``AwaitInput`` waiting at its step.
    let resumedAnswer: ResumedAnswer?

    /// An answer for the ``AwaitInput`` state a resumed run continues with.
    struct ResumedAnswer: Sendable {
        var step: Int
        var value: any Sendable
    }

    init(
        runID: RunID, clock: RunClock, hub: EventHub, log: RunEventLog?, stepLimit: Int, records: Bool,
        memory: RunMemory? = nil, answer: ResumedAnswer? = nil
    ) {
        lazyMemory = Mutex(memory)
        resumedAnswer = answer
        self.runID = runID
        self.clock = clock
        self.hub = hub
        self.log = log
        self.stepLimit = stepLimit
        self.records = records || log != nil
        measuredStart = self.records || hub.hasSubscribers
        runStart = measuredStart ? clock.now() : .zero
    }

    /// The run's memory, shared by every state of this run and by no other run.
    var memory: RunMemory {
        lazyMemory.withLock { memory in
            if let memory { return memory }
            let made = RunMemory()
            memory = made
            return made
        }
    }

    /// The memory, if a state has used it (or the run was resumed with one); `nil` costs no allocation.
    var memoryIfMade: RunMemory? { lazyMemory.withLock { $0 } }

    /// The answer for the ``AwaitInput`` running in `context`: the resumed run's, when it runs at the step the run
    /// waited at.
    func answer(for context: RunContext) -> (any Sendable)? {
        guard let resumedAnswer, resumedAnswer.step == context.step, context.parentNode == nil else { return nil }
        return resumedAnswer.value
    }

    /// Whether the run's task has been cancelled; valid inside the engine's cancellation handler.
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Called by the run's cancellation handler.
    func cancel() { cancelled.store(true, ordering: .releasing) }

    /// Whether the run's last event has been published.
    var hasEnded: Bool { ended.load(ordering: .acquiring) }

    /// Whether an event published now would reach anyone; cheap enough to ask per event.
    var isListened: Bool { log != nil || hub.hasSubscribers }

    /// Called by the engine as a state of the machine starts, so that children take the steps after it.
    func stateStarted(step: Int) { lastStep.store(step, ordering: .relaxed) }

    /// The last step number given out: larger than the current state's when its children ran.
    var currentStep: Int { lastStep.load(ordering: .relaxed) }

    /// Gives a child of a composite its step number.
    func takeStep() -> Int { lastStep.add(1, ordering: .relaxed).newValue }

    /// Keeps a child's step for the run's record.
    func recordChild(_ step: RunRecord.Step) {
        childSteps.withLock { $0.append(step) }
    }

    /// The children's steps recorded since the last call.
    func takeChildSteps() -> [RunRecord.Step] {
        childSteps.withLock { steps in
            defer { steps = [] }
            return steps
        }
    }

    /// Adds tokens that the state at `step` used, from `model` if named, for the run's record.
    func recordTokens(_ tokens: TokenUsage, model: String?, step: Int) {
        guard records else { return }
        usage.withLock { $0[step, default: StepUsage()].add(tokens, model: model) }
        hasUsage.store(true, ordering: .releasing)
    }

    /// Counts a retry of the state at `step`, for the run's record.
    func recordRetry(step: Int) {
        guard records else { return }
        usage.withLock { $0[step, default: StepUsage()].retries += 1 }
        hasUsage.store(true, ordering: .releasing)
    }

    /// The tokens and retries recorded so far, by step number.
    func recordedUsage() -> [Int: StepUsage] {
        guard hasUsage.load(ordering: .acquiring) else { return [:] }
        return usage.withLock { $0 }
    }

    /// Publishes an event from inside a state — a chunk, or a composite's child starting or ending —
    /// at once; dropped after the run has ended.
    func publish(_ event: OrchestrationEvent) {
        withUnsafeTemporaryAllocation(of: OrchestrationEvent.self, capacity: 1) { slot in
            slot.initializeElement(at: 0, to: event)
            let taken = published.withLock { subscribers in
                !ended.load(ordering: .relaxed) && hand(slot, subscribers: &subscribers)
            }
            if !taken { _ = slot.deinitialize() }
        }
    }

    /// Hands events to the run's log and to every subscriber: the last subscriber's queue takes
    /// them by move, the log and any other queue copy them.
    ///
    /// - Returns: Whether a queue took them, leaving `events` uninitialized. If none did, they are
    ///   still in `events`, and the caller destroys them — outside any lock of its own, since
    ///   destroying the last reference to a value of the user's runs its `deinit`.
    func hand(_ events: UnsafeMutableBufferPointer<OrchestrationEvent>, subscribers: inout EventHub.Snapshot) -> Bool {
        log?.append(contentsOf: UnsafeBufferPointer(events))
        guard hub.hasSubscribers else { return false }
        hub.refresh(&subscribers)
        // By index into the cached list: no copy of the list and no retain of each queue.
        let last = subscribers.queues.count - 1
        for index in subscribers.queues.indices {
            if index == last { return subscribers.queues[index].append(moving: events) }
            subscribers.queues[index].append(copying: UnsafeBufferPointer(events))
        }
        return false
    }

    /// Publishes the run's last events, closes the run's log, and tells the hub the run is over.
    /// Leaves `events` uninitialized.
    func finish(_ events: UnsafeMutableBufferPointer<OrchestrationEvent>, subscribers: inout EventHub.Snapshot) {
        let taken = published.withLock { _ in
            ended.store(true, ordering: .releasing)
            defer { log?.finish() }
            return hand(events, subscribers: &subscribers)
        }
        if !taken { _ = events.deinitialize() }
        hub.runEnded()
    }
}
