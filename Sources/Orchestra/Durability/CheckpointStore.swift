/// Where an orchestration keeps its runs' checkpoints, so that a run can continue after a crash, or after
/// waiting for a person, in this process or another.
///
/// Set one in ``OrchestrationOptions/checkpoints``. Orchestra ships ``InMemoryCheckpointStore`` (one process:
/// tests, and runs that wait for a person while the process lives) and ``FileCheckpointStore`` (a directory;
/// survives crashes). To keep checkpoints elsewhere — a database, an object store — conform a type of your own:
/// ``Checkpoint`` is `Codable`, so a store can write it with any encoder.
///
/// ```swift
/// let store = try FileCheckpointStore(directory: URL(filePath: "runs"))
/// let orchestration = Orchestration(start: draft, exit: publish, options: .init(checkpoints: store))
/// ```
///
/// A store serves many runs at once, from one orchestration or several; it is called concurrently for
/// different runs, never concurrently for one run.
public protocol CheckpointStore: Sendable {
    /// Saves `checkpoint` as its run's latest, replacing the one before, and appends `steps` to the run's
    /// record.
    ///
    /// It must be atomic: a crash at any moment leaves either the previous checkpoint and its steps, or this
    /// one and its steps. Afterwards the run's record has ``Checkpoint/recordedSteps`` steps: a store
    /// drops any it kept beyond the previous checkpoint's count before appending, since a save that a crash
    /// interrupted may have left them.
    ///
    /// - Parameters:
    ///   - checkpoint: The run's latest checkpoint.
    ///   - steps: The steps the run recorded since its previous checkpoint; empty for a run's first.
    func save(_ checkpoint: Checkpoint, appending steps: [RunRecord.Step]) async throws

    /// The run's latest checkpoint and its record's steps, or `nil` when the store has no such run.
    ///
    /// - Parameter runID: The run.
    /// - Throws: When the run's records cannot be read; never returns `nil` for a run it holds but cannot read.
    func load(_ runID: RunID) async throws -> StoredRun?

    /// The latest checkpoint of every run the store holds, oldest first.
    func runs() async throws -> [Checkpoint]

    /// Forgets a run; does nothing when the store has no such run.
    ///
    /// - Parameter runID: The run.
    func delete(_ runID: RunID) async throws
}
