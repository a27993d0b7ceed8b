import Foundation
import Orchestra
import Testing

/// A run's files in a ``FileCheckpointStore``'s directory, to read and damage them as a crash or a person would.
struct CheckpointFiles {
    let checkpoint: URL
    let log: URL
    let temporary: URL

    init(_ runID: RunID, in directory: URL) {
        checkpoint = directory.appending(path: "\(runID).checkpoint.json")
        log = directory.appending(path: "\(runID).steps.jsonl")
        temporary = directory.appending(path: ".\(runID).checkpoint.tmp")
    }

    /// The path a ``CheckpointError`` names for `url`.
    static func path(_ url: URL) -> String { url.path(percentEncoded: false) }

    /// The checkpoint file as a JSON object.
    func checkpointJSON() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: checkpoint)) as? [String: Any])
    }

    /// Rewrites the checkpoint file after `change` edits its JSON object.
    func editCheckpoint(_ change: (inout [String: Any]) -> Void) throws {
        var object = try checkpointJSON()
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: checkpoint)
    }

    /// The log's lines, without their newlines.
    func logLines() throws -> [String] {
        let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
        #expect(text.isEmpty || text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Replaces the log with `lines` and sets the checkpoint's `stepsBytes` to their length, so that the store
    /// reads them all.
    func replaceLog(with lines: [String]) throws {
        let text = Data(lines.map { $0 + "\n" }.joined().utf8)
        try text.write(to: log)
        try editCheckpoint { $0["stepsBytes"] = text.count }
    }

    /// Appends `text` to the log, as a save that a crash interrupted would have left it.
    func appendToLog(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// The size of the log in bytes.
    func logSize() throws -> Int {
        try Data(contentsOf: log).count
    }
}

/// Runs `body` with a store in a fresh temporary directory, removed afterwards.
func withFileStore(_ body: (FileCheckpointStore, URL) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        try await body(try FileCheckpointStore(directory: directory), directory)
    }
}

/// Saves a run of two steps, as most file tests start: a first checkpoint without steps, then one after two.
func saveTwoSteps(_ runID: RunID, in store: FileCheckpointStore) async throws {
    try await store.save(makeCheckpoint(runID, step: 1, recordedSteps: 0), appending: [])
    try await store.save(makeCheckpoint(runID, step: 3, recordedSteps: 2), appending: makeSteps(1...2))
}

/// Checks that `operation` throws a ``CheckpointError`` with `code`, about `runID`, located at `location`, and
/// returns it for further checks.
@discardableResult
func expectCheckpointError(
    _ code: CheckpointError.Code, runID: RunID?, at location: URL, sourceLocation: SourceLocation = #_sourceLocation,
    _ operation: () async throws -> Void
) async -> CheckpointError? {
    do {
        try await operation()
        Issue.record("expected a \(code) error at \(location), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as CheckpointError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.runID == runID, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location == CheckpointFiles.path(location), "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a CheckpointError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
