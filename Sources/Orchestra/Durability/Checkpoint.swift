public import Foundation

/// What a run needs to continue, saved after each state it completes: the state to run next and its input, the
/// step, and the run's memory.
///
/// A checkpoint holds the value on one edge of the machine, not a copy of everything the run has seen, so its size
/// does not grow with the number of steps. The run record's steps go to the store alongside, once each (see
/// ``CheckpointStore/save(_:appending:)``).
///
/// | status | ``state`` | ``value`` |
/// | --- | --- | --- |
/// | ``RunRecord/Status/running`` | the state to run next | its input |
/// | ``RunRecord/Status/suspended`` | the ``AwaitInput`` waiting | its prompt |
/// | ``RunRecord/Status/completed`` | `nil` | the run's output |
/// | ``RunRecord/Status/failed``, ``RunRecord/Status/cancelled`` | the state to run again | its input |
///
/// A failed or cancelled run keeps the last checkpoint it saved before it ended, with its status and
/// ``error`` changed, so ``Orchestration/resume(_:)`` can continue it from there.
public struct Checkpoint: Sendable, Codable {
    /// The format this version of Orchestra writes; a store refuses records with a larger ``format``.
    public static let currentFormat = 1

    /// The format the checkpoint was written in.
    public var format: Int
    /// The run.
    public var runID: RunID
    /// Where the run stands.
    public var status: RunRecord.Status
    /// The step ``state`` runs as (or waits at); for a completed run, its last step.
    public var step: Int
    /// The state to run next, or the one waiting for an answer; `nil` once the run has completed.
    public var state: String?
    /// The input of ``state``, the prompt of a suspended run, or the output of a completed one.
    public var value: CheckpointValue?
    /// The run's memory: every value its states had stored, by key.
    public var memory: [MemoryEntry]
    /// How many steps the run record had when the checkpoint was saved: a store keeps exactly that many.
    public var recordedSteps: Int
    /// The wall-clock time the run started.
    public var startedAt: Date
    /// The wall-clock time the checkpoint was saved.
    public var savedAt: Date
    /// Why the run failed or was cancelled.
    public var error: RunRecord.ErrorSummary?

    /// One value of a run's ``RunMemory``.
    public struct MemoryEntry: Sendable, Codable {
        /// The key's name.
        public var name: String
        /// The key's value type, as `String(reflecting:)` writes it (`Swift.Array<Swift.String>`), or its mangled
        /// name for a private or local type, whose reflected name differs from process to process.
        public var type: String
        /// The value.
        public var value: CheckpointValue

        /// Creates an entry.
        public init(name: String, type: String, value: CheckpointValue) {
            self.name = name
            self.type = type
            self.value = value
        }
    }

    /// Creates a checkpoint.
    public init(
        runID: RunID, status: RunRecord.Status, step: Int, state: String?, value: CheckpointValue?,
        memory: [MemoryEntry] = [], recordedSteps: Int, startedAt: Date, savedAt: Date = Date(),
        error: RunRecord.ErrorSummary? = nil, format: Int = Checkpoint.currentFormat
    ) {
        self.format = format
        self.runID = runID
        self.status = status
        self.step = step
        self.state = state
        self.value = value
        self.memory = memory
        self.recordedSteps = recordedSteps
        self.startedAt = startedAt
        self.savedAt = savedAt
        self.error = error
    }
}

/// A run as a ``CheckpointStore`` holds it: its latest checkpoint and its record's steps so far.
public struct StoredRun: Sendable {
    /// The latest checkpoint.
    public var checkpoint: Checkpoint
    /// The run record's steps up to the checkpoint, in order.
    public var steps: [RunRecord.Step]

    /// Creates a stored run.
    public init(checkpoint: Checkpoint, steps: [RunRecord.Step]) {
        self.checkpoint = checkpoint
        self.steps = steps
    }

    /// The run's record as of the checkpoint. Its ``RunRecord/duration`` is `nil`: a stored run has no
    /// measured end.
    public var record: RunRecord {
        var record = RunRecord(runID: checkpoint.runID, startedAt: checkpoint.startedAt)
        record.status = checkpoint.status
        record.steps = steps
        record.error = checkpoint.error
        return record
    }
}
