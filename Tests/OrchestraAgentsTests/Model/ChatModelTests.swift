import OrchestraAgents
import Testing

@Suite("Chat model values")
struct ChatModelTests {
    /// Answers with the last message's text, and calls a tool when asked to.
    struct Echo: ChatModel {
        func respond(to request: ChatRequest) async throws -> ChatResponse {
            let text = request.messages.last?.content ?? ""
            let calls =
                text.contains("weather") ? [ToolCall(id: "c1", name: "weather", arguments: #"{"city":"Oslo"}"#)] : []
            return ChatResponse(
                message: .assistant(text, toolCalls: calls), finishReason: calls.isEmpty ? .stop : .toolCalls,
                usage: TokenUsage(promptTokens: 5, completionTokens: 2))
        }
    }

    static func chunks(_ model: some ChatModel, _ request: ChatRequest) async throws -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        for try await chunk in model.stream(request) { chunks.append(chunk) }
        return chunks
    }

    @Test("the default stream sends the text, the tool calls and the final response, in that order")
    func defaultStream() async throws {
        let request = ChatRequest(messages: [.user("the weather?")])
        let chunks = try await Self.chunks(Echo(), request)
        let response = try await Echo().respond(to: request)
        #expect(
            chunks == [
                .token("the weather?"), .toolCall(ToolCall(id: "c1", name: "weather", arguments: #"{"city":"Oslo"}"#)),
                .final(response),
            ])
    }

    @Test("with a schema asked for, the default stream sends the text as partial JSON")
    func defaultStreamJSON() async throws {
        let request = ChatRequest(
            messages: [.user(#"{"a":1}"#)], responseFormat: .jsonSchema(name: "A", schema: .object(properties: [:])))
        let chunks = try await Self.chunks(Echo(), request)
        #expect(chunks.first == .jsonPartial(#"{"a":1}"#))
    }

    @Test("finish reasons from the server's names, and usage that adds up")
    func values() {
        #expect(
            ["stop", "length", "tool_calls", "content_filter", "eos"].map(FinishReason.init) == [
                .stop, .length, .toolCalls, .contentFilter, .other("eos"),
            ])
        let total = TokenUsage(promptTokens: 10, completionTokens: 3) + TokenUsage(promptTokens: 4, completionTokens: 1)
        #expect(total == TokenUsage(promptTokens: 14, completionTokens: 4))
        #expect(total.totalTokens == 18)
        #expect(ChatMessage.tool("12°C", callID: "c1").toolCallID == "c1")
    }

    @Test("token counts add up without overflowing, whatever a server reported")
    func saturatingUsage() {
        let huge = TokenUsage(promptTokens: .max - 1, completionTokens: 5)
        #expect((huge + huge).promptTokens == .max)
        #expect(huge.totalTokens == .max)
    }
}
