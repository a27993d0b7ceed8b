/// The states only the Reactive template has: `Act`, which runs the steps that are ready and decides what
/// follows, and `Replan`, which has the model plan the steps not yet run again.
enum ReactiveStates {
    /// What decides after each visit of `Act`; `nil` leaves it to ``defaultDecision(_:)``.
    typealias Decide = @Sendable (PlanProgress) -> ReactiveDecision?

    /// `Act`: runs every step whose dependencies have completed, at once, keeping failures as outcomes; then
    /// decides, within the bound on re-plans.
    static func act(model: any ChatModel, tools: ToolRegistry, limits: PlanLimits, decide: Decide?)
        -> Runnable<PlanProgress, PlanProgress>
    {
        let executor = WorkflowExecutor(model: model, tools: tools, answer: nil, maxTokens: limits.maxTokens)
        return Runnable<PlanProgress, PlanProgress>("Act") { progress, context in
            var progress = progress
            let ready = progress.ready
            let scope = WorkflowScope(input: .string(progress.request), outputs: progress.outputs)
            let outcomes = try await withThrowingTaskGroup(of: (Int, StepOutcome).self) { group in
                for (index, step) in ready.enumerated() {
                    group.addTask {
                        do {
                            return (
                                index,
                                .completed(step, try await executor.run(step, in: scope, context: context, index: nil))
                            )
                        } catch {
                            if context.isBeyondPolicies(error) { throw error }
                            return (
                                index,
                                .failed(step, String(describing: (error as? OrchestrationError)?.underlying ?? error))
                            )
                        }
                    }
                }
                var outcomes: [(Int, StepOutcome)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
            }
            progress.record(outcomes)
            progress.decision = try resolve(decide?(progress), after: progress, limits: limits)
            return progress
        }
    }

    /// The decision after a visit: the one asked for, or the default, made possible within the bounds.
    static func resolve(_ asked: ReactiveDecision?, after progress: PlanProgress, limits: PlanLimits)
        throws(ReplanLimitReached) -> ReactiveDecision
    {
        try bounded(asked ?? defaultDecision(progress), progress, limits)
    }

    /// The decision when the user's gives none: plan again after a failure, finish when nothing remains,
    /// continue otherwise.
    static func defaultDecision(_ progress: PlanProgress) -> ReactiveDecision {
        if let failed = progress.latest.first(where: { $0.failure != nil }) {
            return .replan(because: "step '\(failed.step.id)' failed: \(failed.failure ?? "")")
        }
        return progress.remaining.isEmpty ? .finish : .continue
    }

    /// The decision made possible: nothing to continue with finishes; steps that can never run need a re-plan;
    /// a re-plan past the bound fails after a failure, and goes on with the plan as it is otherwise.
    static func bounded(_ decision: ReactiveDecision, _ progress: PlanProgress, _ limits: PlanLimits)
        throws(ReplanLimitReached) -> ReactiveDecision
    {
        var decision = decision
        if decision == .continue {
            if progress.remaining.isEmpty {
                decision = .finish
            } else if progress.ready.isEmpty {
                let stuck = progress.remaining.map(\.id).joined(separator: ", ")
                decision = .replan(because: "the steps \(stuck) wait for steps that did not complete")
            }
        }
        guard case .replan(let reason) = decision, progress.replans >= limits.maxReplans else { return decision }
        let canGoOn =
            progress.latest.allSatisfy { $0.failure == nil } && (!progress.ready.isEmpty || progress.remaining.isEmpty)
        guard canGoOn else { throw ReplanLimitReached(replans: progress.replans, reason: reason) }
        return progress.remaining.isEmpty ? .finish : .continue
    }

    /// `Replan`: the model writes the steps that remain, seeing what ran and why; checked and repaired as a plan
    /// is, with the steps that ran as upstream.
    static func replan(model: any ChatModel, tools: ToolRegistry, limits: PlanLimits)
        -> Runnable<PlanProgress, PlanProgress>
    {
        Runnable<PlanProgress, PlanProgress>("Replan") { progress, context in
            guard case .replan(let reason) = progress.decision else {
                throw context.failure(.internalInconsistency, "Replan was reached without a decision to re-plan")
            }
            let writer = PlanStates.writer(
                "Replan", model: model, tools: tools, limits: limits, completed: Set(progress.outputs.keys),
                failed: Set(progress.outcomes.filter { $0.output == nil }.map(\.step.id)),
                prompt: { (progress: PlanProgress) in
                    PlanPrompts.replanning(progress, reason: reason, excerpt: limits.outputExcerpt)
                })
            let plan = try await writer.invoke(progress, context: context)
            var progress = progress
            progress.replans += 1
            context.emit(
                PlanChunk.replanned(
                    Replan(number: progress.replans, reason: reason, old: progress.remaining, new: plan.steps)))
            progress.remaining = plan.steps
            progress.written.merge(plan.written) { _, new in new }
            progress.latest = []
            progress.decision = nil
            return progress
        }
    }
}
