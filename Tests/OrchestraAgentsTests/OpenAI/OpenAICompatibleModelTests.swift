import Foundation
import OrchestraAgents
import Synchronization
import Testing

/// The real HTTP client against a real socket: a local server that writes exactly the bytes each case needs.
@Suite("OpenAI-compatible client")
struct OpenAICompatibleModelTests {
    static let completion = #"""
        {"object":"chat.completion","model":"m-1","choices":[{"index":0,"finish_reason":"tool_calls",
         "message":{"role":"assistant","content":null,"tool_calls":[
          {"id":"call_a","type":"function","function":{"name":"search","arguments":"{\"q\":\"solar\"}"}}]}}],
         "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}
        """#

    func model(_ server: LocalHTTPServer, key: String? = "sk-test", timeout: Duration = .seconds(30))
        -> OpenAICompatibleModel
    {
        OpenAICompatibleModel(
            baseURL: server.baseURL, model: "default-model", apiKey: key.map(APIKey.init), requestTimeout: timeout)
    }

    func answering(status: Int = 200, contentType: String = "application/json", _ body: String) throws
        -> LocalHTTPServer
    {
        try LocalHTTPServer { _, connection in
            connection.writeHead(status: status, contentType: contentType)
            connection.write(body)
        }
    }

    @Test("a request is sent as the chat-completions protocol says, with the key as a bearer token")
    func requestOnTheWire() async throws {
        let server = try answering(Self.completion)
        let request = ChatRequest(
            messages: [
                .system("Be brief."), .user("Find solar."),
                .assistant(nil, toolCalls: [ToolCall(id: "c1", name: "search", arguments: #"{"q":"x"}"#)]),
                .tool(#"{"hits":1}"#, callID: "c1"),
            ],
            tools: [ToolDefinition(name: "search", description: "Searches.", parameters: .object(properties: [:]))],
            toolChoice: .tool("search"), responseFormat: .jsonSchema(name: "Plan", schema: .string()),
            temperature: 0, maxTokens: 64, stop: ["</end>"])
        _ = try await model(server).respond(to: request)

        let sent = try #require(server.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == "Bearer sk-test")
        #expect(sent.headers["content-type"] == "application/json")
        let body = try #require(sent.json)
        #expect(body["model"] == "default-model")
        #expect(body["stream"] == false)
        #expect(body["stream_options"] == nil)
        #expect(body["messages"]?.arrayValue?.count == 4)
        #expect(body["messages"][2]["content"] == .null)
        #expect(
            body["messages"][2]["tool_calls"][0] == [
                "id": "c1", "type": "function", "function": ["name": "search", "arguments": #"{"q":"x"}"#],
            ])
        #expect(body["messages"][3] == ["role": "tool", "content": #"{"hits":1}"#, "tool_call_id": "c1"])
        #expect(body["tools"][0]["type"] == "function")
        #expect(body["tools"][0]["function"]["name"] == "search")
        #expect(body["tools"][0]["function"]["parameters"]["type"] == "object")
        #expect(body["tool_choice"] == ["type": "function", "function": ["name": "search"]])
        #expect(body["response_format"]["type"] == "json_schema")
        #expect(body["response_format"]["json_schema"]["name"] == "Plan")
        #expect(body["response_format"]["json_schema"]["schema"] == ["type": "string"])
        #expect(body["temperature"] == 0)
        #expect(body["max_tokens"] == 64)
        #expect(body["stop"] == ["</end>"])
    }

    @Test("a base URL ending in /v1 is not given a second one, and a request's own model wins")
    func baseURLWithVersion() async throws {
        let server = try answering(Self.completion)
        let model = OpenAICompatibleModel(
            baseURL: server.baseURL.appendingPathComponent("v1"), model: "default-model", apiKey: nil)
        _ = try await model.respond(to: ChatRequest(model: "other", messages: [.user("hi")]))
        let sent = try #require(server.requests.first)
        #expect(sent.path == "/v1/chat/completions")
        #expect(sent.headers["authorization"] == nil)
        #expect(sent.json?["model"] == "other")
    }

    @Test("a request's trace goes out as a W3C traceparent header; a request without one sends none")
    func sendsTraceparent() async throws {
        let server = try answering(Self.completion)
        let trace = try #require(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        _ = try await model(server).respond(to: ChatRequest(messages: [.user("hi")], trace: trace))
        _ = try await model(server).respond(to: ChatRequest(messages: [.user("hi")]))
        let sent = server.requests
        #expect(sent.count == 2)
        #expect(sent.first?.headers["traceparent"] == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(sent.last?.headers["traceparent"] == nil)
    }

    @Test("a completion becomes a response with its tool calls, finish reason, usage and model")
    func decodesCompletion() async throws {
        let server = try answering(Self.completion)
        let response = try await model(server).respond(to: ChatRequest(messages: [.user("hi")]))
        #expect(response.toolCalls == [ToolCall(id: "call_a", name: "search", arguments: #"{"q":"solar"}"#)])
        #expect(response.message.content == nil)
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == TokenUsage(promptTokens: 12, completionTokens: 7))
        #expect(response.model == "m-1")
    }

    @Test("the first token reaches the caller while the server still holds back the rest")
    func streamsBeforeTheEnd() async throws {
        let firstTokenSeen = Gate()
        let heldUntilSeen = Mutex<Bool?>(nil)
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            connection.writeToken("Hel")
            // A client that buffered the body would never show the token, and the gate would time out.
            let seen = firstTokenSeen.wait(for: .seconds(20))
            heldUntilSeen.withLock { $0 = seen }
            connection.writeToken("lo")
            connection.writeEvent("[DONE]")
        }
        var tokens: [String] = []
        for try await chunk in model(server).stream(ChatRequest(messages: [.user("hi")])) {
            if case .token(let text) = chunk {
                tokens.append(text)
                firstTokenSeen.open()
            }
        }
        #expect(tokens == ["Hel", "lo"])
        #expect(heldUntilSeen.withLock { $0 } == true)
        #expect(server.requests.first?.json?["stream"] == true)
        #expect(server.requests.first?.json?["stream_options"] == ["include_usage": true])
        #expect(server.requests.first?.headers["accept"] == "text/event-stream")
    }

    @Test("tool calls are assembled from their fragments, each sent once complete, and the usage comes last")
    func streamsToolCalls() async throws {
        let events = [
            #"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c0","type":"function","function":{"name":"search","arguments":""}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"q\":"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"sun\"}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c1","function":{"name":"fetch","arguments":"{}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":9}}"#,
            "[DONE]",
        ]
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            for event in events { connection.writeEvent(event) }
        }
        let chunks = try await collect(model(server).stream(ChatRequest(messages: [.user("hi")])))
        let search = ToolCall(id: "c0", name: "search", arguments: #"{"q":"sun"}"#)
        let fetch = ToolCall(id: "c1", name: "fetch", arguments: "{}")
        #expect(chunks.count == 3)
        #expect(chunks.first == .toolCall(search))
        #expect(chunks.dropFirst().first == .toolCall(fetch))
        guard case .final(let response) = chunks.last else {
            Issue.record("the last chunk is not the final response: \(chunks)")
            return
        }
        #expect(response.toolCalls == [search, fetch])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == TokenUsage(promptTokens: 30, completionTokens: 9))
    }

    @Test("with a schema asked for, the stream sends the JSON so far, and events split anywhere still parse")
    func streamsPartialJSON() async throws {
        let body =
            ": keep-alive\n\n"
            + #"data: {"choices":[{"index":0,"delta":{"content":"{\"n\":"}}]}"# + "\r\n\r\n"
            + #"data: {"choices":[{"index":0,"delta":{"content":"\"é\"}"}}]}"# + "\n\n"
            + "data: [DONE]\n\n"
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            // Three bytes at a time: inside "é", inside "\r\n", inside "data:".
            let bytes = Array(body.utf8)
            for start in stride(from: 0, to: bytes.count, by: 3) {
                connection.write(Data(bytes[start..<min(start + 3, bytes.count)]))
            }
        }
        let request = ChatRequest(
            messages: [.user("hi")], responseFormat: .jsonSchema(name: "N", schema: .object(properties: [:])))
        let chunks = try await collect(model(server).stream(request))
        #expect(Array(chunks.prefix(2)) == [StreamChunk.jsonPartial(#"{"n":"#), .jsonPartial(#"{"n":"é"}"#)])
        #expect(chunks.count == 3)
    }

    @Test("an HTTP error carries the status and the server's message, streamed or not")
    func httpError() async throws {
        let server = try answering(
            status: 400,
            #"{"error":{"code":400,"message":"Cannot have 2 or more assistant messages","type":"invalid_request_error"}}"#
        )
        let request = ChatRequest(messages: [.user("hi")])
        let expected = ModelError.Reason.status(400, message: "Cannot have 2 or more assistant messages")
        let answered = try await modelError { try await model(server).respond(to: request) }
        #expect(answered.reason == expected)
        #expect(answered.endpoint == "http://127.0.0.1:\(server.port)/v1/chat/completions")
        #expect(!answered.isTransient)
        let streamed = try await modelError { _ = try await collect(model(server).stream(request)) }
        #expect(streamed.reason == expected)
    }

    @Test("a body that is not JSON is a malformed response quoting it, shortened")
    func malformedBody() async throws {
        let junk = "<html>" + String(repeating: "x", count: 1_000)
        let server = try answering(junk)
        let error = try await modelError { try await model(server).respond(to: ChatRequest(messages: [.user("hi")])) }
        guard case .malformedResponse(let problem, let excerpt) = error.reason else {
            Issue.record("not a malformed response: \(error)")
            return
        }
        #expect(problem == "it is not JSON")
        #expect(excerpt.hasPrefix("<html>xxx"))
        #expect(excerpt.count == 300)
        #expect(excerpt.hasSuffix("…"))
    }

    @Test("a stream that ends without [DONE] is truncated, with the text received; an error event is reported")
    func truncatedAndErrorEvents() async throws {
        let cut = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            connection.writeToken("partial ")
            connection.writeToken("answer")
        }
        let request = ChatRequest(messages: [.user("hi")])
        let truncated = try await modelError { _ = try await collect(model(cut).stream(request)) }
        #expect(truncated.reason == .truncated(received: "partial answer"))
        #expect(truncated.isTransient)

        let failing = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            connection.writeToken("partial")
            connection.writeEvent(#"{"error":{"message":"the slot was lost"}}"#)
        }
        let failed = try await modelError { _ = try await collect(model(failing).stream(request)) }
        #expect(failed.reason == .streamError("the slot was lost"))
    }

    @Test("the default key, OPENAI_API_KEY, goes to api.openai.com only")
    func defaultKeyStaysWithOpenAI() async throws {
        let server = try answering(Self.completion)
        setenv("OPENAI_API_KEY", "sk-from-environment", 1)
        defer { unsetenv("OPENAI_API_KEY") }
        #expect(APIKey.openAIFromEnvironment != nil)
        _ = try await OpenAICompatibleModel(baseURL: server.baseURL, model: "m").respond(
            to: ChatRequest(messages: [.user("hi")]))
        #expect(server.requests.first?.headers["authorization"] == nil)
        let openAI = OpenAICompatibleModel(baseURL: URL(string: "https://api.openai.com")!, model: "m")
        #expect(openAI.description.contains("apiKey: APIKey(redacted)"))
        let explicit = APIKey.environment("PATH").map {
            OpenAICompatibleModel(baseURL: server.baseURL, model: "m", apiKey: $0)
        }
        _ = try await explicit?.respond(to: ChatRequest(messages: [.user("hi")]))
        #expect(server.requests.last?.headers["authorization"]?.hasPrefix("Bearer ") == true)
    }

    @Test("a redirect is not followed: the key never goes elsewhere, and the 3xx is the error")
    func redirectRefused() async throws {
        let elsewhere = try answering(Self.completion)
        let server = try LocalHTTPServer { _, connection in
            connection.write(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: \(elsewhere.baseURL)/v1/chat/completions\r\n"
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n")
        }
        let error = try await modelError { try await model(server).respond(to: ChatRequest(messages: [.user("hi")])) }
        guard case .status(307, _) = error.reason else {
            Issue.record("not the redirect's status: \(error)")
            return
        }
        #expect(elsewhere.requests.isEmpty)
    }

    @Test("tool-call fragments without an index, or repeating the name, still make separate, whole calls")
    func fragmentsWithoutIndex() async throws {
        let events = [
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"x\":"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"name":"f","arguments":"1}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"id":"b","function":{"name":"g","arguments":"{}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#, "[DONE]",
        ]
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            for event in events { connection.writeEvent(event) }
        }
        let chunks = try await collect(model(server).stream(ChatRequest(messages: [.user("hi")])))
        #expect(
            Array(chunks.prefix(2)) == [
                StreamChunk.toolCall(ToolCall(id: "a", name: "f", arguments: #"{"x":1}"#)),
                .toolCall(ToolCall(id: "b", name: "g", arguments: "{}")),
            ])
    }

    @Test("strict is asked for only when the schema fits OpenAI's strict mode")
    func strictOnlyWhenItFits() async throws {
        let server = try answering(Self.completion)
        var closed = JSONSchema.object(properties: ["a": .string()], required: ["a"])
        closed.additionalProperties = .forbidden
        let open = JSONSchema.object(properties: ["a": .string()], required: [])
        for (schema, strict) in [(closed, true), (open, false)] {
            _ = try await model(server).respond(
                to: ChatRequest(messages: [.user("hi")], responseFormat: .jsonSchema(name: "S", schema: schema)))
            #expect(server.requests.last?.json?["response_format"]["json_schema"]["strict"] == .bool(strict))
        }
    }

    @Test("a base URL's query is kept, and a page that is not the protocol is malformed, not a truncation")
    func queryAndNonStreamPage() async throws {
        let page = try answering(contentType: "text/html", "<html>captive portal</html>")
        let withQuery = OpenAICompatibleModel(
            baseURL: URL(string: "\(page.baseURL)/openai?api-version=2024-06-01") ?? page.baseURL, model: "m",
            apiKey: nil, requestTimeout: .seconds(Int64.max))
        let error = try await modelError {
            _ = try await collect(withQuery.stream(ChatRequest(messages: [.user("hi")])))
        }
        #expect(page.requests.first?.path == "/openai/v1/chat/completions?api-version=2024-06-01")
        #expect(error.reason == .malformedResponse(problem: "it is not JSON", excerpt: "<html>captive portal</html>"))
        #expect(!error.isTransient)
    }

    @Test("an event that is not JSON is a malformed response quoting the event")
    func malformedEvent() async throws {
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            connection.writeToken("fine")
            connection.writeEvent("{oops")
        }
        let error = try await modelError {
            _ = try await collect(model(server).stream(ChatRequest(messages: [.user("hi")])))
        }
        #expect(error.reason == .malformedResponse(problem: "a stream event: it is not JSON", excerpt: "{oops"))
    }

    @Test("a server that answers a stream request with a whole completion still gives chunks")
    func streamAnsweredWhole() async throws {
        let server = try answering(Self.completion)
        let chunks = try await collect(model(server).stream(ChatRequest(messages: [.user("hi")])))
        #expect(chunks.count == 2)
        #expect(chunks.first == .toolCall(ToolCall(id: "call_a", name: "search", arguments: #"{"q":"solar"}"#)))
    }

    @Test("a server that sends nothing times out; a closed port refuses the connection")
    func timeoutAndRefused() async throws {
        let silent = try LocalHTTPServer { _, connection in
            _ = connection.waitForClientToClose(within: .seconds(30))
        }
        let request = ChatRequest(messages: [.user("hi")])
        let timedOut = try await modelError {
            try await model(silent, timeout: .milliseconds(300)).respond(to: request)
        }
        #expect(timedOut.reason == .timedOut(after: .milliseconds(300)))
        #expect(timedOut.isTransient)

        let closed = try LocalHTTPServer { _, _ in }
        closed.stop()
        let refused = try await modelError { try await model(closed).respond(to: request) }
        #expect(refused.reason == .connectionFailed("connection refused"))
    }

    @Test("cancelling the consuming task ends the stream, with no final chunk, and closes the connection")
    func cancellation() async throws {
        let firstToken = Gate()
        let clientClosed = Mutex<Bool?>(nil)
        let server = try LocalHTTPServer { _, connection in
            connection.writeHead(contentType: "text/event-stream")
            connection.writeToken("one")
            let closed = connection.waitForClientToClose(within: .seconds(20))
            clientClosed.withLock { $0 = closed }
        }
        let model = model(server)
        let consumer = Task {
            var chunks: [StreamChunk] = []
            do {
                for try await chunk in model.stream(ChatRequest(messages: [.user("hi")])) {
                    chunks.append(chunk)
                    firstToken.open()
                }
            } catch is CancellationError {}  // a cancelled stream ends, or throws CancellationError
            return chunks
        }
        #expect(try await eventually { firstToken.isOpened })  // polled: a blocking wait would hold a pool thread
        consumer.cancel()
        #expect(try await consumer.value == [.token("one")])
        #expect(try await eventually { clientClosed.withLock { $0 } != nil })
        #expect(clientClosed.withLock { $0 } == true)
    }

    @Test("the API key is sent, and appears in no error, description or mirror, even when the server quotes it")
    func keyNeverShown() async throws {
        let secret = "sk-live-1234567890abcdef"
        let server = try LocalHTTPServer { request, connection in
            connection.writeHead(status: 401, contentType: "application/json")
            let echoed = request.headers["authorization"] ?? ""
            connection.write(#"{"error":{"message":"Incorrect API key provided: \#(echoed)"}}"#)
        }
        let model = model(server, key: secret)
        let error = try await modelError { try await model.respond(to: ChatRequest(messages: [.user("hi")])) }
        #expect(server.requests.first?.headers["authorization"] == "Bearer \(secret)")
        #expect(error.reason == .status(401, message: "Incorrect API key provided: Bearer [redacted]"))
        var dumped = ""
        dump(model, to: &dumped)
        for shown in [String(describing: error), String(reflecting: error), model.description, dumped] {
            #expect(!shown.contains(secret))
        }
        #expect(model.description.contains("APIKey(redacted)"))
    }

    @Test("an unsound schema is an invalid request, refused before anything is sent")
    func unsoundSchema() async throws {
        let server = try answering(Self.completion)
        let request = ChatRequest(
            messages: [.user("hi")],
            responseFormat: .jsonSchema(name: "Title", schema: .string(minLength: 5, maxLength: 2)))
        let error = try await modelError { try await model(server).respond(to: request) }
        #expect(
            error.reason
                == .invalidRequest(
                    "the schema 'Title' of the response format is unsound: $: minLength 5 is above maxLength 2"))
        #expect(server.requests.isEmpty)
    }

    @Test("a base URL that is not http or https is an invalid request, named before anything is sent")
    func invalidBaseURL() async throws {
        let model = OpenAICompatibleModel(baseURL: URL(string: "ftp://example.com")!, model: "m", apiKey: nil)
        let error = try await modelError { try await model.respond(to: ChatRequest(messages: [.user("hi")])) }
        guard case .invalidRequest(let problem) = error.reason else {
            Issue.record("not an invalid request: \(error)")
            return
        }
        #expect(problem.contains("http or https"))
    }
}

/// Every chunk of a stream, in order.
func collect(_ stream: AsyncThrowingStream<StreamChunk, any Error>) async throws -> [StreamChunk] {
    var chunks: [StreamChunk] = []
    for try await chunk in stream { chunks.append(chunk) }
    return chunks
}

/// The ``ModelError`` that `body` throws; a test failure when it throws another error or none.
func modelError<T>(_ body: () async throws -> T) async throws -> ModelError {
    do {
        _ = try await body()
    } catch let error as ModelError {
        return error
    }
    Issue.record("no ModelError was thrown")
    throw CancellationError()
}

/// Whether a test may go on: opened once, waited for from any thread with a limit.
final class Gate: Sendable {
    private let condition = NSCondition()
    private let isOpen = Mutex(false)

    func open() {
        condition.lock()
        isOpen.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the gate is open.
    var isOpened: Bool { isOpen.withLock { $0 } }

    /// Whether the gate opened within `limit`; blocks the calling thread — for the test server's threads.
    func wait(for limit: Duration) -> Bool {
        let deadline = Date().addingTimeInterval(Double(limit.components.seconds))
        condition.lock()
        defer { condition.unlock() }
        while !isOpen.withLock({ $0 }) {
            if !condition.wait(until: deadline) { return isOpen.withLock { $0 } }
        }
        return true
    }
}

/// Waits until `condition` holds, polling, for up to 20 seconds, without blocking a thread.
///
/// - Returns: Whether it held in time.
func eventually(_ condition: @Sendable () -> Bool) async throws -> Bool {
    for _ in 0..<2_000 where !condition() {
        try await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
