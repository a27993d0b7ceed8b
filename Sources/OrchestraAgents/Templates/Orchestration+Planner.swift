extension Orchestration where Input == String, Output == String {
    /// The Planner template: the model writes a plan, the plan runs as a fixed workflow, and the model answers
    /// from what its steps gave.
    ///
    /// ```swift
    /// let planner = Orchestration.planner(model: model, tools: try ToolRegistry([WebSearch(), Calculator()]))
    /// let answer = try await planner.run("Compare the populations of the three largest cities in Japan")
    /// ```
    ///
    /// Three states: `Plan` → `Execute` → `Answer`. `Plan` asks for an ``AgentPlan`` with the schema built from
    /// `tools` (a server that enforces schemas can only write plans that call them with well-shaped inputs); a
    /// plan that is still invalid — an unknown tool, a cycle, a reference to a step that is not upstream, too many
    /// steps — goes back to the model with every problem and its path, at most `limits.maxRepairs` times, and
    /// then fails the run with ``AgentError``. The plan is a ``PlanChunk/planned(_:)`` chunk. `Execute` runs its
    /// steps as child states, each as soon as its dependencies have completed; a step that fails fails the run.
    /// `Answer` writes the answer.
    ///
    /// - Parameters:
    ///   - model: The model that plans, runs `llm` steps and answers.
    ///   - tools: The tools plans may call.
    ///   - instructions: The system message of the answer; none when empty.
    ///   - limits: The bounds on plans.
    ///   - options: The orchestration's options.
    /// - Returns: An orchestration from a request to its answer.
    public static func planner(
        model: any ChatModel, tools: ToolRegistry, instructions: String = "", limits: PlanLimits = PlanLimits(),
        options: OrchestrationOptions = OrchestrationOptions()
    ) -> Orchestration<String, String> {
        let plan = PlanStates.plan(model: model, tools: tools, limits: limits)
        let execute = PlanStates.execute(model: model, tools: tools, limits: limits)
        let answer = PlanStates.answer(model: model, instructions: instructions, limits: limits)
        plan.advance(to: execute)
        execute.advance(to: answer)
        return Orchestration(start: plan, exit: answer, options: options)
    }

    /// The Reactive template: as the Planner, but after every visit of the state that runs steps, a decision —
    /// continue, plan the remaining steps again, or finish.
    ///
    /// ```swift
    /// let reactive = Orchestration.reactive(model: model, tools: tools) { progress in
    ///     // Plan again when a search comes back empty; otherwise the default decision.
    ///     progress.latest.contains { $0.output == ["results": []] } ? .replan(because: "a search found nothing") : nil
    /// }
    /// ```
    ///
    /// Four states: `Plan` → `Act` ⇄ `Replan`, then `Answer`. `Act` runs every step whose dependencies have
    /// completed, at once, and keeps a failed step as an outcome instead of failing the run. Then `decide` (if it
    /// returns a decision) or the default — re-plan after a failure, finish when no step remains, continue
    /// otherwise — chooses where the run goes. `Replan` shows the model what ran, why, and the steps not yet
    /// run, and takes its new steps, which may use the outputs of the steps that ran; what completed is kept.
    /// Each re-plan is a ``PlanChunk/replanned(_:)`` chunk with the old and new remaining steps. After
    /// `limits.maxReplans` re-plans, one more needed after a failure fails the run with ``ReplanLimitReached``;
    /// one asked for by `decide` without a failure is skipped, and the plan goes on as it is.
    ///
    /// - Parameters:
    ///   - model: The model that plans, runs `llm` steps and answers.
    ///   - tools: The tools plans may call.
    ///   - instructions: The system message of the answer; none when empty.
    ///   - limits: The bounds on plans and re-plans.
    ///   - options: The orchestration's options.
    ///   - decide: Decides after each visit of `Act`, seeing ``PlanProgress/latest``; `nil` from it, or no
    ///     closure, leaves it to the default.
    /// - Returns: An orchestration from a request to its answer.
    public static func reactive(
        model: any ChatModel, tools: ToolRegistry, instructions: String = "", limits: PlanLimits = PlanLimits(),
        options: OrchestrationOptions = OrchestrationOptions(),
        decide: (@Sendable (PlanProgress) -> ReactiveDecision?)? = nil
    ) -> Orchestration<String, String> {
        let plan = PlanStates.plan(model: model, tools: tools, limits: limits)
        let act = ReactiveStates.act(model: model, tools: tools, limits: limits, decide: decide)
        let replan = ReactiveStates.replan(model: model, tools: tools, limits: limits)
        let answer = PlanStates.answer(model: model, instructions: instructions, limits: limits)
        plan.advance(to: act)
        act.route(to: act, replan, answer, label: "decision") { progress in
            switch progress.decision {
            case .replan?: .to(replan, progress)
            case .finish?: .to(answer, progress)
            case .continue?, nil: .to(act, progress)
            }
        }
        replan.advance(to: act)
        return Orchestration(start: plan, exit: answer, options: options)
    }
}
