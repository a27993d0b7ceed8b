import Foundation

/// What a chat-completions server sent that is not the protocol: the reason, to be reported with the text.
struct ProtocolViolation: Error {
    var problem: String
}

/// Reads what a chat-completions server answers: a whole completion, the usage, and an error body.
enum ChatCompletionsResponse {
    /// The response in a non-streamed completion's body.
    static func decode(_ body: Data) throws(ProtocolViolation) -> ChatResponse {
        let json = try parse(body)
        guard let choice = json["choices"]?[0] else {
            throw ProtocolViolation(problem: "it has no choices[0]")
        }
        guard let message = choice["message"], message.objectValue != nil else {
            throw ProtocolViolation(problem: "choices[0] has no message")
        }
        var calls: [ToolCall] = []
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.stringValue, !name.isEmpty else {
                throw ProtocolViolation(problem: "choices[0].message.tool_calls[\(index)] has no function name")
            }
            calls.append(
                ToolCall(
                    id: call["id"]?.stringValue ?? "call_\(index)", name: name,
                    arguments: arguments(call["function"]?["arguments"])))
        }
        let content = message["content"]?.stringValue
        return ChatResponse(
            message: .assistant(calls.isEmpty ? content ?? "" : content, toolCalls: calls),
            finishReason: choice["finish_reason"]?.stringValue.map(FinishReason.init),
            usage: usage(json["usage"]),
            model: json["model"]?.stringValue)
    }

    /// The JSON of a body or an event.
    static func parse(_ data: Data) throws(ProtocolViolation) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ProtocolViolation(problem: "it is not JSON")
        }
    }

    /// A call's arguments as text: most servers send the JSON as a string, some send the object itself.
    static func arguments(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text): text
        case nil, .null: ""
        case let value?: value.description
        }
    }

    /// The usage object's counts, when it has them.
    static func usage(_ value: JSONValue?) -> TokenUsage? {
        // Counts a server could not have meant — negative, or beyond a trillion — are no counts.
        let plausible = 0...1_000_000_000_000
        guard let prompt = value?["prompt_tokens"]?.intValue, let completion = value?["completion_tokens"]?.intValue,
            plausible.contains(prompt), plausible.contains(completion)
        else { return nil }
        return TokenUsage(promptTokens: prompt, completionTokens: completion)
    }

    /// The server's explanation in an error body: `error.message` of an OpenAI-style body, an `error` or
    /// `message` string, or else the body's text, shortened.
    static func errorMessage(in body: Data) -> String {
        let json = try? JSONDecoder().decode(JSONValue.self, from: body)
        if let message = json?["error"]?["message"]?.stringValue ?? json?["error"]?.stringValue
            ?? json?["message"]?.stringValue ?? json?["detail"]?.stringValue
        {
            return ModelError.excerpt(message)
        }
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : ModelError.excerpt(text)
    }
}
