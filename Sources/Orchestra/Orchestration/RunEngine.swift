import Foundation
import Synchronization

/// Runs one machine: carries out ``RunStateMachine``'s actions, emits events, keeps the record.
/// Shared by every run of an orchestration; holds nothing mutable.
///
/// Not generic: values travel erased between states anyway, and a generic engine running as
/// unspecialized code looked up the metadata of `RunFinish<Output>` and friends several times per
/// run. The orchestration casts the exit state's output back to its `Output`.
struct RunEngine: Sendable {
    let start: any StateNode
    let exit: any StateNode
    let options: OrchestrationOptions
    let clock: RunClock
    let hub: EventHub
    let validation: ValidationCache
    let stepsHint = StepsHint()
    /// The durable runs in flight in this process: a run is resumed only when it is not one of them.
    var active: ActiveRuns { ActiveRuns.shared }
    /// Whether runs save checkpoints: a flag, so that a run without a store never copies the store's existential.
    var isDurable: Bool { validation.durable }

    /// Runs the machine on `input` to its end. Never throws: the outcome is in the result.
    ///
    /// The caller must have called ``EventHub/runStarted()`` — at once, before any suspension — so that
    /// the hub stays open for this run even if the orchestration is released before the run begins.
    ///
    /// - Parameter log: The run's own event log, for runs started with `start`; those always keep a record.
    nonisolated(nonsending) func run(_ input: any Sendable, id: RunID, log: RunEventLog?) async -> RunFinish {
        let scope = RunScope(
            runID: id, clock: clock, hub: hub, log: log, stepLimit: options.stepLimit,
            records: options.recordsRuns || isDurable
        )
        // A durable run is in flight here until it ends, so it is not resumed meanwhile.
        let claimed = isDurable && active.claim(id)
        defer { if claimed { active.release(id) } }
        // One handler per run, so that each step checks a flag instead of `Task.isCancelled`.
        return await withTaskCancellationHandler {
            await drive(input, scope: scope, resumed: nil)
        } onCancel: {
            scope.cancel()
        }
    }

    /// Continues a stored run at `resumed.node`; the caller checked that the run may continue and called
    /// ``EventHub/runStarted()``.
    nonisolated(nonsending) func run(resuming resumed: Resumed, log: RunEventLog?) async -> RunFinish {
        let id = resumed.stored.checkpoint.runID
        let scope = RunScope(
            runID: id, clock: clock, hub: hub, log: log, stepLimit: options.stepLimit, records: true,
            memory: resumed.memory, answer: resumed.answer.map { .init(step: resumed.step, value: $0) }
        )
        // Claimed by `prepareResume`.
        defer { active.release(id) }
        return await withTaskCancellationHandler {
            await drive(resumed.value, scope: scope, resumed: resumed)
        } onCancel: {
            scope.cancel()
        }
    }

