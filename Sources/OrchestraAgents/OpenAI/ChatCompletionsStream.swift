import Foundation

/// Turns the events of a streamed chat completion into ``StreamChunk``s, and assembles the whole response.
///
/// Each event is a `chat.completion.chunk`: a `delta` of `choices[0]` with text, or with fragments of tool calls
/// (the first fragment of a call has its `index`, `id` and name, the next ones more of its arguments), then a
/// chunk with a `finish_reason`, a chunk with `usage` and no choices when `stream_options.include_usage` was
/// set, and `data: [DONE]`. A tool call is complete, and is sent, when a fragment of a later call arrives or
/// when the model gives its finish reason; the final response goes out at `[DONE]`.
struct ChatCompletionsStream {
    /// Whether a schema was asked for, so that text goes out as ``StreamChunk/jsonPartial(_:)``.
    let wantsJSON: Bool
    /// The text so far.
    private(set) var text = ""
    /// Whether `[DONE]` has arrived.
    private(set) var isDone = false
    private var calls: [PartialCall] = []
    private var finishReason: FinishReason?
    private var usage: TokenUsage?
    private var model: String?

    private struct PartialCall {
        var index: Int
        var id: String?
        var name = ""
        var arguments = ""
        var sent = false

        /// The call, named `call_<index>` when the server gave it no id.
        var toolCall: ToolCall { ToolCall(id: id ?? "call_\(index)", name: name, arguments: arguments) }
    }

    init(wantsJSON: Bool) {
        self.wantsJSON = wantsJSON
    }

    /// The chunks that the event `data` completes.
    /// - Throws: ``ProtocolViolation`` for an event that is not a chunk, ``ModelError/Reason/streamError(_:)`` via
    ///   `StreamFailure` for an error event.
    mutating func absorb(_ data: String) throws -> [StreamChunk] {
        guard !isDone else { return [] }
        if data == "[DONE]" {
            isDone = true
            var chunks = try sendCalls(before: .max)
            chunks.append(.final(response))
            return chunks
        }
        let json = try ChatCompletionsResponse.parse(Data(data.utf8))
        if let error = json["error"] {
            throw StreamFailure(message: error["message"]?.stringValue ?? error.stringValue ?? error.description)
        }
        if let name = json["model"]?.stringValue { model = name }
        if let counted = ChatCompletionsResponse.usage(json["usage"]) { usage = counted }
        guard let choice = json["choices"]?[0] else { return [] }
        var chunks: [StreamChunk] = []
        if let delta = choice["delta"] {
            if let content = delta["content"]?.stringValue, !content.isEmpty {
                text += content
                chunks.append(wantsJSON ? .jsonPartial(text) : .token(content))
            }
            for fragment in delta["tool_calls"]?.arrayValue ?? [] {
                let index = fragment["index"]?.intValue ?? indexWithoutOne(fragment)
                chunks += try sendCalls(before: index)
                try add(fragment, index: index)
            }
        }
        if let reason = choice["finish_reason"]?.stringValue {
            finishReason = FinishReason(reason)
            chunks += try sendCalls(before: .max)
        }
        return chunks
    }

    /// The response assembled so far: the whole one once `[DONE]` has arrived.
    var response: ChatResponse {
        let toolCalls = calls.map(\.toolCall)
        return ChatResponse(
            message: .assistant(text.isEmpty && !toolCalls.isEmpty ? nil : text, toolCalls: toolCalls),
            finishReason: finishReason, usage: usage, model: model)
    }

    private mutating func add(_ fragment: JSONValue, index: Int) throws(ProtocolViolation) {
        let position: Int
        if let existing = calls.firstIndex(where: { $0.index == index }) {
            position = existing
        } else {
            calls.append(PartialCall(index: index))
            position = calls.count - 1
        }
        if calls[position].sent {
            throw ProtocolViolation(problem: "a fragment of tool call \(index) came after the call had ended")
        }
        if let id = fragment["id"]?.stringValue, !id.isEmpty { calls[position].id = id }
        // Most servers send the name once; some repeat it with every fragment.
        if let name = fragment["function"]?["name"]?.stringValue, name != calls[position].name {
            calls[position].name += name
        }
        calls[position].arguments += ChatCompletionsResponse.arguments(fragment["function"]?["arguments"])
    }

    /// The index of a fragment that has none, as some servers send: a fragment with an id other than the
    /// last call's begins the next call, any other continues the last one.
    private func indexWithoutOne(_ fragment: JSONValue) -> Int {
        guard let last = calls.last else { return 0 }
        if let id = fragment["id"]?.stringValue, !id.isEmpty, id != last.id { return last.index + 1 }
        return last.index
    }

    /// Sends the calls not yet sent whose index is below `index`: complete, since a later one has begun.
    private mutating func sendCalls(before index: Int) throws(ProtocolViolation) -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        for position in calls.indices where !calls[position].sent && calls[position].index < index {
            let call = calls[position]
            guard !call.name.isEmpty else {
                throw ProtocolViolation(problem: "tool call \(call.index) has no function name")
            }
            calls[position].sent = true
            chunks.append(.toolCall(call.toolCall))
        }
        return chunks
    }
}

/// An error event inside a stream, with the server's message.
struct StreamFailure: Error {
    var message: String
}
