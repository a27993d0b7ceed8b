/// The states of the Planner and Reactive templates: ordinary runnables, joined by ordinary advancers in
/// `Orchestration.planner` and `Orchestration.reactive`.
enum PlanStates {
    /// `Plan`: the model writes a plan for the request, checked and repaired as ``AgentPlan`` says.
    static func plan(model: any ChatModel, tools: ToolRegistry, limits: PlanLimits) -> Runnable<String, PlanProgress> {
        let writer = writer(
            "Plan", model: model, tools: tools, limits: limits, completed: [], failed: [],
            prompt: { (request: String) in request })
        return Runnable<String, PlanProgress>("Plan") { request, context in
            if let problem = limits.problem { throw context.invalidConfiguration(problem) }
            let plan = try await writer.invoke(request, context: context)
            context.emit(PlanChunk.planned(plan.steps))
            return PlanProgress(request: request, plan: plan)
        }
    }

    /// `Execute`: the Planner runs the whole plan as a fixed workflow; a step that fails fails the run.
    static func execute(model: any ChatModel, tools: ToolRegistry, limits: PlanLimits)
        -> Runnable<PlanProgress, PlanProgress>
    {
        let executor = WorkflowExecutor(model: model, tools: tools, answer: nil, maxTokens: limits.maxTokens)
        return Runnable<PlanProgress, PlanProgress>("Execute") { progress, context in
            var progress = progress
            let steps = progress.remaining
            let scope = try await executor.run(
                steps, in: WorkflowScope(input: .string(progress.request)), context: context)
            progress.record(steps.map { .completed($0, scope.outputs[$0.id] ?? .null) })
            return progress
        }
    }

    /// `Answer`: the model answers the request from what the steps gave.
    static func answer(model: any ChatModel, instructions: String, limits: PlanLimits) -> Runnable<PlanProgress, String>
    {
        AgentRunnable<PlanProgress, String>(
            "Answer", model: model, instructions: instructions, maxTokens: limits.maxTokens
        ) { progress in
            PlanPrompts.answering(progress, excerpt: limits.outputExcerpt)
        }
    }

    /// `count` ids for a plan's steps, `step1`, `step2`, …, skipping those taken.
    static func freeIDs(_ count: Int, taken: Set<String>) -> [String] {
        var ids: [String] = []
        var number = 1
        while ids.count < max(count, 0) {
            if !taken.contains("step\(number)") { ids.append("step\(number)") }
            number += 1
        }
        return ids
    }

    /// An agent that writes a plan: the request carries the plan's schema built from the tools, and the answer
    /// is read as an ``AgentPlan`` — whose checks say more than the schema's, and more plainly — with its
    /// problems sent back for repair.
    static func writer<Input>(
        _ name: String, model: any ChatModel, tools: ToolRegistry, limits: PlanLimits, completed: Set<String>,
        failed: Set<String>, prompt: @escaping @Sendable (Input) -> String
    ) -> AgentRunnable<Input, AgentPlan> {
        var schema = AgentPlan.schema(
            tools: tools, maxSteps: limits.maxSteps, ids: freeIDs(limits.maxSteps, taken: failed.union(completed)),
            completed: completed.sorted())
        if !completed.isEmpty || !failed.isEmpty { schema.properties?["steps"]?.minItems = 0 }
        return AgentRunnable<Input, AgentPlan>(
            name: name, model: model, instructions: PlanPrompts.planning(tools: tools, maxSteps: limits.maxSteps),
            tools: ToolRegistry(), maxTurns: limits.maxRepairs + 1, maxRepairs: limits.maxRepairs, temperature: nil,
            maxTokens: limits.maxTokens, prompt: prompt, responseFormat: .jsonSchema(name: "AgentPlan", schema: schema)
        ) { text throws(StructuredOutputError) in
            let json = try StructuredOutputError.json(
                in: AgentRunnable<Input, AgentPlan>.unfenced(text), type: "AgentPlan")
            do throws(WorkflowError) {
                return try AgentPlan(
                    json, tools: tools, maxSteps: limits.maxSteps, completed: completed, failed: failed)
            } catch {
                throw StructuredOutputError(
                    type: "AgentPlan",
                    problem: .violations(error.diagnostics.map { JSONSchema.Violation(at: $0.path, $0.message) }),
                    answer: text)
            }
        }
    }
}
