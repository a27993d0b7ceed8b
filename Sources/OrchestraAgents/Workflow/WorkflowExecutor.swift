import Orchestra

/// Runs the steps of a workflow: each as a child state of the state that runs them, named by its id, as soon as
/// the steps it depends on have completed.
struct WorkflowExecutor: Sendable {
    let model: any ChatModel
    let tools: ToolRegistry
    let answer: WorkflowRunnable.Answer?
    let maxTokens: Int?

    /// Runs one level of steps, each once its dependencies have completed, concurrently where they allow, and
    /// returns `scope` with their outputs added.
    ///
    /// - Parameter index: Numbers the steps' paths, as in `loop[1]/draft`, for a loop's iterations, from 0 as
    ///   ``Loop`` numbers them.
    /// - Throws: The first step's failure; the steps still running are cancelled.
    func run(_ steps: [WorkflowStep], in scope: WorkflowScope, context: RunContext, index: Int? = nil)
        async throws -> WorkflowScope
    {
        var scope = scope
        var waiting = steps
        var done: Set<String> = []
        func takeReady() -> [WorkflowStep] {
            let ready = waiting.filter { $0.dependsOn.allSatisfy(done.contains) }
            waiting.removeAll { $0.dependsOn.allSatisfy(done.contains) }
            return ready
        }
        var ready = takeReady()
        // A chain — one step ready, none running — needs no task.
        while ready.count == 1, let step = ready.first {
            scope.outputs[step.id] = try await run(step, in: scope, context: context, index: index)
            done.insert(step.id)
            ready = takeReady()
        }
        if !ready.isEmpty {
            try await withThrowingTaskGroup(of: (String, JSONValue).self) { group in
                var starting = ready
                while true {
                    for step in starting {
                        let snapshot = scope
                        group.addTask { (step.id, try await run(step, in: snapshot, context: context, index: index)) }
                    }
                    guard let (id, output) = try await group.next() else { break }
                    scope.outputs[id] = output
                    done.insert(id)
                    starting = takeReady()
                }
            }
        }
        guard waiting.isEmpty else {
            // Validation rejects cycles and unknown dependencies, so this is a definition that skipped it.
            throw context.invalidConfiguration(
                "the steps \(waiting.map(\.id).joined(separator: ", ")) of '\(context.path)' wait for steps that "
                    + "never complete; validate the workflow definition")
        }
        return scope
    }

    /// Runs one step as a child state named by its id, with its retry and timeout, and returns its output.
    func run(_ step: WorkflowStep, in scope: WorkflowScope, context: RunContext, index: Int?) async throws
        -> JSONValue
    {
        switch step.kind {
        case .llm(let prompt, let instructions, let schema):
            let text = try scope.text(prompt, for: step.id)
            return try await context.run(policies(llm(step.id, instructions, schema), step), text, index: index)
        case .tool(let name, let input):
            guard let tool = tools[name] else {
                throw WorkflowRunError(.unknownTool, step: step.id, "no tool '\(name)' is registered")
            }
            let arguments = try scope.resolve(input, for: step.id)
            let violations = tool.parameters.validate(arguments)
            guard violations.isEmpty else {
                throw WorkflowRunError(
                    .invalidToolInput, step: step.id,
                    "the input of tool '\(name)' breaks its schema: "
                        + violations.map(\.description).joined(separator: "; ") + "; the input was \(arguments)")
            }
            let call = Runnable<JSONValue, JSONValue>(step.id) { arguments, _ in
                try await tool.call(arguments: arguments)
            }
            return try await context.run(policies(call, step), arguments, index: index)
        case .input(let prompt):
            let question = try scope.text(prompt, for: step.id)
            let ask = Runnable<String, JSONValue>(step.id) { [answer] question, context in
                guard let answer else {
                    throw context.invalidConfiguration(
                        "input step '\(step.id)' needs a person to answer; give the workflow an answer handler")
                }
                return try await answer(WorkflowQuestion(step: step.id, prompt: question, runID: context.runID))
            }
            return try await context.run(policies(ask, step), question, index: index)
        case .branch(let condition, let then, let otherwise):
            let holds = try scope.holds(condition, for: step.id)
            let chosen = holds ? then : otherwise
            let branch = Runnable<JSONValue, JSONValue>(step.id) { _, context in
                guard let last = chosen.last else { return .null }
                return try await run(chosen, in: scope, context: context).outputs[last.id] ?? .null
            }
            return try await context.run(policies(branch, step), .bool(holds), index: index)
        case .parallel(let steps):
            let parallel = Runnable<JSONValue, JSONValue>(step.id) { _, context in
                let inner = try await run(steps, in: scope, context: context)
                return .object(Dictionary(uniqueKeysWithValues: steps.map { ($0.id, inner.outputs[$0.id] ?? .null) }))
            }
            return try await context.run(policies(parallel, step), .null, index: index)
        case .loop(let steps, let until, let maxIterations):
            let loop = Runnable<JSONValue, JSONValue>(step.id) { _, context in
                try await iterate(
                    step.id, steps, until: until, maxIterations: maxIterations, in: scope, context: context)
            }
            return try await context.run(policies(loop, step), .null, index: index)
        }
    }

