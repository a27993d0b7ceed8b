import Foundation
import OrchestraAgents
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The local LLM server's root, from `ORCHESTRA_LLM_BASE_URL`.
let localLLM = ProcessInfo.processInfo.environment["ORCHESTRA_LLM_BASE_URL"].flatMap { URL(string: $0) }

/// The real client against a real llama.cpp server with a real (small) model: what `Scripts/llm-server start`
/// runs, and CI always. The assertions are on the protocol — framing, usage, finish reasons, schema-valid JSON,
/// tool-call shape, error mapping — never on the words a 135M-parameter model writes.
@Suite(
    "Local llama.cpp server", .serialized,
    .enabled(
        if: localLLM != nil,
        "ORCHESTRA_LLM_BASE_URL is not set; run `export ORCHESTRA_LLM_BASE_URL=$(Scripts/llm-server start)` to run these"
    ))
struct LocalLLMTests {
    let base = localLLM ?? URL(fileURLWithPath: "/")
    var model: OpenAICompatibleModel { OpenAICompatibleModel(baseURL: base, model: "smollm2-135m", apiKey: nil) }

    struct Report: StructuredOutput {
        var title: String
        var steps: [String]
        static let schema = JSONSchema.object(
            properties: [
                "title": .string(minLength: 1, maxLength: 60),
                "steps": .array(of: .string(minLength: 1, maxLength: 80), minItems: 1, maxItems: 3),
            ],
            required: ["title", "steps"])
    }

    static let webSearch = FunctionTool(
        name: "web_search", description: "Search the web",
        parameters: .object(properties: ["query": .string()], required: ["query"])
    ) { arguments in
        let query = arguments["query"]?.stringValue ?? ""
        return ["results": [.string("Panels convert about 20% of sunlight (\(query)).")]]
    }

    /// The server's `/slots` and `/metrics`, to see what it is doing.
    func slotIsProcessing() async throws -> Bool {
        let (data, _) = try await URLSession.shared.data(from: base.appendingPathComponent("slots"))
        let slots = try JSONDecoder().decode(JSONValue.self, from: data)
        return try #require(slots[0]?["is_processing"]?.boolValue as Bool?, "/slots has no is_processing: \(slots)")
    }

