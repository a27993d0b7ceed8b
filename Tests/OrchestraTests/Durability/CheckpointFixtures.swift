import Foundation
import Orchestra
import Testing

/// A value a state might hand over, to check that checkpoint values come back as they went in.
struct StoredDraft: Codable, Equatable, Sendable {
    var title: String
    var words: [String]
}

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inMemory
    case file

    var testDescription: String { rawValue }

    /// Runs `body` with a new, empty store of this kind; a file store gets a temporary directory, removed after.
    func withStore(_ body: (any CheckpointStore) async throws -> Void) async throws {
        switch self {
        case .inMemory:
            try await body(InMemoryCheckpointStore())
        case .file:
            try await withTemporaryDirectory { directory in
                try await body(try FileCheckpointStore(directory: directory))
            }
        }
    }
}

/// A checkpoint of `runID` as a run saves it at `step`, with `recordedSteps` steps recorded, a value and a memory
/// entry that depend on the step, and an error summary when the run failed.
func makeCheckpoint(
    _ runID: RunID, status: RunRecord.Status = .running, step: Int, recordedSteps: Int,
    startedAt: Date = Date(timeIntervalSinceReferenceDate: 1_000)
) throws -> Checkpoint {
    let error = OrchestrationError(code: .stateFailed, state: "State\(step)", step: step, message: "boom")
    return Checkpoint(
        runID: runID, status: status, step: step, state: status == .completed ? nil : "State\(step)",
        value: try CheckpointValue(draft(at: step), location: "the input of state 'State\(step)'"),
        memory: [
            Checkpoint.MemoryEntry(
                name: "notes", type: String(reflecting: [String].self),
                value: try CheckpointValue(["note \(step)"], location: "memory key 'notes'"))
        ],
        recordedSteps: recordedSteps, startedAt: startedAt, savedAt: startedAt.addingTimeInterval(Double(step)),
        error: status == .failed || status == .cancelled ? RunRecord.ErrorSummary(error) : nil)
}

/// The value ``makeCheckpoint(_:status:step:recordedSteps:startedAt:)`` keeps at `step`.
func draft(at step: Int) -> StoredDraft {
    StoredDraft(title: "draft \(step)", words: ["step", "\(step)", "with \"quotes\", a / and a\nnewline"])
}

/// Steps numbered `numbers` with every field set, as a run records them; times are exact in binary, so they
/// survive JSON unchanged.
func makeSteps(_ numbers: ClosedRange<Int>) -> [RunRecord.Step] {
    numbers.map { n in
        RunRecord.Step(
            step: n, state: "State\(n)", start: .milliseconds(250 * n), duration: .milliseconds(125),
            next: "State\(n + 1)", label: n.isMultiple(of: 2) ? "even" : nil, failed: n == 3,
            parent: n.isMultiple(of: 3) ? StatePath(["Research", "ForEach[\(n)]"]) : nil,
            tokens: TokenUsage(promptTokens: 10 * n, completionTokens: n))
    }
}

/// Checks that `loaded` is `saved` read back: every field, and the values decoded as their types.
func expectSame(_ loaded: Checkpoint, _ saved: Checkpoint, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(loaded.format == saved.format, sourceLocation: sourceLocation)
    #expect(loaded.runID == saved.runID, sourceLocation: sourceLocation)
    #expect(loaded.status == saved.status, sourceLocation: sourceLocation)
    #expect(loaded.step == saved.step, sourceLocation: sourceLocation)
    #expect(loaded.state == saved.state, sourceLocation: sourceLocation)
    #expect(loaded.recordedSteps == saved.recordedSteps, sourceLocation: sourceLocation)
    #expect(loaded.startedAt == saved.startedAt, sourceLocation: sourceLocation)
    #expect(loaded.savedAt == saved.savedAt, sourceLocation: sourceLocation)
    #expect(loaded.error == saved.error, sourceLocation: sourceLocation)
    let value = try #require(loaded.value, sourceLocation: sourceLocation)
    #expect(
        try value.decoded(as: StoredDraft.self, location: "value")
            == saved.value?.decoded(as: StoredDraft.self, location: "value"),
        sourceLocation: sourceLocation)
    #expect(loaded.memory.map(\.name) == saved.memory.map(\.name), sourceLocation: sourceLocation)
    #expect(loaded.memory.map(\.type) == saved.memory.map(\.type), sourceLocation: sourceLocation)
    #expect(
        try loaded.memory.map { try $0.value.decoded(as: [String].self, location: $0.name) }
            == saved.memory.map { try $0.value.decoded(as: [String].self, location: $0.name) },
        sourceLocation: sourceLocation)
}