    /// Runs a loop's steps until `until` holds, each iteration seeing the one before as `${loop.output}`.
    private func iterate(
        _ id: String, _ steps: [WorkflowStep], until: WorkflowCondition?, maxIterations: Int, in scope: WorkflowScope,
        context: RunContext
    ) async throws -> JSONValue {
        guard let last = steps.last else { return .null }
        var output = JSONValue.null
        for iteration in 0..<max(maxIterations, 1) {
            var before = scope
            before.outputs[id] = output
            if iteration == 0 { before.unset.insert(id) }
            var after = try await run(steps, in: before, context: context, index: iteration)
            after.unset.remove(id)
            output = after.outputs[last.id] ?? .null
            after.outputs[id] = output
            guard let until else { continue }
            if try after.holds(until, for: id) { return output }
        }
        guard let until else { return output }
        throw context.failure(
            .iterationLimitReached,
            "loop '\(id)' ran its \(maxIterations) iterations and \(until.value) never met its condition")
    }

    /// The step as a model call: text, or JSON valid against the step's schema.
    private func llm(_ id: String, _ instructions: String?, _ schema: JSONSchema?) -> Runnable<String, JSONValue> {
        if let schema {
            return AgentRunnable<String, JSONValue>(
                id, model: model, instructions: instructions ?? "", schema: schema, schemaName: "output",
                maxTokens: maxTokens, prompt: { $0 }, decode: { $0 })
        }
        let agent = AgentRunnable<String, String>(
            id, model: model, instructions: instructions ?? "", maxTokens: maxTokens)
        return Runnable<String, JSONValue>(id) { prompt, context in
            .string(try await agent.invoke(prompt, context: context))
        }
    }

    /// Whether `error` is a ``WorkflowRunError``, or an error of a step inside that carries one.
    static func isRunError(_ error: any Error) -> Bool {
        error is WorkflowRunError || (error as? OrchestrationError)?.underlying.map(isRunError) == true
    }

    /// The step's runnable with its timeout around each attempt, and its retries.
    private func policies<Input, Output>(_ runnable: Runnable<Input, Output>, _ step: WorkflowStep)
        -> Runnable<Input, Output>
    {
        var wrapped = runnable
        if let timeout = step.timeout { wrapped = wrapped.timeout(timeout) }
        if let retry = step.retry, retry.maxAttempts > 1 {
            // A run error (a missing value, a condition it cannot compare) — of this step or one inside it — is in
            // the definition or the data, not in the weather: another attempt would meet it again.
            wrapped = wrapped.retry(
                RetryPolicy(
                    maxAttempts: retry.maxAttempts, initialDelay: retry.initialDelay,
                    isRetryable: { !Self.isRunError($0) }))
        }
        return wrapped
    }
}
