public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A ``CheckpointStore`` that keeps checkpoints in a directory: the embedded, durable default.
///
/// Each run has two files, named by its ``RunID``:
///
/// - `<run>.checkpoint.json`, the latest checkpoint: `{"format": 1, "stepsBytes": 812, "checkpoint": {…}}`, where
///   `stepsBytes` is how much of the steps log belongs to it;
/// - `<run>.steps.jsonl`, the run record's steps, one JSON line each: `{"format": 1, "step": {…}}`.
///
/// A save appends the new steps to the log and flushes it to disk, then writes the checkpoint to a temporary file,
/// flushes it and renames it over the old one, and flushes the directory. So each save is atomic: a process killed
/// at any moment (even by `SIGKILL`), or a machine that loses power, leaves either the previous checkpoint and its
/// steps or the new ones. Log bytes past `stepsBytes` that an interrupted save left are ignored when reading, and
/// cut off by the run's next save that appends steps. A save returns once its checkpoint is on disk.
///
/// ```swift
/// let store = try FileCheckpointStore(directory: URL(filePath: "runs"))
/// let orchestration = Orchestration(start: draft, exit: publish, options: .init(checkpoints: store))
/// ```
///
/// Many runs can be saved at once, by one store or by several, in one process or several, but each run must have
/// one writer at a time: the orchestration running it. A store remembers the length of the log of each run it saved
/// or loaded, so that a save reads nothing; when a run moves to another store and back, load it again before saving
/// it (resuming a run does).
public final class FileCheckpointStore: CheckpointStore {
    /// Where a save stands, for tests that kill the process in the middle of one.
    package enum WritePhase: Sendable {
        /// The new steps are written to the log but not yet flushed to disk; not reached by a save without steps.
        case logAppended
        /// Half of the temporary checkpoint file is written.
        case tempHalfWritten
        /// The temporary checkpoint file is complete and on disk, but not yet renamed.
        case tempWritten
        /// The temporary file has replaced the checkpoint, but the directory is not yet flushed.
        case renamed
    }

    /// The directory that holds the runs' files.
    public let directory: URL

    private let directoryPath: String
    private let directoryDescriptor: Descriptor
    /// How long each run's log is, as its latest checkpoint says, so a save reads nothing.
    private let lengths = Mutex<[RunID: LogLength]>([:])
    private let faultHook: (@Sendable (WritePhase) -> Void)?

    /// Opens the store in `directory`, creating the directory and its parents when they are missing.
    ///
    /// - Parameter directory: The directory; runs already in it can be loaded and continued.
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/io`` when the path exists but is not a
    ///   directory, or cannot be created or opened.
    public convenience init(directory: URL) throws(CheckpointError) {
        try self.init(directory: directory, hook: nil)
    }

    /// Opens the store in `directory`, calling `faultHook` at each ``WritePhase`` of every save.
    package convenience init(
        directory: URL, faultHook: @escaping @Sendable (WritePhase) -> Void
    ) throws(CheckpointError) {
        try self.init(directory: directory, hook: faultHook)
    }

    private init(directory: URL, hook: (@Sendable (WritePhase) -> Void)?) throws(CheckpointError) {
        var path = directory.path(percentEncoded: false)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        self.directory = directory
        directoryPath = path
        directoryDescriptor = try openDirectory(path)
        faultHook = hook
    }

    /// Appends `steps` to the run's log and replaces its checkpoint, atomically.
    ///
    /// - Parameters:
    ///   - checkpoint: The run's latest checkpoint; its ``Checkpoint/recordedSteps`` must be the previous
    ///     checkpoint's plus the number of `steps`.
    ///   - steps: The steps the run recorded since its previous checkpoint.
    /// - Throws: ``CheckpointError``: ``CheckpointError/Code/io`` when the file system refuses a write,
    ///   ``CheckpointError/Code/notCodable`` when a value does not encode, ``CheckpointError/Code/corrupt`` when
    ///   the run's files on disk cannot be read or the log is shorter than its checkpoint counts, or when
    ///   `checkpoint`'s count of steps does not follow from the previous one; nothing is changed then.
    public func save(_ checkpoint: Checkpoint, appending steps: [RunRecord.Step]) async throws {
        do {
            try write(checkpoint, appending: steps)
        } catch {
            // What the files hold now is unknown: the next save reads it back.
            _ = lengths.withLock { $0.removeValue(forKey: checkpoint.runID) }
            throw error
        }
    }

    /// The run's latest checkpoint and its steps, or `nil` when the directory has no checkpoint of the run.
    ///
    /// - Parameter runID: The run.
    /// - Throws: ``CheckpointError`` whose ``CheckpointError/location`` is the file at fault:
    ///   ``CheckpointError/Code/corrupt`` when a file is not what the store writes, or the log holds fewer steps
    ///   than the checkpoint counts; ``CheckpointError/Code/unsupportedFormat`` when a newer Orchestra wrote it;
    ///   ``CheckpointError/Code/io`` when a file cannot be read.
    public func load(_ runID: RunID) async throws -> StoredRun? {
        try read(runID)
    }

