public import Foundation

#if canImport(FoundationNetworking)
    public import FoundationNetworking
#endif

/// A model behind an OpenAI-compatible chat-completions endpoint: OpenAI itself, or any server that speaks its
/// protocol — llama.cpp, vLLM, Ollama, LM Studio, OpenRouter, Groq, Together.
///
/// ```swift
/// // OpenAI; the key comes from OPENAI_API_KEY unless given (and that variable goes to OpenAI only).
/// let gpt = OpenAICompatibleModel(baseURL: URL(string: "https://api.openai.com")!, model: "gpt-4o-mini")
/// // A llama.cpp server on this machine: no key.
/// let local = OpenAICompatibleModel(baseURL: URL(string: "http://127.0.0.1:8080")!, model: "smollm2")
///
/// let answer = try await local.respond(to: ChatRequest(messages: [.user("Name three colors.")]))
/// for try await chunk in local.stream(ChatRequest(messages: [.user("Count to five.")])) {
///     if case .token(let text) = chunk { print(text, terminator: "") }
/// }
/// ```
///
/// Requests go to `POST {baseURL}/v1/chat/completions`; a base URL whose path already ends in `/v1` (as
/// `https://api.groq.com/openai/v1`) gets `/chat/completions` only. ``stream(_:)`` sets `"stream": true` and
/// `stream_options.include_usage`, parses the Server-Sent Events as they arrive, and hands out text, tool calls
/// assembled from their fragments, and — when a schema was asked for — the JSON so far, then the final response
/// with its usage. Failures are ``ModelError``s; a cancelled task gets `CancellationError` and cancels the
/// request.
///
/// The API key is sent as `Authorization: Bearer …` and nowhere else: the model's description and mirror, and
/// every error, leave it out.
public struct OpenAICompatibleModel: ChatModel, CustomStringConvertible, CustomReflectable {
    /// Where requests go: `{baseURL}/v1/chat/completions`.
    public let endpoint: URL
    /// The model asked for when a request names none.
    public let model: String
    /// How long the server may send nothing before a request fails with ``ModelError/Reason/timedOut(after:)``.
    public let requestTimeout: Duration
    private let apiKey: APIKey?
    private let headers: [String: String]
    private let transport: HTTPTransport

    /// Creates a client of the server at `baseURL`.
    ///
    /// - Parameters:
    ///   - baseURL: The server's root, as `https://api.openai.com` or `http://127.0.0.1:8080`; a path ending in
    ///     `/v1` is kept and not repeated.
    ///   - model: The model asked for when a request names none.
    ///   - apiKey: Sent as a bearer token. By default the `OPENAI_API_KEY` environment variable when the host is
    ///     `api.openai.com`, and none for any other host or when it is unset
    ///     (``APIKey/openAIFromEnvironment``); `.environment("GROQ_API_KEY")` or `APIKey(secret)` for other
    ///     services.
    ///   - headers: More headers for every request, as a service's organization or project header. They are sent
    ///     as given and, like the key, never shown.
    ///   - requestTimeout: How long the server may send nothing — no header, no byte of the body — before the
    ///     request fails. A long answer that keeps streaming never times out; limit a whole call with the
    ///     `timeout` policy of the runnable that makes it.
    ///   - configuration: The URLSession configuration, for proxies and connection limits.
    public init(
        baseURL: URL, model: String, apiKey: APIKey? = .openAIFromEnvironment, headers: [String: String] = [:],
        requestTimeout: Duration = .seconds(120), configuration: URLSessionConfiguration = .default
    ) {
        // The path is extended, the query (as Azure's `api-version`) kept.
        if var parts = URLComponents(url: baseURL, resolvingAgainstBaseURL: true) {
            var path = parts.path
            while path.hasSuffix("/") { path.removeLast() }
            parts.path = path + (path.hasSuffix("/v1") ? "/chat/completions" : "/v1/chat/completions")
            endpoint = parts.url ?? baseURL
        } else {
            endpoint = baseURL.appendingPathComponent("v1/chat/completions")
        }
        self.model = model
        // The default key is OpenAI's: it goes to OpenAI, and nowhere else.
        self.apiKey = apiKey?.onlyForOpenAI == true && endpoint.host?.lowercased() != "api.openai.com" ? nil : apiKey
        self.headers = headers
        self.requestTimeout = requestTimeout
        transport = HTTPTransport(configuration: configuration)
        Self.registerSecrets(headers: headers, url: baseURL)
    }

