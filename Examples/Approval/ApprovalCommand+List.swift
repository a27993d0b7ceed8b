import OrchestraAgents

extension ApprovalCommand {
    /// `list`: every run in the store, oldest first, with its status, its state and step, and its report.
    func list() async throws(Failure) {
        let runs: [Checkpoint]
        do {
            runs = try await store.runs()
        } catch let error as CheckpointError {
            throw Failure(message: "cannot list the runs: \(error.code): \(error.location): \(error.message)")
        } catch {
            throw Failure(message: "cannot list the runs: \(error)")
        }
        guard !runs.isEmpty else {
            output.write("No runs yet. Start one with: swift run approval start \"TOPIC\"\n")
            return
        }
        let rows =
            [["RUN", "STATUS", "STATE", "STEP", "REPORT"]]
            + runs.map { run in
                [run.runID.description, run.status.rawValue, run.state ?? "-", "\(run.step)", Self.report(of: run)]
            }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            output.write(cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n")
        }
    }

    /// The run's report as its checkpoint holds it: the draft in its memory, as in `revision 2 of "tides"`, or the
    /// published report's title; `-` when there is neither.
    static func report(of checkpoint: Checkpoint) -> String {
        let key = ApprovalMachine.draft.name
        if let entry = checkpoint.memory.first(where: { $0.name == key }),
            let draft = try? entry.value.decoded(as: ReportDraft.self, location: "memory key '\(key)'")
        {
            return "revision \(draft.revision) of \"\(draft.topic)\""
        }
        // A completed run's checkpoint keeps its output, not its memory.
        if checkpoint.status == .completed,
            let published = try? checkpoint.value?.decoded(as: String.self, location: "the run's output"),
            let title = published.split(separator: "\n").first, title.hasPrefix("# ")
        {
            return "published: \(title.dropFirst(2))"
        }
        return "-"
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
