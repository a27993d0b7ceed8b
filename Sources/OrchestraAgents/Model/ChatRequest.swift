/// What to ask a model: the conversation, the tools it may call, the answer's format, and sampling settings.
public struct ChatRequest: Sendable, Hashable {
    /// Which of the server's models to use; the client's default when `nil`.
    public var model: String?
    /// The conversation so far.
    public var messages: [ChatMessage]
    /// The tools the model may call.
    public var tools: [ToolDefinition]
    /// Whether and which tool the model must call; the server decides when `nil`.
    public var toolChoice: ToolChoice?
    /// Plain text, or JSON that satisfies a schema.
    public var responseFormat: ResponseFormat
    /// Sampling temperature; the server's default when `nil`.
    public var temperature: Double?
    /// The most tokens to generate; the server's default when `nil`.
    public var maxTokens: Int?
    /// Texts at which the model stops.
    public var stop: [String]
    /// Where the call sits in a distributed trace; `OpenAICompatibleModel` sends it as the W3C `traceparent`
    /// header. An ``AgentRunnable`` sets it to its state's ``RunContext/trace``; set it the same way in a state
    /// of your own that calls a model: `request.trace = context.trace`. `nil` sends no header.
    public var trace: TraceContext?

    /// Creates a request.
    public init(
        model: String? = nil, messages: [ChatMessage], tools: [ToolDefinition] = [], toolChoice: ToolChoice? = nil,
        responseFormat: ResponseFormat = .text, temperature: Double? = nil, maxTokens: Int? = nil, stop: [String] = [],
        trace: TraceContext? = nil
    ) {
        self.trace = trace
        self.model = model
        self.messages = messages
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
    }
}

/// A tool as the model sees it: a name, what it does, and the schema of its arguments.
public struct ToolDefinition: Sendable, Hashable {
    /// The name the model calls it by.
    public var name: String
    /// What it does, for the model.
    public var description: String
    /// The schema of its arguments, an object.
    public var parameters: JSONSchema

    /// Creates a definition.
    public init(name: String, description: String, parameters: JSONSchema) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// Whether the model must call a tool.
public enum ToolChoice: Sendable, Hashable {
    /// The model decides.
    case auto
    /// No tool.
    case none
    /// Some tool.
    case required
    /// The tool of this name.
    case tool(String)
}

/// The form of the answer.
public enum ResponseFormat: Sendable, Hashable {
    /// Plain text.
    case text
    /// JSON that satisfies `schema`, named `name` for the server.
    case jsonSchema(name: String, schema: JSONSchema)
}