    /// Hands the audit logs of the process what is secret besides the key (which registers itself): the values of
    /// headers named like credentials — whole, the token after a scheme (`Bearer …`), and each cookie's value — and
    /// a password in the URL.
    private static func registerSecrets(headers: [String: String], url: URL) {
        let credential = ["auth", "key", "token", "secret", "session", "cookie", "password"]
        for (name, value) in headers where credential.contains(where: { name.lowercased().contains($0) }) {
            SecretRegistry.register(value, as: .credential)
            // The token after a scheme (`Bearer …`, `Basic …`), which an error may quote without its scheme.
            let words = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if words.count == 2, words[0].allSatisfy(\.isLetter) {
                SecretRegistry.register(words[1].trimmingCharacters(in: .whitespaces), as: .credential)
            }
            // Each cookie's value, which a server may echo alone.
            if name.lowercased().contains("cookie") {
                for pair in value.split(separator: ";") {
                    guard let equals = pair.firstIndex(of: "=") else { continue }
                    let cookie = pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                    SecretRegistry.register(cookie, as: .credential)
                }
            }
        }
        if let password = URLComponents(url: url, resolvingAgainstBaseURL: true)?.password {
            SecretRegistry.register(password, as: .credential)
        }
    }

    /// As in `OpenAICompatibleModel(http://127.0.0.1:8080/v1/chat/completions, model: smollm2, apiKey: none)`.
    public var description: String {
        "OpenAICompatibleModel(\(shownEndpoint), model: \(model), apiKey: \(apiKey.map { "\($0)" } ?? "none"))"
    }