    func tokensDecoded() async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: base.appendingPathComponent("metrics"))
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first {
            $0.hasPrefix("llamacpp:n_decode_total ")
        }
        let total = try #require(
            line?.split(separator: " ").last.flatMap { Double($0) }, "/metrics has no n_decode_total")
        return Int(total)
    }

    @Test("a chat completes, with a finish reason, the model's name and the token usage")
    func chat() async throws {
        let response = try await model.respond(
            to: ChatRequest(messages: [.user("Name three colors.")], temperature: 0, maxTokens: 24))
        #expect([.stop, .length].contains(response.finishReason))
        #expect(response.model == "smollm2-135m")
        let usage = try #require(response.usage)
        #expect(usage.promptTokens > 0)
        #expect((1...24).contains(usage.completionTokens))
        #expect(!response.text.isEmpty)
    }

    @Test("a stream's first token arrives while the server is still generating, and the usage comes at the end")
    func streamsEarly() async throws {
        try await withLocalLLMServer { try await streamsEarlyAlone() }
    }

    /// `streamsEarly`, while no other test uses the server: `/slots` describes the whole server.
    private func streamsEarlyAlone() async throws {
        var tokens: [String] = []
        var processingAtFirstToken: Bool?
        var final: ChatResponse?
        let request = ChatRequest(
            messages: [.user("Count from 1 to 100, separated by commas.")], temperature: 0, maxTokens: 200)
        for try await chunk in model.stream(request) {
            switch chunk {
            case .token(let text):
                if tokens.isEmpty { processingAtFirstToken = try await slotIsProcessing() }
                tokens.append(text)
            case .final(let response): final = response
            default: break
            }
        }
        #expect(processingAtFirstToken == true, "the server had already finished when the first token arrived")
        let response = try #require(final)
        #expect(tokens.count > 1)
        #expect(response.text == tokens.joined())
        #expect((response.usage?.completionTokens ?? 0) >= tokens.count)
        #expect([.stop, .length].contains(response.finishReason))
    }

    @Test("a json_schema answer decodes into a StructuredOutput, through an agent that records its tokens")
    func structuredOutput() async throws {
        let agent = AgentRunnable<String, Report>(
            "Report", model: model, instructions: "Answer in JSON.", maxRepairs: 0, temperature: 0, maxTokens: 400)
        let handle = Orchestration(agent).start("Plan a short report on solar panels.")
        let report = try await handle.value
        #expect(!report.title.isEmpty)
        #expect((1...3).contains(report.steps.count))
        #expect(await handle.record.tokens.completionTokens > 0)
        var partials = 0
        for await event in handle.events
        where event.chunk(as: StreamChunk.self).map({ if case .jsonPartial = $0 { true } else { false } }) == true {
            partials += 1
        }
        #expect(partials > 1)
    }

    @Test("a tool call round trip: the model calls the tool, the registry runs it, the model answers")
    func toolRoundTrip() async throws {
        let tools = try ToolRegistry([Self.webSearch])
        let question = ChatMessage.user("Search the web for solar panel efficiency.")
        // A 135M model never calls a tool by itself; this prefill and stop make it (see Docs/Models.md).
        let asking = ChatRequest(
            messages: [question, .assistant("<tool_call>\n")], tools: tools.definitions, toolChoice: .required,
            temperature: 0, maxTokens: 60, stop: ["</tool_call>"])
        let response = try await model.respond(to: asking)
        #expect(response.finishReason == .toolCalls)
        let call = try #require(response.toolCalls.first)
        #expect(call.name == "web_search")
        #expect(!call.id.isEmpty)
        let results = try await tools.call(response.toolCalls)
        #expect(results.allSatisfy { (try? $0.outcome.get()) != nil }, "the arguments were: \(call.arguments)")

        var streamedCalls: [ToolCall] = []
        for try await chunk in model.stream(asking) {
            if case .toolCall(let streamed) = chunk { streamedCalls.append(streamed) }
        }
        #expect(streamedCalls.map(\.name) == response.toolCalls.map(\.name))
        #expect(streamedCalls.map(\.arguments) == response.toolCalls.map(\.arguments))

        let answer = try await model.respond(
            to: ChatRequest(
                messages: [question, response.message] + results.map(\.message), tools: tools.definitions,
                temperature: 0, maxTokens: 40))
        #expect([.stop, .length].contains(answer.finishReason))
        #expect(answer.toolCalls.isEmpty)
    }

    @Test("a request the server refuses is HTTP 400 with the server's message")
    func badRequest() async throws {
        let request = ChatRequest(messages: [.assistant("one"), .assistant("two")], maxTokens: 4)
        let error = try await modelError { try await model.respond(to: request) }
        guard case .status(400, let message) = error.reason else {
            Issue.record("not an HTTP 400: \(error)")
            return
        }
        #expect(message.contains("assistant"))
        let streamed = try await modelError { _ = try await collect(model.stream(request)) }
        #expect(streamed.reason == error.reason)
    }

    @Test("cancelling mid-stream stops the server's generation", .timeLimit(.minutes(1)))
    func cancelMidStream() async throws {
        try await withLocalLLMServer { try await cancelMidStreamAlone() }
    }

    /// `cancelMidStream`, while no other test uses the server: `/metrics` counts every request's tokens.
    private func cancelMidStreamAlone() async throws {
        let before = try await tokensDecoded()
        let request = ChatRequest(
            messages: [.user("Count from 1 to 500, separated by commas.")], temperature: 0, maxTokens: 400)
        let model = model
        let consumer = Task {
            var tokens = 0
            do {
                for try await chunk in model.stream(request) {
                    if case .token = chunk { tokens += 1 }
                    if tokens == 3 { withUnsafeCurrentTask { $0?.cancel() } }
                }
            } catch is CancellationError {}  // a cancelled stream ends, or throws CancellationError
            return tokens
        }
        #expect(try await consumer.value >= 3)
        for _ in 0..<500 where try await slotIsProcessing() {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await !slotIsProcessing())
        let decoded = try await tokensDecoded() - before
        #expect(decoded < 400, "the server generated all \(decoded) tokens: the request was not cancelled")
    }
}
