import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

@Suite("ScriptedModel")
struct ScriptedModelTests {
    @Test("a model with a reply function answers each request from its content, in any order")
    func replyFunction() async throws {
        let model = ScriptedModel { request in
            let question = request.messages.last?.content ?? ""
            return .text(question.contains("weather") ? "Sunny." : "I don't know.")
        }
        async let first = model.respond(to: ChatRequest(messages: [.user("the weather?")]))
        async let second = model.respond(to: ChatRequest(messages: [.user("the score?")]))
        #expect(try await (first.text, second.text) == ("Sunny.", "I don't know."))
        #expect(model.requests.count == 2)
        #expect(model.remaining == nil)
        #expect(ScriptedModel([.text("a")]).remaining == 1)
    }

    @Test("what the reply function throws is what the call throws")
    func replyFunctionThrows() async {
        struct Refused: Error {}
        let model = ScriptedModel { _ in throw Refused() }
        await #expect(throws: Refused.self) { try await model.respond(to: ChatRequest(messages: [.user("hi")])) }
        await #expect(throws: Refused.self) {
            for try await _ in model.stream(ChatRequest(messages: [.user("hi")])) {}
        }
    }

    @Test("with a pace, each chunk waits on the clock before it is sent")
    func pace() async throws {
        let clock = ManualClock()
        let model = ScriptedModel([.text("one two three")], pace: .milliseconds(10), clock: clock)
        let received = Mutex<[StreamChunk]>([])
        let reader = Task {
            for try await chunk in model.stream(ChatRequest(messages: [.user("count")])) {
                received.withLock { $0.append(chunk) }
            }
        }
        // Four chunks (three words and the final response), each after one wait of 10 ms.
        for sent in 1...4 {
            await clock.waitForSleepers(1)
            #expect(received.withLock { $0.count } == sent - 1)  // nothing before its wait is over
            clock.advance(by: .milliseconds(10))
            #expect(try await eventually { received.withLock { $0.count } == sent })
        }
        try await reader.value
        let chunks = received.withLock { $0 }
        #expect(chunks.prefix(3) == [.token("one "), .token("two "), .token("three")])
        #expect(chunks.count == 4)  // and the final response
    }

    @Test("a cancelled task's stream throws CancellationError and takes no reply")
    func cancelledStream() async throws {
        let model = ScriptedModel([.text("kept")])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            for try await _ in model.stream(ChatRequest(messages: [.user("hi")])) {}
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(model.remaining == 1)
        #expect(try await model.respond(to: ChatRequest(messages: [.user("again")])).text == "kept")
    }

    @Test("stream chunks tell the console monitor how to show them")
    func consoleDisplay() {
        let response = ChatResponse(
            message: .assistant("done"), finishReason: .stop, usage: TokenUsage(promptTokens: 3, completionTokens: 1),
            model: "m")
        #expect(StreamChunk.token("Hi").consoleDisplay == .text("Hi"))
        #expect(StreamChunk.jsonPartial(#"{"a":"#).consoleDisplay == .snapshot(#"{"a":"#))
        #expect(
            StreamChunk.toolCall(ToolCall(id: "1", name: "web_search", arguments: #"{"q":"x"}"#)).consoleDisplay
                == .line(#"calls web_search {"q":"x"}"#))
        #expect(StreamChunk.status("repairing").consoleDisplay == .line("repairing"))
        #expect(StreamChunk.final(response).consoleDisplay == .usage(TokenUsage(promptTokens: 3, completionTokens: 1)))
        var withoutUsage = response
        withoutUsage.usage = nil
        #expect(StreamChunk.final(withoutUsage).consoleDisplay == .hidden)
    }
}
