import Foundation

extension FileCheckpointStore {
    /// The content of `<run>.checkpoint.json`: the checkpoint, and how many bytes of the steps log belong to it.
    struct CheckpointRecord: Codable {
        var format: Int
        var stepsBytes: Int
        var checkpoint: Checkpoint
    }

    /// One line of `<run>.steps.jsonl`.
    struct StepRecord: Codable {
        var format: Int
        var step: RunRecord.Step
    }

    /// Just the format of a record, read before anything else, since a newer format may differ in every other
    /// field.
    struct FormatProbe: Decodable {
        var format: Int
    }

    /// How long a run's steps log is up to its latest checkpoint.
    struct LogLength: Sendable {
        var bytes: Int
        var steps: Int
    }
}

extension StoreFile {
    /// Decodes a record of this file: its format first, then the whole record.
    ///
    /// - Parameters:
    ///   - type: The record's type.
    ///   - bytes: The record's JSON.
    ///   - decoder: The decoder.
    ///   - what: The record, for messages: `the checkpoint`, `line 3`.
    func decode<Record: Decodable>(
        _ type: Record.Type, from bytes: some Collection<UInt8>, decoder: JSONDecoder, what: String
    ) throws(CheckpointError) -> Record {
        let data = Data(bytes)
        let format: Int
        do {
            format = try decoder.decode(FormatProbe.self, from: data).format
        } catch {
            throw corrupt(
                "\(what) is not a record of a file checkpoint store: it is not JSON, or it has no integer 'format'; "
                    + "restore the file from a backup, or delete the run",
                underlying: error)
        }
        guard format <= Checkpoint.currentFormat else {
            throw CheckpointError(
                code: .unsupportedFormat, runID: runID, location: path,
                message: "\(what) was written by a newer Orchestra (format \(format)); this version reads format "
                    + "\(Checkpoint.currentFormat) and below")
        }
        do {
            return try decoder.decode(Record.self, from: data)
        } catch {
            throw corrupt(
                "\(what) is not a valid format \(format) record; restore the file from a backup, or delete the run",
                underlying: error)
        }
    }

    /// Decodes a checkpoint file of `runID`, checking that the record is the run's and that its counts make sense.
    func decodeCheckpoint(_ bytes: [UInt8], decoder: JSONDecoder) throws(CheckpointError)
        -> FileCheckpointStore.CheckpointRecord
    {
        let record = try decode(
            FileCheckpointStore.CheckpointRecord.self, from: bytes, decoder: decoder, what: "the checkpoint")
        let checkpoint = record.checkpoint
        guard checkpoint.format <= Checkpoint.currentFormat else {
            throw CheckpointError(
                code: .unsupportedFormat, runID: runID, location: path,
                message: "the checkpoint was written by a newer Orchestra (checkpoint format \(checkpoint.format)); "
                    + "this version reads format \(Checkpoint.currentFormat) and below")
        }
        if let runID, checkpoint.runID != runID {
            throw corrupt(
                "the file holds the checkpoint of run \(checkpoint.runID), not of run \(runID) as its name says; "
                    + "was it copied or renamed?")
        }
        guard record.stepsBytes >= 0, checkpoint.recordedSteps >= 0 else {
            throw corrupt(
                "the checkpoint counts \(record.stepsBytes) bytes and \(checkpoint.recordedSteps) steps in the "
                    + "steps log; neither may be negative")
        }
        return record
    }

    /// Decodes the steps of this log: its first `length.bytes` bytes, which must hold `length.steps` lines.
    ///
    /// - Parameters:
    ///   - bytes: The log's bytes up to the checkpoint; fewer when the file is shorter.
    ///   - length: What the checkpoint counts.
    ///   - decoder: The decoder.
    func decodeSteps(_ bytes: [UInt8], length: FileCheckpointStore.LogLength, decoder: JSONDecoder)
        throws(CheckpointError) -> [RunRecord.Step]
    {
        guard bytes.count == length.bytes else {
            throw corrupt(
                "the steps log has \(bytes.count) bytes, but the run's checkpoint counts \(length.bytes); the log "
                    + "lost records it had when the checkpoint was saved")
        }
        var steps: [RunRecord.Step] = []
        steps.reserveCapacity(length.steps)
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let line = steps.count + 1
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                throw corrupt("line \(line) of the steps log ends before its newline, inside the checkpoint's bytes")
            }
            let record = try decode(StepRecord.self, from: bytes[start..<end], decoder: decoder, what: "line \(line)")
            steps.append(record.step)
            start = end + 1
        }
        guard steps.count == length.steps else {
            throw corrupt(
                "the steps log has \(steps.count) steps up to the checkpoint, but the checkpoint counts "
                    + "\(length.steps)")
        }
        return steps
    }
}

private typealias StepRecord = FileCheckpointStore.StepRecord
private typealias FormatProbe = FileCheckpointStore.FormatProbe
