public import OrchestraAgents
import Synchronization

/// A ``OrchestraAgents/ChatModel`` that answers from a script and records what it was asked: for tests that
/// must not depend on a network or on what a real model happens to write, and for examples that run offline.
///
/// ```swift
/// let model = ScriptedModel([
///     .toolCalls([ToolCall(id: "1", name: "web_search", arguments: #"{"query": "solar"}"#)]),
///     .text("Solar panels convert about 20% of sunlight.", usage: TokenUsage(promptTokens: 40, completionTokens: 9)),
/// ])
/// let agent = AgentRunnable<String, String>("Research", model: model, instructions: "", tools: tools)
/// let answer = try await Orchestration(agent).run("solar")
/// #expect(model.requests.count == 2)
/// #expect(model.requests[1].messages.last?.role == .tool)
/// ```
///
/// Each request takes the next reply, whether it comes through ``respond(to:)`` or ``stream(_:)``. A script
/// that has run out throws ``ScriptedModel/Exhausted``, naming the request that found it empty. Streaming a
/// text reply sends it word by word, so that tests and examples see several tokens. When requests come
/// concurrently, in no fixed order, give the model a function that works each reply out from its request
/// instead: ``init(pace:clock:reply:)``.
public final class ScriptedModel: ChatModel, Sendable {
    /// One scripted answer.
    public enum Reply: Sendable {
        /// A text answer, finishing with `stop`.
        case text(String, usage: TokenUsage? = nil)
        /// A JSON answer, as a model asked for a schema would give: the value's compact text.
        case json(JSONValue, usage: TokenUsage? = nil)
        /// Tool calls, finishing with `tool_calls`.
        case toolCalls([ToolCall], usage: TokenUsage? = nil)
        /// A whole response, as given.
        case response(ChatResponse)
        /// These chunks, streamed as given; ``respond(to:)`` returns their final response. Chunks without
        /// ``OrchestraAgents/StreamChunk/final(_:)`` end the stream without one, as a cut connection does, and
        /// ``respond(to:)`` throws ``OrchestraAgents/ModelError/Reason/truncated(received:)`` for them.
        case chunks([StreamChunk])
        /// The error, thrown by both calls.
        case failure(any Error)
    }

    /// A script that has run out: the request that found it empty.
    public struct Exhausted: Error, Sendable, Hashable, CustomStringConvertible {
        /// How many replies the script had.
        public var replies: Int
        /// The request, counted from 1.
        public var request: Int

        /// Creates the error.
        public init(replies: Int, request: Int) {
            self.replies = replies
            self.request = request
        }

        /// As in `the script has 2 replies, and request 3 asked for another`.
        public var description: String {
            "the script has \(replies) \(replies == 1 ? "reply" : "replies"), and request \(request) asked for another"
        }
    }

    private struct State: Sendable {
        var replies: [Reply]
        var next = 0
        var requests: [ChatRequest] = []
    }

    private let state: Mutex<State>
    private let reply: (@Sendable (ChatRequest) throws -> Reply)?
    private let pace: Duration
    private let clock: any Clock<Duration>

    /// A model that gives `replies`, one per request, in order.
    ///
    /// - Parameters:
    ///   - replies: The replies, in the order requests take them.
    ///   - pace: How long ``stream(_:)`` waits before each chunk, to look like a model generating — for
    ///     examples; none by default.
    ///   - clock: The clock `pace` is measured on.
    public init(_ replies: [Reply], pace: Duration = .zero, clock: any Clock<Duration> = ContinuousClock()) {
        state = Mutex(State(replies: replies))
        reply = nil
        self.pace = pace
        self.clock = clock
    }

