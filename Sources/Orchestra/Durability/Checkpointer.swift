import Foundation

/// Saves one run's checkpoints for the engine: after each completed state, when the run suspends, and as it ends.
/// Remembers how much of the record it has saved and the last checkpoint, which a failed run keeps.
final class Checkpointer {
    let store: any CheckpointStore
    let runID: RunID
    let startedAt: Date
    /// The record's steps already saved.
    private var savedSteps: Int
    /// The last checkpoint saved: what a failure or cancellation leaves in the store, with its status changed.
    private var last: Checkpoint?
    /// Whether the store refused a save: the run then ends without another.
    private var storeFailed = false

    init(store: any CheckpointStore, runID: RunID, startedAt: Date) {
        self.store = store
        self.runID = runID
        self.startedAt = startedAt
        savedSteps = 0
    }

    /// Continues a stored run: its record's steps are saved, and its checkpoint is the one a failure keeps.
    init(store: any CheckpointStore, resuming stored: StoredRun) {
        self.store = store
        runID = stored.checkpoint.runID
        startedAt = stored.checkpoint.startedAt
        savedSteps = stored.steps.count
        last = stored.checkpoint
    }

    /// Saves that `state` runs next, as `step`, on `value`.
    ///
    /// - Returns: The run's error when the checkpoint could not be saved; `after` names the state that completed, and
    ///   its step.
    nonisolated(nonsending) func save(
        running state: any StateNode, name: String, value: any Sendable, step: Int, scope: RunScope,
        record: RunRecord, after completed: (name: String, step: Int)?
    ) async -> OrchestrationError? {
        let (errorState, errorStep) = completed ?? (name, step)
        return await save(.running, at: name, step: step, scope: scope, record: record, blame: (errorState, errorStep))
        {
            () throws(CheckpointError) in
            state.inputIsCodable
                ? CheckpointValue(encodable: value)
                : try CheckpointValue(value, location: "the input of state '\(name)'")
        }
    }

    /// Saves that the run waits at `state`, as `step`, with `prompt`.
    nonisolated(nonsending) func save(
        suspendedAt state: String, prompt: any Sendable, step: Int, scope: RunScope, record: RunRecord
    ) async -> OrchestrationError? {
        await save(.suspended, at: state, step: step, scope: scope, record: record, blame: (state, step)) {
            () throws(CheckpointError) in
            try CheckpointValue(prompt, location: "the prompt of state '\(state)'")
        }
    }

    /// Saves a checkpoint of a run that goes on, or waits, at `state` with the memory as it is now, and keeps it as
    /// the one a failure leaves; a failure to save is blamed on `blame`.
    private nonisolated(nonsending) func save(
        _ status: RunRecord.Status, at state: String, step: Int, scope: RunScope, record: RunRecord,
        blame: (state: String, step: Int), value: () throws(CheckpointError) -> CheckpointValue
    ) async -> OrchestrationError? {
        do throws(CheckpointError) {
            let checkpoint = Checkpoint(
                runID: runID, status: status, step: step, state: state, value: try value(),
                memory: try scope.memoryIfMade?.checkpointEntries() ?? [], recordedSteps: record.steps.count,
                startedAt: startedAt
            )
            if let failure = await save(checkpoint, record: record, scope: scope, state: blame.state, step: blame.step)
            {
                return failure
            }
            last = checkpoint
            return nil
        } catch {
            return failed(error, state: blame.state, step: blame.step)
        }
    }

    /// Saves that the run completed with `output` at `step`, the exit state's.
    nonisolated(nonsending) func save(
        completed output: any Sendable, state: String, step: Int, scope: RunScope, record: RunRecord
    )
        async -> OrchestrationError?
    {
        do throws(CheckpointError) {
            let checkpoint = Checkpoint(
                runID: runID, status: .completed, step: step, state: nil,
                value: try CheckpointValue(output, location: "the output of the exit state '\(state)'"),
                recordedSteps: record.steps.count, startedAt: startedAt
            )
            return await save(checkpoint, record: record, scope: scope, state: state, step: step)
        } catch {
            return failed(error, state: state, step: step)
        }
    }

    /// Saves that the run ended with `error`: the last checkpoint, with the run's status and error, so that a
    /// resume continues from there. Does nothing when none was saved, or when the store just refused a save: it
    /// still holds that last checkpoint.
    nonisolated(nonsending) func save(
        ended status: RunRecord.Status, error: OrchestrationError, scope: RunScope, record: RunRecord
    )
        async
    {
        guard var checkpoint = last, !storeFailed else { return }
        checkpoint.status = status
        checkpoint.error = RunRecord.ErrorSummary(error)
        checkpoint.recordedSteps = record.steps.count
        checkpoint.savedAt = Date()
        // The run's error says why it ended; a store that cannot record that leaves the last checkpoint, from
        // which a resume continues just the same.
        _ = await save(checkpoint, record: record, scope: scope, state: error.state ?? "", step: error.step ?? 0)
    }

    /// Hands the checkpoint and the record's unsaved steps, with their tokens and retries, to the store.
    private nonisolated(nonsending) func save(
        _ checkpoint: Checkpoint, record: RunRecord, scope: RunScope, state: String, step: Int
    ) async -> OrchestrationError? {
        var steps = Array(record.steps[min(savedSteps, record.steps.count)...])
        RunRecord.add(scope.recordedUsage(), to: &steps)
        do {
            try await store.save(checkpoint, appending: steps)
        } catch {
            storeFailed = true
            if error is CancellationError || scope.isCancelled {
                return OrchestrationError(
                    code: .cancelled, state: state, step: step, runID: runID, underlying: error,
                    message: "the run was cancelled while its checkpoint at state '\(state)' (step \(step)) was saved"
                )
            }
            return failed(error, state: state, step: step)
        }
        savedSteps = record.steps.count
        return nil
    }

    private func failed(_ error: any Error, state: String, step: Int) -> OrchestrationError {
        OrchestrationError(
            code: .checkpointFailed, state: state, step: step, runID: runID, underlying: error,
            message: "the run's checkpoint at state '\(state)' (step \(step)) could not be saved: \(error); the run "
                + "stopped rather than go on without one, and the last checkpoint saved is intact"
        )
    }
}
