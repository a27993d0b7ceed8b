import Foundation
import OrchestraAgents

extension ApprovalCommand {
    /// `start TOPIC`: drafts, then the run suspends at Approve and the process can end.
    func start(_ topic: String) async throws(Failure) {
        output.write("Drafting a report on \"\(topic)\"…\n")
        let handle = machine.orchestration.start(.topic(topic))
        do throws(OrchestrationError) {
            report(try await handle.outcome, of: handle.id)
        } catch {
            throw failure(error, runID: handle.id)
        }
    }

    /// `show RUN-ID`: what the run waits for, or what it published; runs nothing.
    func show(_ runID: RunID) async throws(Failure) {
        // resume(_:) would run a failed or interrupted run again; show only says where it stands.
        if let checkpoint = try await load(runID), checkpoint.status != .suspended, checkpoint.status != .completed {
            let place = checkpoint.state.map { " at state '\($0)'" } ?? ""
            let why = checkpoint.error.map { ": \($0.message)" } ?? ""
            output.write(
                "Run \(runID) is \(checkpoint.status.rawValue)\(place) (step \(checkpoint.step))\(why)\n"
                    + "It does not wait for approval; 'approval resume \(runID)' continues it from its last "
                    + "checkpoint.\n")
            return
        }
        do throws(OrchestrationError) {
            report(try await machine.orchestration.resume(runID), of: runID)
        } catch {
            throw failure(error, runID: runID)
        }
    }

    /// `approve RUN-ID`: answers Approve with `.approve`; the run goes on to Publish and completes.
    func approve(_ runID: RunID) async throws(Failure) {
        do throws(OrchestrationError) {
            let outcome = try await machine.orchestration.resume(runID, answering: machine.approve, with: .approve)
            report(outcome, of: runID, completed: "Approved. Run \(runID) is completed; it published:")
        } catch {
            throw failure(error, runID: runID)
        }
    }

    /// `revise RUN-ID NOTES`: answers Approve with the notes; the run drafts again and waits again.
    func revise(_ runID: RunID, notes: String) async throws(Failure) {
        output.write("Revising the draft of run \(runID): \"\(notes)\"…\n")
        do throws(OrchestrationError) {
            let review = Review.revise(notes: notes)
            report(try await machine.orchestration.resume(runID, answering: machine.approve, with: review), of: runID)
        } catch {
            throw failure(error, runID: runID)
        }
    }

    /// `resume RUN-ID`: continues a run that stopped while drafting — its process killed, or its model down —
    /// from its last checkpoint: the draft it was writing is written again, then the run waits for approval.
    func resume(_ runID: RunID) async throws(Failure) {
        output.write("Resuming run \(runID) from its last checkpoint…\n")
        do throws(OrchestrationError) {
            report(try await machine.orchestration.resume(runID), of: runID)
        } catch {
            throw failure(error, runID: runID)
        }
    }

    /// Prints how a run ended this time: waiting for approval, with the draft and the commands to answer it, or
    /// completed, with the published report.
    ///
    /// - Parameters:
    ///   - outcome: How the run ended.
    ///   - runID: The run.
    ///   - completed: The line before the published report; by default, that the run is completed.
    private func report(_ outcome: RunOutcome<String>, of runID: RunID, completed: String? = nil) {
        switch outcome {
        case .completed(let published):
            output.write("\n\(completed ?? "Run \(runID) is completed; it published:")\n\n\(published)\n")
        case .suspended(let suspension):
            guard let draft = machine.approve.prompt(in: suspension) else {
                output.write("\nThe \(suspension), which this example does not answer.\n")
                return
            }
            let store = storeArgument.map { " --store \(Self.quoted($0))" } ?? ""
            output.write(
                """

                --- Draft, revision \(draft.revision) ---
                \(draft.text)
                --- end of draft ---

                Run \(runID) waits for approval (state '\(suspension.state)', step \(suspension.step)).
                Approve it, or ask for a revision:
                  swift run approval approve\(store) \(runID)
                  swift run approval revise\(store) \(runID) "what to change"

                """)
        }
    }

    /// The run's latest checkpoint, or `nil` when the store has no such run.
    func load(_ runID: RunID) async throws(Failure) -> Checkpoint? {
        do {
            return try await store.load(runID)?.checkpoint
        } catch {
            throw unreadable(error, runID: runID)
        }
    }

    /// A run's error as a line for people: the code, then what happened.
    func failure(_ error: OrchestrationError, runID: RunID) -> Failure {
        switch error.code {
        case .runNotFound:
            return Failure(
                message: "\(error.code): the store \(storePath) holds no run \(runID); 'approval list' shows the runs "
                    + "it holds")
        case .checkpointFailed:
            if let underlying = error.underlying { return unreadable(underlying, runID: runID) }
            return Failure(message: error.description)
        case .stateFailed:
            return Failure(message: "run \(runID) failed: \(error.description)")
        default:
            return Failure(message: error.description)
        }
    }

    /// A store's error reading run `runID`, naming the file at fault when the store does.
    private func unreadable(_ error: any Error, runID: RunID) -> Failure {
        guard let error = error as? CheckpointError else {
            return Failure(
                message: "\(OrchestrationError.Code.checkpointFailed): run \(runID) cannot be read: \(error)")
        }
        // The location and message say what is wrong; the decoder's error underneath is noise here.
        return Failure(
            message: "\(OrchestrationError.Code.checkpointFailed): run \(runID) cannot be read: \(error.code): "
                + "\(error.location): \(error.message)")
    }

    /// `text` as a shell word: as it is when that is safe, otherwise in single quotes.
    static func quoted(_ text: String) -> String {
        let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "/._-+=:,@"))
        if !text.isEmpty, text.unicodeScalars.allSatisfy(plain.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