    /// The run itself, inside its cancellation handler.
    private nonisolated(nonsending) func drive(_ input: any Sendable, scope: RunScope, resumed: Resumed?) async
        -> RunFinish
    {
        let id = scope.runID
        let recording = scope.records
        var record: RunRecord
        // A resumed run's steps are timed from the run's first start, in wall-clock time.
        var origin: Duration
        if let resumed {
            record = resumed.stored.record
            record.status = .running
            record.error = nil
            origin = .seconds(Date().timeIntervalSince(resumed.stored.checkpoint.startedAt))
        } else {
            record = RunRecord(runID: id, startedAt: Date())
            origin = .zero
        }
        // Growing the steps by doubling would reallocate, and copy every step, several times per run:
        // reserve what the previous run needed.
        if recording { record.steps.reserveCapacity(stepsHint.value.load(ordering: .relaxed)) }
        // The steps carried over from the run's earlier parts, which hold what those parts recorded: what states
        // record now belongs to the steps after them, though a resumed state reuses its step number.
        let carried = record.steps.count
        var events = EventBuffer(scope: scope)
        // Times are read once per transition: a state's finish is the next state's start.
        let runStart = scope.runStart
        origin = runStart - origin
        // From the scope's one reading: a subscriber that arrived since it was made gets a fresh time, not
        // an unmeasured zero as the first state's start.
        var nowIsFresh = scope.measuredStart
        var now = runStart
        if !nowIsFresh, scope.isListened {
            now = clock.now()
            nowIsFresh = true
        }
        let first = resumed?.node ?? start
        let startName = first.stateName
        if let resumed {
            events.append(resumed.step, startName, now, .runResumed)
        } else {
            events.append(0, startName, now, .runStarted)
        }

        var machine = RunStateMachine(runID: id, exit: exit, stepLimit: options.stepLimit)
        var action: RunStateMachine.Action
        var checkpointer: Checkpointer?
        if options.validatesGraph,
            let invalid = validation.failure(start: start, exit: exit, runID: id)
        {
            action = .fail(invalid)
        } else if let resumed {
            action = machine.resume(
                at: first, named: startName, input: input, step: resumed.step, isCancelled: scope.isCancelled)
            if let store = options.checkpoints { checkpointer = Checkpointer(store: store, resuming: resumed.stored) }
        } else {
            action = machine.begin(at: start, named: startName, input: input, isCancelled: scope.isCancelled)
            if isDurable, let store = options.checkpoints, case .execute = action {
                let saver = Checkpointer(store: store, runID: id, startedAt: record.startedAt)
                if let failure = await saver.save(
                    running: start, name: startName, value: input, step: 1, scope: scope, record: record, after: nil)
                {
                    action = .fail(failure)
                }
                checkpointer = saver
            }
        }
        let restoresMemory = resumed != nil

        while true {
            // Consumed, so binding the payload moves the state and its input instead of copying them.
            switch consume action {
            case .execute(let node, let value, let step):
                let name = machine.stateName
                let timed = recording || scope.isListened
                // `now` is the previous state's end only if that state was timed; a subscriber that
                // arrived since then needs a fresh reading.
                if timed, !nowIsFresh { now = clock.now() }
                let started = now
                events.append(step, name, started, .stateStarted)
                events.flush()
                scope.stateStarted(step: step)
                let context = RunContext(scope: scope, step: step, state: name)
                do {
                    // A synchronous state runs without an async call: no frame to allocate, no executor check.
                    let stateClock = timed ? clock : nil
                    let result =
                        if let done = try node.executeSynchronously(value, context: context, clock: stateClock) {
                            done
                        } else {
                            try await node.execute(value, context: context, clock: stateClock)
                        }
                    if let finishedAt = result.finishedAt { now = finishedAt }
                    nowIsFresh = timed
                    let duration = now - started
                    // A state that started while nobody listened has no measured duration: a subscriber
                    // that arrived meanwhile sees the run from its transition on.
                    if timed { events.append(step, name, now, .stateCompleted(duration: duration)) }
                    let lastStep = scope.currentStep
                    if lastStep != step { machine.childrenRan(through: lastStep) }
                    action = machine.stateReturned(
                        node, result: result, isCancelled: scope.isCancelled
                    )
                    if restoresMemory, let failure = restoreFailure(scope, state: name, step: step) {
                        action = .fail(failure)
                    }
                    var next: String? = if case .execute = action { machine.stateName } else { nil }
                    if recording {
                        // One complete step appended, rather than appended at the start and amended.
                        record.appendStep(
                            step, name, start: started - origin, duration: duration, next: next,
                            label: next == nil ? nil : result.label
                        )
                        if lastStep != step { record.appendChildSteps(scope.takeChildSteps()) }
                    }
                    // The checkpoint for the next state, once the record holds this one.
                    if let checkpointer, case .execute(let target, let input, let nextStep) = action {
                        if let failure = await checkpointer.save(
                            running: target, name: machine.stateName, value: input, step: nextStep, scope: scope,
                            record: record, after: (name, step))
                        {
                            action = .fail(failure)
                            next = nil
                        } else if scope.isCancelled {
                            // Cancelled while the checkpoint was saved: the next state does not start.
                            action = machine.cancelledBeforeNextState()
                            next = nil
                        }
                    }
                    if let next, scope.isListened {
                        if !nowIsFresh {
                            now = clock.now()
                            nowIsFresh = true
                        }
                        events.append(step, name, now, .transition(to: next), label: result.label)
                    }
                } catch {
                    nowIsFresh = recording || scope.isListened
                    if nowIsFresh { now = clock.now() }
                    if let suspend = error as? SuspendRun, !scope.isCancelled {
                        let suspension = Suspension(runID: id, state: name, step: step, prompt: suspend.prompt)
                        if let failure = await suspendFailure(
                            checkpointer, suspension, from: node, scope: scope, record: record)
                        {
                            action = .fail(failure)
                            events.append(step, name, now, .stateFailed(failure))
                            continue
                        }
                        record.status = .suspended
                        finish(&events, &record, carried, machine, origin, recording) { .runSuspended(suspension, $0) }
                        return RunFinish(result: .failure(OrchestrationError(suspended: suspension)), record: record)
                    }
                    action = machine.stateThrew(error, isCancelled: scope.isCancelled)
                    if restoresMemory, let failure = restoreFailure(scope, state: name, step: step) {
                        action = .fail(failure)
                    }
                    if recording {
                        record.appendStep(
                            step, name, start: started - origin, duration: now - started, next: nil, label: nil,
                            failed: true)
                        if scope.currentStep != step { record.appendChildSteps(scope.takeChildSteps()) }
                    }
                    if case .fail(let failure) = action {
                        events.append(step, name, now, .stateFailed(failure))
                    }
                }
            case .complete(let output):
                if let checkpointer,
                    let failure = await checkpointer.save(
                        completed: output, state: machine.stateName, step: machine.step, scope: scope, record: record)
                {
                    action = .fail(failure)
                    continue
                }
                record.status = .completed
                finish(&events, &record, carried, machine, origin, recording) { .runCompleted($0) }
                return RunFinish(result: .success(output), record: record)
            case .fail(let error):
                let cancelled = error.code == .cancelled
                if let checkpointer {
                    await checkpointer.save(
                        ended: cancelled ? .cancelled : .failed, error: error, scope: scope, record: record)
                }
                record.status = cancelled ? .cancelled : .failed
                record.error = RunRecord.ErrorSummary(error)
                finish(&events, &record, carried, machine, origin, recording) {
                    cancelled ? .runCancelled($0) : .runFailed(error, $0)
                }
                return RunFinish(result: .failure(error), record: record)
            }
        }
    }

