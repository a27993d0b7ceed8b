import Foundation

/// The body of `POST /v1/chat/completions`, as OpenAI's chat-completions API and the servers that copy it
/// (llama.cpp, vLLM, Ollama, LM Studio, OpenRouter, Groq…) read it. Unset optionals are left out.
struct ChatCompletionsRequest: Encodable {
    var model: String
    var messages: [Message]
    var stream: Bool
    var streamOptions: StreamOptions?
    var tools: [Tool]?
    var toolChoice: ToolChoiceValue?
    var responseFormat: Format?
    var temperature: Double?
    var maxTokens: Int?
    var stop: [String]?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, tools, temperature, stop
        case streamOptions = "stream_options"
        case toolChoice = "tool_choice"
        case responseFormat = "response_format"
        case maxTokens = "max_tokens"
    }

    /// The body that asks `request` of `defaultModel` (or the request's own model), streamed or not.
    init(_ request: ChatRequest, defaultModel: String, stream: Bool) {
        model = request.model ?? defaultModel
        messages = request.messages.map(Message.init)
        self.stream = stream
        streamOptions = stream ? StreamOptions(includeUsage: true) : nil
        tools = request.tools.isEmpty ? nil : request.tools.map(Tool.init)
        toolChoice = request.toolChoice.map(ToolChoiceValue.init)
        responseFormat =
            switch request.responseFormat {
            case .text: nil
            case .jsonSchema(let name, let schema):
                Format(
                    type: "json_schema",
                    jsonSchema: Format.Schema(name: name, strict: schema.fitsStrictMode, schema: schema))
            }
        temperature = request.temperature
        maxTokens = request.maxTokens
        stop = request.stop.isEmpty ? nil : request.stop
    }

    struct StreamOptions: Encodable {
        var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    struct Message: Encodable {
        var role: String
        var content: String?
        var toolCalls: [Call]?
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }

        init(_ message: ChatMessage) {
            role = message.role.rawValue
            content = message.content
            toolCalls = message.toolCalls.isEmpty ? nil : message.toolCalls.map(Call.init)
            toolCallID = message.toolCallID
        }

        /// `content` is written even when `nil`, as `null`: an assistant message that only calls tools has one.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content)
            try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        }
    }

    struct Call: Encodable {
        var id: String
        var type = "function"
        var function: Function

        struct Function: Encodable {
            var name: String
            var arguments: String
        }

        init(_ call: ToolCall) {
            id = call.id
            function = Function(name: call.name, arguments: call.arguments)
        }
    }

    struct Tool: Encodable {
        var type = "function"
        var function: Function

        struct Function: Encodable {
            var name: String
            var description: String
            var parameters: JSONSchema
        }

        init(_ tool: ToolDefinition) {
            function = Function(name: tool.name, description: tool.description, parameters: tool.parameters)
        }
    }

    /// `"auto"`, `"none"`, `"required"`, or `{"type": "function", "function": {"name": …}}`.
    struct ToolChoiceValue: Encodable {
        var choice: ToolChoice

        init(_ choice: ToolChoice) { self.choice = choice }

        func encode(to encoder: any Encoder) throws {
            let value: JSONValue =
                switch choice {
                case .auto: "auto"
                case .none: "none"
                case .required: "required"
                case .tool(let name): ["type": "function", "function": ["name": .string(name)]]
                }
            try value.encode(to: encoder)
        }
    }

    struct Format: Encodable {
        var type: String
        var jsonSchema: Schema

        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }

        struct Schema: Encodable {
            var name: String
            var strict: Bool
            var schema: JSONSchema
        }
    }
}

extension JSONSchema {
    /// Whether OpenAI's strict mode accepts the schema: every object lists all its properties as required and
    /// forbids others. Strict is asked for only then; a schema with an optional property is sent without it,
    /// rather than refused with an HTTP 400.
    var fitsStrictMode: Bool {
        if types?.contains(.object) == true || properties != nil {
            let names = Set((properties ?? [:]).keys)
            guard additionalProperties == .forbidden, Set(required ?? []) == names else { return false }
        }
        let children =
            Array((properties ?? [:]).values) + (items.map { [$0] } ?? []) + (anyOf ?? [])
            + Array((definitions ?? [:]).values)
        return children.allSatisfy(\.fitsStrictMode)
    }
}
