/// One message of a conversation with a model: what the system, the user, the model or a tool said.
///
/// ```swift
/// let messages: [ChatMessage] = [
///     .system("You plan research."),
///     .user("Plan a report on AI in healthcare."),
/// ]
/// ```
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable {
        /// Instructions for the model.
        case system
        /// The person asking.
        case user
        /// The model.
        case assistant
        /// A tool's result.
        case tool
    }

    /// Who speaks.
    public var role: Role
    /// The text; `nil` for an assistant message that only calls tools.
    public var content: String?
    /// The tools an assistant message calls.
    public var toolCalls: [ToolCall]
    /// For a tool message: the id of the call it answers.
    public var toolCallID: String?

    /// Creates a message.
    public init(role: Role, content: String?, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    /// Instructions for the model.
    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: text) }
    /// What the user says.
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: text) }
    /// What the model said, and the tools it called.
    public static func assistant(_ text: String?, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: text, toolCalls: toolCalls)
    }
    /// A tool's result, answering the call `callID`.
    public static func tool(_ result: String, callID: String) -> ChatMessage {
        ChatMessage(role: .tool, content: result, toolCallID: callID)
    }
}

/// A model asking for a tool to be called: which call, which tool, with which arguments.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The call's id, which the tool's answer names.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments as the model wrote them: JSON text, which may be invalid.
    public var arguments: String

    /// Creates a call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