    /// The endpoint, the model and the timeout; not the key, nor the headers.
    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint, "model": model, "requestTimeout": requestTimeout])
    }

    /// Sends `request` without streaming and returns the whole completion.
    ///
    /// - Throws: ``ModelError``; `CancellationError` when the task is cancelled, which cancels the request.
    public func respond(to request: ChatRequest) async throws -> ChatResponse {
        let urlRequest = try self.urlRequest(for: request, stream: false)
        let (status, body) = try await exchange(urlRequest)
        return try completion(status: status, body: body)
    }

    /// Sends `request` with `"stream": true` and hands out its chunks as the server's events arrive: text as
    /// ``StreamChunk/token(_:)`` (or the JSON so far as ``StreamChunk/jsonPartial(_:)`` when a schema was asked
    /// for), each tool call once complete, then ``StreamChunk/final(_:)`` with the usage.
    ///
    /// The stream throws a ``ModelError``. When the consuming task is cancelled, or stops iterating, the request is
    /// cancelled and the stream ends without a final chunk (or throws `CancellationError`).
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let (chunks, sink) = AsyncThrowingStream.makeStream(of: StreamChunk.self, throwing: (any Error).self)
        let task = Task {
            do {
                try await stream(request, into: sink)
                sink.finish()
            } catch {
                sink.finish(throwing: error)
            }
        }
        sink.onTermination = { _ in task.cancel() }
        return chunks
    }

    /// Sends a streamed request and yields its chunks until `[DONE]`.
    private func stream(_ request: ChatRequest, into sink: AsyncThrowingStream<StreamChunk, any Error>.Continuation)
        async throws
    {
        let urlRequest = try self.urlRequest(for: request, stream: true)
        var assembler = ChatCompletionsStream(wantsJSON: request.responseFormat != .text)
        var parser = ServerSentEventParser()
        var status = 0
        var isEventStream = true
        var body = Data()  // kept only when it is not an event stream: an error, or a server that ignored "stream"
        do {
            for try await event in transport.send(urlRequest, idleTimeout: requestTimeout) {
                switch event {
                case .head(let code, let contentType):
                    status = code
                    // An event stream says so; anything else (JSON, or an HTML page from a proxy) is read whole.
                    isEventStream =
                        (200..<300).contains(code)
                        && (contentType?.lowercased().hasPrefix("text/event-stream") ?? true)
                case .body(let data) where !isEventStream:
                    body.append(data)
                case .body(let data):
                    for event in parser.consume(data) {
                        do {
                            for chunk in try assembler.absorb(event.data) { sink.yield(chunk) }
                        } catch let violation as ProtocolViolation {
                            throw malformed("a stream event: \(violation.problem)", event.data)
                        }
                    }
                    if assembler.isDone { return }
                }
            }
        } catch let event as StreamFailure {
            throw failure(.streamError(event.message))
        } catch let error as ModelError {
            throw error
        } catch {
            throw mapped(error)
        }
        try Task.checkCancellation()  // a cancelled stream ends early: what came is not the server's answer
        guard isEventStream else {
            // An error, or a server that answered `"stream": true` with a whole completion: hand that out as chunks.
            let response = try completion(status: status, body: body)
            for chunk in response.chunks(wantsJSON: request.responseFormat != .text) { sink.yield(chunk) }
            return
        }
        throw failure(.truncated(received: ModelError.excerpt(assembler.text)))
    }

    /// The completion in a whole body, or the error its status or its text makes it.
    private func completion(status: Int, body: Data) throws -> ChatResponse {
        guard (200..<300).contains(status) else {
            throw failure(.status(status, message: ChatCompletionsResponse.errorMessage(in: body)))
        }
        do {
            return try ChatCompletionsResponse.decode(body)
        } catch {
            throw malformed(error.problem, String(decoding: body, as: UTF8.self))
        }
    }

    /// Sends a request and collects its status and body.
    private func exchange(_ request: URLRequest) async throws -> (Int, Data) {
        var status = 0
        var body = Data()
        do {
            for try await event in transport.send(request, idleTimeout: requestTimeout) {
                switch event {
                case .head(let code, _):
                    status = code
                case .body(let data):
                    body.append(data)
                }
            }
        } catch {
            throw mapped(error)
        }
        try Task.checkCancellation()
        return (status, body)
    }

    /// The HTTP request for `request`.
    private func urlRequest(for request: ChatRequest, stream: Bool) throws -> URLRequest {
        try Task.checkCancellation()
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https", endpoint.host != nil
        else {
            throw failure(.invalidRequest("the base URL must be an http or https URL with a host"))
        }
        guard requestTimeout > .zero else {
            throw failure(.invalidRequest("requestTimeout must be above zero, not \(requestTimeout)"))
        }
        if case .jsonSchema(let name, let schema) = request.responseFormat, let problem = schema.problems.first {
            throw failure(.invalidRequest("the schema '\(name)' of the response format is unsound: \(problem)"))
        }
        for tool in request.tools {
            if let problem = tool.parameters.problems.first {
                throw failure(.invalidRequest("the parameters schema of tool '\(tool.name)' is unsound: \(problem)"))
            }
        }
        var urlRequest = URLRequest(url: endpoint)
        urlRequest.httpMethod = "POST"
        urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
        urlRequest.setValue(stream ? "text/event-stream" : "application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let apiKey { urlRequest.setValue("Bearer \(apiKey.secret)", forHTTPHeaderField: "Authorization") }
        if let trace = request.trace { urlRequest.setValue(trace.traceparent, forHTTPHeaderField: "traceparent") }
        do {
            urlRequest.httpBody = try Self.encoder.encode(
                ChatCompletionsRequest(request, defaultModel: model, stream: stream))
        } catch {
            throw failure(.invalidRequest("the request does not encode as JSON: \(error)"))
        }
        return urlRequest
    }

    /// Sorted keys, so that the same request is the same bytes on every run: servers that compile a schema into a
    /// grammar follow its properties in the order sent, and prompt caches match on bytes.
    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// What a failed exchange becomes: `CancellationError` when the calling task was cancelled, else a
    /// ``ModelError``.
    private func mapped(_ error: any Error) -> any Error {
        if Task.isCancelled || error is CancellationError { return CancellationError() }
        guard let urlError = error as? URLError else {
            return failure(.connectionFailed(String(describing: error)))
        }
        switch urlError.code {
        case .timedOut: return failure(.timedOut(after: requestTimeout))
        case .cancelled: return failure(.cancelled)
        case .cannotConnectToHost: return failure(.connectionFailed("connection refused"))
        case .cannotFindHost, .dnsLookupFailed: return failure(.connectionFailed("unknown host"))
        case .networkConnectionLost:
            return failure(.connectionFailed("the connection was lost"))
        case .notConnectedToInternet: return failure(.connectionFailed("no network"))
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return failure(.connectionFailed("the TLS connection failed"))
        default:
            return failure(.connectionFailed("URL error \(urlError.code.rawValue)"))
        }
    }

    private func malformed(_ problem: String, _ text: String) -> ModelError {
        failure(.malformedResponse(problem: problem, excerpt: ModelError.excerpt(text)))
    }

    /// The error for `reason`, at this endpoint, with the API key and the headers' values (those long enough
    /// to be secrets) cut out of whatever the server wrote: a server may quote the key it refused.
    private func failure(_ reason: ModelError.Reason) -> ModelError {
        let secrets = (apiKey.map { [$0.secret] } ?? []) + headers.values.filter { $0.count >= 8 }
        return ModelError(secrets.reduce(reason) { $0.redacting($1) }, endpoint: shownEndpoint)
    }

    /// The endpoint as errors name it: scheme, host, port and path, without credentials or query.
    private var shownEndpoint: String {
        guard var parts = URLComponents(url: endpoint, resolvingAgainstBaseURL: false) else { return "the endpoint" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "the endpoint"
    }
}
