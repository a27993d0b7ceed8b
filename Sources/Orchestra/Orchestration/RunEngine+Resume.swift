import Foundation
import Synchronization

/// A stored run ready to continue: the state it continues with, that state's input, and what it had.
struct Resumed: Sendable {
    var node: any StateNode
    var value: any Sendable
    /// The step `node` runs as.
    var step: Int
    var stored: StoredRun
    var memory: RunMemory
    /// The answer for the ``AwaitInput`` at `node`, when the run was suspended there.
    var answer: (any Sendable)?
}

/// The ids of the durable runs in flight in this process, whichever orchestration runs them: run ids are unique,
/// so one registry serves every store.
final class ActiveRuns: Sendable {
    static let shared = ActiveRuns()

    private let ids = Mutex<Set<RunID>>([])

    /// Adds `id`; `false` when it is already in flight.
    func claim(_ id: RunID) -> Bool {
        ids.withLock { $0.insert(id).inserted }
    }

    func release(_ id: RunID) {
        _ = ids.withLock { $0.remove(id) }
    }
}

/// What resuming a stored run comes to before anything runs.
enum ResumePlan: Sendable {
    /// The run had completed, with this output.
    case completed(any Sendable)
    /// The run waits for an answer, and none was given.
    case suspended(Suspension)
    /// The run continues.
    case run(Resumed)
}

extension RunEngine {
    /// Reads run `runID` from the store and decides how it continues; claims it when it runs.
    ///
    /// - Parameter answering: The ``AwaitInput`` state being answered and the answer, or `nil`.
    nonisolated(nonsending) func prepareResume(
        _ runID: RunID, answering: (state: any StateNode, answer: any Sendable)?
    ) async -> Result<ResumePlan, OrchestrationError> {
        guard let store = options.checkpoints else {
            return .failure(
                Self.refusal(
                    .notResumable, runID,
                    "the orchestration has no checkpoint store (OrchestrationOptions.checkpoints), so it keeps no runs "
                        + "to resume"))
        }
        // Claimed before the checkpoint is read, so that two resumes of one run cannot both read it and both run:
        // the second is refused until the first has ended.
        guard active.claim(runID) else {
            return .failure(
                Self.refusal(
                    .notResumable, runID,
                    "run \(runID) is running, or being resumed, in this process; wait for it to end before resuming it")
            )
        }
        let plan = await prepareClaimed(runID, store: store, answering: answering)
        if case .success(.run) = plan { return plan }
        active.release(runID)
        return plan
    }

