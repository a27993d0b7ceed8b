import Synchronization

/// A ``CheckpointStore`` that keeps checkpoints in this process's memory.
///
/// For tests, and for runs that wait for a person while the process lives; nothing survives the process. It
/// keeps values as the run hands them over, without encoding them, so a checkpoint costs about a microsecond;
/// the run still checks that every saved value is `Codable`, so a machine that works with this store works
/// with ``FileCheckpointStore``.
///
/// ```swift
/// let store = InMemoryCheckpointStore()
/// let orchestration = Orchestration(start: draft, exit: publish, options: .init(checkpoints: store))
/// ```
public final class InMemoryCheckpointStore: CheckpointStore {
    private struct Entry {
        var checkpoint: Checkpoint
        var steps: [RunRecord.Step]
        /// When the run was first saved, to list runs in that order.
        var order: Int

        mutating func replace(with checkpoint: Checkpoint, appending steps: [RunRecord.Step]) {
            let kept = min(self.checkpoint.recordedSteps, self.steps.count)
            if self.steps.count > kept { self.steps.removeSubrange(kept...) }
            self.steps.append(contentsOf: steps)
            self.checkpoint = checkpoint
        }
    }

    private struct Storage {
        var runs: [RunID: Entry] = [:]
        var saves = 0
    }

    private let storage = Mutex(Storage())

    /// Creates an empty store.
    public init() {}

    /// Saves the checkpoint and appends the steps.
    public func save(_ checkpoint: Checkpoint, appending steps: [RunRecord.Step]) async throws {
        storage.withLock { storage in
            storage.saves += 1
            if storage.runs[checkpoint.runID]?.replace(with: checkpoint, appending: steps) == nil {
                storage.runs[checkpoint.runID] = Entry(checkpoint: checkpoint, steps: steps, order: storage.saves)
            }
        }
    }

    /// The run's latest checkpoint and steps.
    public func load(_ runID: RunID) async throws -> StoredRun? {
        storage.withLock { storage in
            storage.runs[runID].map { StoredRun(checkpoint: $0.checkpoint, steps: $0.steps) }
        }
    }

    /// Every run's latest checkpoint, in the order the runs were first saved.
    public func runs() async throws -> [Checkpoint] {
        storage.withLock { storage in
            storage.runs.values.sorted { $0.order < $1.order }.map(\.checkpoint)
        }
    }

    /// Forgets the run.
    public func delete(_ runID: RunID) async throws {
        _ = storage.withLock { $0.runs.removeValue(forKey: runID) }
    }
}