    /// A model whose replies `reply` works out from each request: for states that call a model concurrently,
    /// where the order of the requests is not fixed, and for offline examples.
    ///
    /// ```swift
    /// let model = ScriptedModel { request in
    ///     let question = request.messages.last?.content ?? ""
    ///     return question.contains("weather") ? .text("Sunny.") : .text("I don't know.")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - pace: How long ``stream(_:)`` waits before each chunk; none by default.
    ///   - clock: The clock `pace` is measured on.
    ///   - reply: The reply to a request; an error it throws is what the call throws.
    public init(
        pace: Duration = .zero, clock: any Clock<Duration> = ContinuousClock(),
        reply: @escaping @Sendable (ChatRequest) throws -> Reply
    ) {
        state = Mutex(State(replies: []))
        self.reply = reply
        self.pace = pace
        self.clock = clock
    }

    /// The requests received, in order.
    public var requests: [ChatRequest] { state.withLock { $0.requests } }

    /// How many replies are left; `nil` for a model that works its replies out from the requests.
    public var remaining: Int? {
        reply == nil ? state.withLock { $0.replies.count - $0.next } : nil
    }

    /// Records `request` and takes the next reply.
    private func take(_ request: ChatRequest) throws -> Reply {
        if let reply {
            state.withLock { $0.requests.append(request) }
            return try reply(request)  // outside the lock: it may read `requests`
        }
        return try state.withLock { state in
            state.requests.append(request)
            guard state.next < state.replies.count else {
                throw Exhausted(replies: state.replies.count, request: state.requests.count)
            }
            defer { state.next += 1 }
            return state.replies[state.next]
        }
    }

    /// The next reply, as a whole response.
    public func respond(to request: ChatRequest) async throws -> ChatResponse {
        try Task.checkCancellation()
        return try Self.response(to: take(request))
    }

    /// The next reply, as chunks: a text word by word, JSON as it grows, tool calls, then the response. A request
    /// from a cancelled task takes no reply and throws `CancellationError`.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        AsyncThrowingStream { continuation in
            let chunks: [StreamChunk]
            do {
                try Task.checkCancellation()
                chunks = try self.chunks(of: take(request), wantsJSON: request.responseFormat != .text)
            } catch {
                continuation.finish(throwing: error)
                return
            }
            guard pace > .zero else {
                for chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
                return
            }
            let (pace, clock) = (pace, clock)
            let task = Task {
                do {
                    for chunk in chunks {
                        try await clock.sleep(for: pace)
                        continuation.yield(chunk)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func chunks(of reply: Reply, wantsJSON: Bool) throws -> [StreamChunk] {
        if case .chunks(let chunks) = reply { return chunks }
        let response = try Self.response(to: reply)
        var chunks: [StreamChunk] = []
        var sofar = ""
        for word in Self.words(of: response.text) {
            sofar += word
            chunks.append(wantsJSON ? .jsonPartial(sofar) : .token(word))
        }
        chunks += response.toolCalls.map(StreamChunk.toolCall)
        chunks.append(.final(response))
        return chunks
    }

    private static func response(to reply: Reply) throws -> ChatResponse {
        switch reply {
        case .text(let text, let usage):
            return ChatResponse(message: .assistant(text), finishReason: .stop, usage: usage, model: "scripted")
        case .json(let value, let usage):
            return ChatResponse(
                message: .assistant(value.description), finishReason: .stop, usage: usage, model: "scripted")
        case .toolCalls(let calls, let usage):
            return ChatResponse(
                message: .assistant(nil, toolCalls: calls), finishReason: .toolCalls, usage: usage, model: "scripted")
        case .response(let response):
            return response
        case .failure(let error):
            throw error
        case .chunks(let chunks):
            // Chunks without a final response are a stream cut short, as a real model reports it.
            for case .final(let response) in chunks { return response }
            let received = chunks.map { chunk in if case .token(let text) = chunk { text } else { "" } }.joined()
            throw ModelError(.truncated(received: received), endpoint: "scripted")
        }
    }

    /// `text` cut after each space, so that the words join back into it.
    private static func words(of text: String) -> [String] {
        var words: [String] = []
        var word = ""
        for character in text {
            word.append(character)
            if character == " " {
                words.append(word)
                word = ""
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }
}
