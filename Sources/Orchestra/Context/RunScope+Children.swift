extension RunScope {
    /// Runs `node` on `input` as a child of the composite at `parent`: with a step of its own (which
    /// counts toward the step limit), its own started, completed or failed event, and its own step in
    /// the run's record. The child's advancers are not consulted: the composite decides what follows.
    ///
    /// - Throws: An ``OrchestrationError`` of this run: the child's own (a composite's child that failed
    ///   deeper down), or one that wraps what the child threw, naming its path and step.
    nonisolated(nonsending) func runChild(
        _ node: any StateNode, _ input: any Sendable, parent: PathNode
    ) async throws(OrchestrationError) -> any Sendable {
        let name = node.stateName
        if isCancelled || hasEnded || Task.isCancelled {
            throw childCancelled(name, parent: parent, step: nil, moment: "before it started", underlying: nil)
        }
        let step = takeStep()
        guard step <= stepLimit else {
            throw OrchestrationError(
                code: .stepLimitReached, state: parent.path(to: name), step: step, runID: runID,
                message: "the run reached its step limit of \(stepLimit) as '\(parent.path(to: name))' was about to "
                    + "start; a composite's children count toward the limit, so raise "
                    + "OrchestrationOptions.stepLimit for large ForEach inputs or long loops"
            )
        }
        let listened = isListened
        let timed = listened || records
        let started = timed ? clock.now() : .zero
        if listened { publish(event(step, name, parent, started, .stateStarted)) }
        let context = RunContext(scope: self, step: step, state: name, parent: parent)
        do {
            let output =
                if let done = try node.invokeSynchronously(erased: input, context: context) {
                    done
                } else {
                    try await node.invoke(erased: input, context: context)
                }
            if timed {
                let end = clock.now()
                if listened { publish(event(step, name, parent, end, .stateCompleted(duration: end - started))) }
                if records { recordChild(step, name, parent, started, end, failed: false) }
            }
            return output
        } catch {
            let failure = childFailure(error, name, parent: parent, step: step)
            if timed {
                let end = clock.now()
                if listened { publish(event(step, name, parent, end, .stateFailed(failure))) }
                if records { recordChild(step, name, parent, started, end, failed: true) }
            }
            throw failure
        }
    }

    private func event(
        _ step: Int, _ name: String, _ parent: PathNode, _ time: Duration, _ kind: OrchestrationEvent.Kind
    ) -> OrchestrationEvent {
        OrchestrationEvent(run: runID, step: step, state: name, timestamp: time, kind: kind, parent: parent)
    }

    private func recordChild(
        _ step: Int, _ name: String, _ parent: PathNode, _ started: Duration, _ end: Duration, failed: Bool
    ) {
        recordChild(
            RunRecord.Step(
                step: step, state: name, start: started - runStart, duration: end - started, failed: failed,
                parent: StatePath(parent)
            )
        )
    }

    /// What a child's failure becomes: an error of this run passes through unchanged, so that the run's
    /// error names the deepest state that failed; anything else is wrapped, naming the child.
    private func childFailure(_ error: any Error, _ name: String, parent: PathNode, step: Int) -> OrchestrationError {
        let isOwn = (error as? OrchestrationError)?.runID == runID
        if !isOwn, isCancelled || Task.isCancelled {
            return childCancelled(name, parent: parent, step: step, moment: "while it was running", underlying: error)
        }
        return .thrown(error, byState: parent.path(to: name), step: step, runID: runID)
    }

    private func childCancelled(
        _ name: String, parent: PathNode, step: Int?, moment: String, underlying: (any Error)?
    ) -> OrchestrationError {
        let path = parent.path(to: name)
        let cause =
            if isCancelled { "the run was cancelled" } else if hasEnded {
                "the run had already ended; run children only while their composite runs"
            } else {
                "the task running it was cancelled, as a composite does to its other children when one fails, or a "
                    + "timeout around it does at its deadline"
            }
        let at = step.map { " at step \($0)" } ?? ""
        return OrchestrationError(
            code: .cancelled, state: path, step: step, runID: runID, underlying: underlying,
            message: "state '\(path)' was cancelled \(moment)\(at): \(cause)"
        )
    }
}