    /// ``prepareResume(_:answering:)`` once the run is claimed.
    private nonisolated(nonsending) func prepareClaimed(
        _ runID: RunID, store: any CheckpointStore, answering: (state: any StateNode, answer: any Sendable)?
    ) async -> Result<ResumePlan, OrchestrationError> {
        let loaded: StoredRun?
        do {
            loaded = try await store.load(runID)
        } catch {
            return .failure(
                OrchestrationError(
                    code: .checkpointFailed, runID: runID, underlying: error,
                    message: "run \(runID) could not be read from the checkpoint store: \(error)"
                )
            )
        }
        guard let stored = loaded else {
            return .failure(
                Self.refusal(
                    .runNotFound, runID, "the checkpoint store holds no run \(runID); list its runs with runs()")
            )
        }
        let checkpoint = stored.checkpoint
        guard checkpoint.format <= Checkpoint.currentFormat else {
            let problem = CheckpointError(
                code: .unsupportedFormat, runID: runID, location: "run \(runID)'s checkpoint",
                message: "the checkpoint is in format \(checkpoint.format), newer than this version of Orchestra "
                    + "reads (\(Checkpoint.currentFormat) and below)")
            return .failure(
                OrchestrationError(
                    code: .checkpointFailed, runID: runID, underlying: problem,
                    message: "run \(runID) cannot be resumed: \(problem.message)"))
        }
        // A resumed run times its steps from its first start: a date no Duration holds (a damaged file, a store of
        // one's own) would trap there.
        let age = Date().timeIntervalSince(checkpoint.startedAt)
        guard age.isFinite, age.magnitude < 1e15 else {
            let problem = CheckpointError(
                code: .corrupt, runID: runID, location: "run \(runID)'s checkpoint",
                message: "the run's start, \(checkpoint.startedAt.timeIntervalSinceReferenceDate) seconds after 2001, "
                    + "is not a date a run started at")
            return .failure(
                OrchestrationError(
                    code: .checkpointFailed, runID: runID, underlying: problem,
                    message: "run \(runID) cannot be resumed: \(problem.message)"))
        }
        if let answering, checkpoint.status != .suspended {
            return .failure(
                Self.refusal(
                    .notAwaitingInput, runID,
                    "run \(runID) is not waiting for an answer at '\(answering.state.stateName)': it is "
                        + "\(checkpoint.status.rawValue)\(checkpoint.state.map { " at state '\($0)'" } ?? "")"
                        + (checkpoint.status == .completed ? "" : "; resume it with resume(_:)")
                )
            )
        }
        do throws(OrchestrationError) {
            if checkpoint.status == .completed {
                let output = try restore(checkpoint.value, runID: runID, what: "output") {
                    value throws(CheckpointError) in
                    try exit.restoreOutput(value)
                }
                return .success(.completed(output))
            }
            let node = try state(named: checkpoint.state, runID: runID)
            let value = try restore(checkpoint.value, runID: runID, what: "input of state '\(node.stateName)'") {
                value throws(CheckpointError) in try node.restoreInput(value)
            }
            if checkpoint.status == .suspended {
                guard let answering else {
                    return .success(
                        .suspended(
                            Suspension(runID: runID, state: node.stateName, step: checkpoint.step, prompt: value))
                    )
                }
                guard answering.state === node else {
                    throw Self.refusal(
                        .notAwaitingInput, runID,
                        "run \(runID) waits for an answer at state '\(node.stateName)', not at "
                            + "'\(answering.state.stateName)'; answer '\(node.stateName)'"
                    )
                }
            }
            let resumed = Resumed(
                node: node, value: value, step: checkpoint.step, stored: stored,
                memory: RunMemory(restoring: checkpoint.memory), answer: answering?.answer
            )
            return .success(.run(resumed))
        } catch {
            return .failure(error)
        }
    }

    /// The state a checkpoint names.
    private func state(named name: String?, runID: RunID) throws(OrchestrationError) -> any StateNode {
        guard let name, let node = validation.state(named: name, start: start, exit: exit) else {
            throw Self.refusal(
                .notResumable, runID,
                "run \(runID)'s checkpoint names state '\(name ?? "none")', which this machine does not have; was the "
                    + "machine changed, or a state renamed, since the run was saved?"
            )
        }
        return node
    }

    /// A checkpoint's value read back by `read`; a missing or unreadable one is a ``OrchestrationError/Code/checkpointFailed``.
    private func restore(
        _ value: CheckpointValue?, runID: RunID, what: String,
        _ read: (CheckpointValue) throws(CheckpointError) -> any Sendable
    ) throws(OrchestrationError) -> any Sendable {
        guard let value else {
            throw OrchestrationError(
                code: .checkpointFailed, runID: runID,
                message: "run \(runID)'s checkpoint holds no \(what); the store returned an incomplete record"
            )
        }
        do {
            return try read(value)
        } catch {
            throw OrchestrationError(
                code: .checkpointFailed, runID: runID, underlying: error,
                message: "run \(runID)'s saved \(what) could not be read back: \(error.message)"
            )
        }
    }

    private static func refusal(_ code: OrchestrationError.Code, _ runID: RunID, _ message: String)
        -> OrchestrationError
    {
        OrchestrationError(code: code, runID: runID, message: message)
    }
}

extension RunFinish {
    /// The outcome with the output cast back to the orchestration's `Output`: completed, or suspended.
    func outcome<Output>(as _: Output.Type = Output.self) throws(OrchestrationError) -> RunOutcome<Output> {
        switch result {
        case .success(let output): return .completed(try Self.cast(output))
        case .failure(let error):
            if error.code == .suspended, let suspension = error.suspension { return .suspended(suspension) }
            throw error
        }
    }
}