    /// Stamps the record's duration and publishes the terminal event, which closes the run's log.
    private func finish(
        _ events: inout EventBuffer,
        _ record: inout RunRecord,
        _ carried: Int,
        _ machine: RunStateMachine,
        _ origin: Duration,
        _ recording: Bool,
        _ kind: (RunRecord) -> OrchestrationEvent.Kind
    ) {
        let end = recording || events.scope.isListened ? clock.now() : events.scope.runStart
        if recording {
            record.duration = end - origin
            RunRecord.add(events.scope.recordedUsage(), to: &record.steps[min(carried, record.steps.count)...])
            stepsHint.remember(record.steps.count)
        }
        events.finish {
            OrchestrationEvent(
                run: record.runID, step: machine.step, state: machine.stateName, timestamp: end, kind: kind(record)
            )
        }
    }
}

/// How many steps the orchestration's last recorded run took, so that the next run's record can
/// reserve room for them at once. Machines tend to repeat their shape; when one does not, a run
/// grows its record as usual.
final class StepsHint: Sendable {
    /// At most this many are reserved, whatever the last run took: a short run after a long one
    /// carries at most this much unused room (about 26 KiB) in its record.
    static let cap = 256
    let value = Atomic(8)

    func remember(_ count: Int) {
        let hint = min(max(count, 1), Self.cap)
        if value.load(ordering: .relaxed) != hint { value.store(hint, ordering: .relaxed) }
    }
}

/// How one run ended: its result — the exit state's output, erased — and its record.
struct RunFinish: Sendable {
    var result: Result<any Sendable, OrchestrationError>
    var record: RunRecord

    /// The result with the output cast back to the orchestration's `Output`, which the exit state
    /// produces by construction.
    func typed<Output>(as _: Output.Type = Output.self) -> Result<Output, OrchestrationError> {
        result.flatMap { output in Result { () throws(OrchestrationError) in try Self.cast(output) } }
    }

    /// The exit state's output as `Output`. A pattern cast, not `as?`: no `Optional<Output>`, whose
    /// metadata unspecialized code would look up at run time.
    static func cast<Output>(_ output: any Sendable, as _: Output.Type = Output.self) throws(OrchestrationError)
        -> Output
    {
        try castErased(output, "the exit state's output")
    }
}

extension RunEngine {
    /// Saves the checkpoint of a run that suspends; the error when it could not be saved, or when there is no
    /// store to save it in.
    fileprivate nonisolated(nonsending) func suspendFailure(
        _ checkpointer: Checkpointer?, _ suspension: Suspension, from node: any StateNode, scope: RunScope,
        record: RunRecord
    ) async -> OrchestrationError? {
        // A policy passes the suspension through untouched (it is beyond policies), so it arrives from the policy.
        guard node is any AwaitingState else {
            return OrchestrationError(
                code: .invalidConfiguration, state: suspension.state, step: suspension.step, runID: suspension.runID,
                message:
                    "AwaitInput '\(suspension.state)' is wrapped in a policy (retry, timeout, fallback, …); it can "
                    + "suspend a run only as a state of the machine itself — leave policies to the states around it"
            )
        }
        guard let checkpointer else {
            return OrchestrationError(
                code: .invalidConfiguration, state: suspension.state, step: suspension.step, runID: suspension.runID,
                message: "AwaitInput '\(suspension.state)' must suspend the run, but the orchestration has no "
                    + "checkpoint store to keep it in; set OrchestrationOptions.checkpoints (InMemoryCheckpointStore "
                    + "keeps runs for the life of the process, FileCheckpointStore across processes)"
            )
        }
        return await checkpointer.save(
            suspendedAt: suspension.state, prompt: suspension.prompt, step: suspension.step, scope: scope,
            record: record)
    }

    /// The error of a resumed run whose state read a memory value that could not be restored.
    fileprivate func restoreFailure(_ scope: RunScope, state: String, step: Int) -> OrchestrationError? {
        guard let problem = scope.memoryIfMade?.takeRestoreFailure() else { return nil }
        return OrchestrationError(
            code: .checkpointFailed, state: state, step: step, runID: scope.runID, underlying: problem,
            message: "state '\(state)' read \(problem.location) from the run's checkpoint, but it could not be "
                + "restored: \(problem.message)"
        )
    }
}