    /// The latest checkpoint of every run in the directory, by the time the runs started.
    ///
    /// Reads only the checkpoint files; a run's steps are read by ``load(_:)``. Other files in the directory are
    /// ignored.
    ///
    /// - Throws: ``CheckpointError`` naming the first checkpoint file that cannot be read, as ``load(_:)`` would.
    ///   To list the other runs anyway — a recovery loop must not stop at one damaged run — use
    ///   ``readableRuns()``.
    public func runs() async throws -> [Checkpoint] {
        let (checkpoints, unreadable) = try listing()
        if let first = unreadable.first { throw first }
        return checkpoints
    }

    /// Every run whose checkpoint can be read, and an error for each that cannot.
    ///
    /// ```swift
    /// let (runs, unreadable) = try await store.readableRuns()
    /// for problem in unreadable { log("skipped \(problem.location): \(problem.message)") }
    /// for run in runs where run.status == .running { _ = try await orchestration.resume(run.runID) }
    /// ```
    ///
    /// - Returns: The readable runs' latest checkpoints, by the time the runs started; and a ``CheckpointError``
    ///   naming each checkpoint file that could not be read.
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/io`` when the directory cannot be listed.
    public func readableRuns() async throws(CheckpointError) -> (runs: [Checkpoint], unreadable: [CheckpointError]) {
        try listing()
    }

    /// The readable checkpoints, sorted, and the errors of the unreadable ones, in file-name order.
    private func listing() throws(CheckpointError) -> (runs: [Checkpoint], unreadable: [CheckpointError]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directoryPath).sorted()
        } catch {
            throw CheckpointError(
                code: .io, location: directoryPath, message: "could not list the directory \(directoryPath)",
                underlying: error)
        }
        let decoder = JSONDecoder()
        var checkpoints: [Checkpoint] = []
        var unreadable: [CheckpointError] = []
        for name in names where name.hasSuffix(Self.checkpointSuffix) && !name.hasPrefix(".") {
            guard let uuid = UUID(uuidString: String(name.dropLast(Self.checkpointSuffix.count))) else { continue }
            let file = files(of: RunID(uuid)).checkpoint
            do throws(CheckpointError) {
                // Only the names this store writes; a run deleted since the listing is gone.
                guard file.name == name, let bytes = try file.contents(in: directoryDescriptor) else { continue }
                checkpoints.append(try file.decodeCheckpoint(bytes, decoder: decoder).checkpoint)
            } catch {
                unreadable.append(error)
            }
        }
        let sorted = checkpoints.sorted {
            ($0.startedAt, $0.runID.description) < ($1.startedAt, $1.runID.description)
        }
        return (sorted, unreadable)
    }

    /// Removes the run's files; does nothing when there are none.
    ///
    /// - Parameter runID: The run.
    /// - Throws: ``CheckpointError`` with code ``CheckpointError/Code/io`` when a file cannot be removed.
    public func delete(_ runID: RunID) async throws {
        _ = lengths.withLock { $0.removeValue(forKey: runID) }
        let files = files(of: runID)
        // The checkpoint first: without it the run is gone, whatever else a crash leaves.
        try files.checkpoint.remove(in: directoryDescriptor)
        try files.log.remove(in: directoryDescriptor)
        try files.temporary.remove(in: directoryDescriptor)
        try synchronizeDirectory()
    }
}

extension FileCheckpointStore {
    private static let checkpointSuffix = ".checkpoint.json"

    /// A run's files.
    private struct RunFiles {
        let checkpoint: StoreFile
        let log: StoreFile
        let temporary: StoreFile
    }

    private func files(of runID: RunID) -> RunFiles {
        let id = runID.description
        return RunFiles(
            checkpoint: StoreFile(name: id + Self.checkpointSuffix, directory: directoryPath, runID: runID),
            log: StoreFile(name: id + ".steps.jsonl", directory: directoryPath, runID: runID),
            temporary: StoreFile(name: "." + id + ".checkpoint.tmp", directory: directoryPath, runID: runID))
    }

    private func write(_ checkpoint: Checkpoint, appending steps: [RunRecord.Step]) throws(CheckpointError) {
        let files = files(of: checkpoint.runID)
        let encoder = JSONEncoder()
        // Sorted, so that a record is the same bytes in every process.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let previous = try logLength(files)
        guard previous.steps + steps.count == checkpoint.recordedSteps else {
            throw files.checkpoint.corrupt(
                "the checkpoint counts \(checkpoint.recordedSteps) steps, but the run had \(previous.steps) and "
                    + "\(steps.count) are appended; saving it would make the run unreadable")
        }
        var length = previous
        if !steps.isEmpty {
            var lines = Data()
            for step in steps {
                lines.append(try encode(StepRecord(format: Checkpoint.currentFormat, step: step), encoder, files.log))
                lines.append(0x0A)
            }
            try append(lines, to: files.log, after: previous.bytes)
            length.bytes += lines.count
            length.steps += steps.count
        }
        let record = CheckpointRecord(
            format: Checkpoint.currentFormat, stepsBytes: length.bytes, checkpoint: checkpoint)
        try replace(files.checkpoint, with: encode(record, encoder, files.checkpoint), using: files.temporary)
        lengths.withLock { $0[checkpoint.runID] = length }
        faultHook?(.renamed)
        try synchronizeDirectory()
    }

