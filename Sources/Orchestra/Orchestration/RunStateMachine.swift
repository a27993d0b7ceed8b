/// Decides what a run does next, from what its last state did. No effects, no `async`: the
/// engine carries out the returned ``Action`` and emits the events.
struct RunStateMachine {
    enum Action {
        /// Execute `node` on `input` as step `step`.
        case execute(node: any StateNode, input: any Sendable, step: Int)
        /// The run completed with the exit state's output.
        case complete(output: any Sendable)
        /// The run failed (or was cancelled; see the error's code).
        case fail(OrchestrationError)
    }

    let runID: RunID
    let exit: ObjectIdentifier
    let exitName: String
    let stepLimit: Int
    /// The current state's step.
    private(set) var step = 0
    /// The last step number given out: the current state's, or its children's when it is a composite.
    private(set) var lastStep = 0
    private(set) var stateName = ""

    init(runID: RunID, exit: any StateNode, stepLimit: Int) {
        self.runID = runID
        self.exit = ObjectIdentifier(exit)
        exitName = exit.stateName
        self.stepLimit = stepLimit
    }

    /// The first step, unless the run is cancelled before it begins.
    mutating func begin(at start: any StateNode, named name: String, input: any Sendable, isCancelled: Bool) -> Action {
        stateName = name
        if isCancelled {
            return .fail(cancelled(during: "before its first state started"))
        }
        guard stepLimit >= 1 else {
            return .fail(
                OrchestrationError(
                    code: .stepLimitReached, state: name, step: 0, runID: runID,
                    message: "the step limit is \(stepLimit), so state '\(name)' cannot run; "
                        + "set OrchestrationOptions.stepLimit to at least 1"
                )
            )
        }
        step = 1
        lastStep = 1
        return .execute(node: start, input: input, step: 1)
    }

    /// The first step of a resumed run: `node` runs again as `step`, the step its checkpoint names.
    mutating func resume(
        at node: any StateNode, named name: String, input: any Sendable, step: Int, isCancelled: Bool
    ) -> Action {
        stateName = name
        self.step = step
        lastStep = step
        if isCancelled {
            return .fail(cancelled(during: "before its first state after resuming started"))
        }
        guard step <= stepLimit else {
            return .fail(
                OrchestrationError(
                    code: .stepLimitReached, state: name, step: step, runID: runID,
                    message: "the run resumes at step \(step), past its step limit of \(stepLimit); raise "
                        + "OrchestrationOptions.stepLimit"
                )
            )
        }
        return .execute(node: node, input: input, step: step)
    }

    /// The current state, a composite, ran children up to step `last`: the next state comes after them.
    mutating func childrenRan(through last: Int) {
        if last > lastStep { lastStep = last }
    }

    /// The current state returned; `result.decision` is what its advancers decided.
    mutating func stateReturned(
        _ node: any StateNode,
        result: StepResult,
        isCancelled: Bool
    ) -> Action {
        // Cancellation wins even over the exit's output: a state that saw cancellation may have returned
        // early with a placeholder. The record keeps the step either way.
        if isCancelled {
            return .fail(cancelled(during: "after state '\(stateName)' returned"))
        }
        // Children past the limit throw, so only a composite that swallowed that error gets here.
        if lastStep > stepLimit {
            return .fail(
                OrchestrationError(
                    code: .stepLimitReached, state: stateName, step: step, runID: runID,
                    message: "the children of state '\(stateName)' ran past the step limit of \(stepLimit) (to step "
                        + "\(lastStep)); raise OrchestrationOptions.stepLimit"
                )
            )
        }
        let isExit = ObjectIdentifier(node) == exit
        switch result.decision {
        case .failure(let failure):
            return .fail(advancerFailed(failure))
        case .success(.noMatch):
            if isExit { return .complete(output: result.output) }
            return .fail(
                OrchestrationError(
                    code: .deadEnd, state: stateName, step: step, runID: runID,
                    message: "state '\(stateName)' produced no transition for output \(Self.describe(result.output)) "
                        + "at step \(step); add an advancer that accepts it, or make '\(stateName)' the exit state"
                )
            )
        case .success(.exit(let advancer)):
            if isExit { return .complete(output: result.output) }
            return .fail(
                OrchestrationError(
                    code: .deadEnd, state: stateName, step: step, runID: runID,
                    message: "the route (advancer #\(advancer + 1)) of state '\(stateName)' returned .exit at step "
                        + "\(step), but only the exit state '\(exitName)' can end the run; route to a state "
                        + "that leads to '\(exitName)' instead"
                )
            )
        case .success(.advance(let target, let value, _)):
            let targetName = target.stateName
            guard lastStep < stepLimit else {
                return .fail(
                    OrchestrationError(
                        code: .stepLimitReached, state: stateName, step: step, runID: runID,
                        message: "the run reached its step limit of \(stepLimit) after state '\(stateName)', which "
                            + "wanted to go to '\(targetName)'; a loop may never end — check its advancers' "
                            + "conditions, or raise OrchestrationOptions.stepLimit"
                    )
                )
            }
            lastStep += 1
            step = lastStep
            stateName = targetName
            return .execute(node: target, input: value, step: step)
        }
    }

    /// The run was cancelled after the current state was chosen, before it started (while its checkpoint was saved).
    func cancelledBeforeNextState() -> Action {
        .fail(cancelled(during: "before state '\(stateName)' started, while its checkpoint was saved"))
    }

    /// The current state threw `error`.
    mutating func stateThrew(_ error: any Error, isCancelled: Bool) -> Action {
        if isCancelled {
            return .fail(cancelled(during: "while state '\(stateName)' was running", underlying: error))
        }
        return .fail(.thrown(error, byState: stateName, step: step, runID: runID))
    }

    private func cancelled(during moment: String, underlying: (any Error)? = nil) -> OrchestrationError {
        OrchestrationError(
            code: .cancelled, state: stateName, step: step, runID: runID, underlying: underlying,
            message: "the run was cancelled \(moment)"
        )
    }

    private func advancerFailed(_ failure: AdvancerFailure) -> OrchestrationError {
        let code: OrchestrationError.Code = failure.phase == .conversion ? .conversionFailed : .transitionFailed
        return OrchestrationError(
            code: code, state: stateName, step: step, runID: runID, underlying: failure.underlying,
            message: "the \(failure.phase.rawValue) of \(failure.name) of state '\(stateName)' "
                + "threw at step \(step): \(failure.underlying)"
        )
    }

    /// A short description of a value for messages: its type and its text, cut at 200 characters — the type
    /// once, as in `Int 2` or `Plan(queries: [])`, not `Plan Plan(queries: [])`.
    static func describe(_ value: any Sendable) -> String {
        let text = String(describing: value)
        let cut = text.count > 200 ? text.prefix(200) + "…" : Substring(text)
        let type = String(describing: type(of: value))
        return cut.hasPrefix(type + "(") ? String(cut) : "\(type) \(cut)"
    }
}
