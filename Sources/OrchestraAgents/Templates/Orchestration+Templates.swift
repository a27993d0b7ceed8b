extension Orchestration where Input == String, Output == String {
    /// The Simple template: the request goes to the model once, and the answer streams back token by token.
    ///
    /// ```swift
    /// let simple = Orchestration.simple(model: model, instructions: "Answer in one paragraph.")
    /// let handle = simple.start("What is a state machine?")
    /// for await event in handle.events {
    ///     if case .token(let text)? = event.chunk(as: StreamChunk.self) { print(text, terminator: "") }
    /// }
    /// ```
    ///
    /// One state, `Answer`, an ``AgentRunnable``: its tokens are ``StreamChunk`` chunks of the run's events, and its
    /// usage is in the run's record. It costs one model call and one state — and a call more for each round of
    /// tool calls, when the model has `tools`.
    ///
    /// - Parameters:
    ///   - model: The model that answers.
    ///   - instructions: The system message; none when empty.
    ///   - tools: Tools the model may call before it answers.
    ///   - maxTokens: The most tokens of the answer; the model's default when `nil`.
    ///   - options: The orchestration's options.
    /// - Returns: An orchestration from the request to the answer.
    public static func simple(
        model: any ChatModel, instructions: String = "", tools: ToolRegistry = ToolRegistry(), maxTokens: Int? = nil,
        options: OrchestrationOptions = OrchestrationOptions()
    ) -> Orchestration<String, String> {
        Orchestration(
            AgentRunnable<String, String>(
                "Answer", model: model, instructions: instructions, tools: tools, maxTokens: maxTokens),
            options: options)
    }
}

extension Orchestration where Input == JSONValue, Output == JSONValue {
    /// The Fixed template: a workflow definition, its steps run as soon as their dependencies have completed.
    ///
    /// ```swift
    /// let workflow = try WorkflowDefinition(json: data, tools: tools)
    /// let fixed = try Orchestration.fixed(workflow, model: model, tools: tools)
    /// let result = try await fixed.run(["year": 2025])
    /// ```
    ///
    /// One state, a ``WorkflowRunnable`` named after the workflow, whose steps are its child states; see
    /// ``WorkflowRunnable`` for what each step returns and how failures end the run.
    ///
    /// - Parameters:
    ///   - workflow: The workflow.
    ///   - model: The model `llm` steps ask.
    ///   - tools: The tools `tool` steps call.
    ///   - maxTokens: The most tokens per model call; the model's default when `nil`.
    ///   - answer: Answers `input` steps; required when the workflow has any.
    ///   - options: The orchestration's options.
    /// - Returns: An orchestration from the workflow's input to its output.
    /// - Throws: ``WorkflowError`` with every problem of the definition.
    public static func fixed(
        _ workflow: WorkflowDefinition, model: any ChatModel, tools: ToolRegistry = ToolRegistry(),
        maxTokens: Int? = nil, answer: WorkflowRunnable.Answer? = nil,
        options: OrchestrationOptions = OrchestrationOptions()
    ) throws(WorkflowError) -> Orchestration<JSONValue, JSONValue> {
        Orchestration(
            try WorkflowRunnable(workflow, model: model, tools: tools, maxTokens: maxTokens, answer: answer),
            options: options)
    }
}