    /// Writes `lines` at `offset` of the log, dropping whatever an interrupted save left after it, and flushes it.
    private func append(_ lines: Data, to log: StoreFile, after offset: Int) throws(CheckpointError) {
        // A log that the checkpoint counts bytes of must be there: creating it would hide the loss.
        guard let file = try log.open(in: directoryDescriptor, flags: offset > 0 ? O_WRONLY : O_WRONLY | O_CREAT) else {
            throw log.corrupt("the steps log is missing, but the run's checkpoint counts \(offset) bytes of it")
        }
        let size = try log.size(of: file)
        guard size >= offset else {
            throw log.corrupt(
                "the steps log has \(size) bytes, but the run's checkpoint counts \(offset); the log lost records "
                    + "it had when the checkpoint was saved")
        }
        if size > offset { try log.truncate(file, to: offset) }
        try log.write(lines, to: file, at: offset)
        faultHook?(.logAppended)
        try log.synchronize(file)
        try log.close(file)
    }

    /// Replaces `target` with `bytes` atomically: through `temporary`, flushed, then renamed over it.
    private func replace(_ target: StoreFile, with bytes: Data, using temporary: StoreFile) throws(CheckpointError) {
        let flags = O_WRONLY | O_CREAT | O_TRUNC
        guard let file = try temporary.open(in: directoryDescriptor, flags: flags) else {
            throw temporary.corrupt("the temporary file could not be created, though it is opened with O_CREAT")
        }
        if let faultHook {
            let half = bytes.count / 2
            try temporary.write(bytes.prefix(half), to: file, at: 0)
            faultHook(.tempHalfWritten)
            try temporary.write(bytes.dropFirst(half), to: file, at: half)
        } else {
            try temporary.write(bytes, to: file, at: 0)
        }
        try temporary.synchronize(file)
        try temporary.close(file)
        faultHook?(.tempWritten)
        try temporary.rename(to: target, in: directoryDescriptor)
    }

    /// Flushes the directory, so that a rename or a removal survives a power loss.
    private func synchronizeDirectory() throws(CheckpointError) {
        let code = synchronizeDescriptor(directoryDescriptor.raw)
        if code != 0 {
            throw CheckpointError(
                code: .io, location: directoryPath,
                message: "could not flush the directory \(directoryPath) to disk: \(describe(code))")
        }
    }

    /// The length of the run's log up to its latest checkpoint: remembered, or read from the checkpoint file.
    private func logLength(_ files: RunFiles) throws(CheckpointError) -> LogLength {
        if let runID = files.checkpoint.runID, let known = lengths.withLock({ $0[runID] }) { return known }
        guard let bytes = try files.checkpoint.contents(in: directoryDescriptor) else {
            return LogLength(bytes: 0, steps: 0)
        }
        let record = try files.checkpoint.decodeCheckpoint(bytes, decoder: JSONDecoder())
        return LogLength(bytes: record.stepsBytes, steps: record.checkpoint.recordedSteps)
    }

    private func encode(_ value: some Encodable, _ encoder: JSONEncoder, _ file: StoreFile) throws(CheckpointError)
        -> Data
    {
        do {
            return try encoder.encode(value)
        } catch var error as CheckpointError {
            error.runID = error.runID ?? file.runID
            throw error
        } catch {
            throw CheckpointError(
                code: .notCodable, runID: file.runID, location: file.path,
                message: "the record could not be encoded as JSON", underlying: error)
        }
    }

    private func read(_ runID: RunID) throws(CheckpointError) -> StoredRun? {
        let files = files(of: runID)
        guard let bytes = try files.checkpoint.contents(in: directoryDescriptor) else { return nil }
        let decoder = JSONDecoder()
        let record = try files.checkpoint.decodeCheckpoint(bytes, decoder: decoder)
        let length = LogLength(bytes: record.stepsBytes, steps: record.checkpoint.recordedSteps)
        var steps: [RunRecord.Step] = []
        if length.bytes > 0 {
            guard let log = try files.log.open(in: directoryDescriptor, flags: O_RDONLY) else {
                throw files.log.corrupt(
                    "the steps log is missing, but the run's checkpoint counts \(length.bytes) bytes of it")
            }
            steps = try files.log.decodeSteps(files.log.read(log, upTo: length.bytes), length: length, decoder: decoder)
        } else if length.steps > 0 {
            throw files.checkpoint.corrupt("the checkpoint counts \(length.steps) steps in 0 bytes of the steps log")
        }
        lengths.withLock { $0[runID] = length }
        return StoredRun(checkpoint: record.checkpoint, steps: steps)
    }
}
