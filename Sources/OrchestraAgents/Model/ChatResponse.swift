/// A model's answer: its message (text and tool calls), why it stopped, and the tokens it used.
public struct ChatResponse: Sendable, Hashable {
    /// The assistant's message.
    public var message: ChatMessage
    /// Why the model stopped, when the server said.
    public var finishReason: FinishReason?
    /// The tokens used, when the server said.
    public var usage: TokenUsage?
    /// The model that answered, when the server said.
    public var model: String?

    /// Creates a response.
    public init(message: ChatMessage, finishReason: FinishReason? = nil, usage: TokenUsage? = nil, model: String? = nil)
    {
        self.message = message
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
    }

    /// The answer's text; empty when the model only called tools.
    public var text: String { message.content ?? "" }
    /// The tools the model called.
    public var toolCalls: [ToolCall] { message.toolCalls }
}

/// Why a model stopped.
public enum FinishReason: Sendable, Hashable {
    /// A natural end, or a stop text.
    case stop
    /// The token limit.
    case length
    /// To have tools called.
    case toolCalls
    /// A content filter.
    case contentFilter
    /// Another reason, as the server named it.
    case other(String)

    /// The reason a chat-completions server names, as in `tool_calls`.
    public init(_ name: String) {
        switch name {
        case "stop": self = .stop
        case "length": self = .length
        case "tool_calls", "function_call": self = .toolCalls
        case "content_filter": self = .contentFilter
        default: self = .other(name)
        }
    }
}
