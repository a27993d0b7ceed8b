import Foundation

/// Why a model call failed: the server refused it, did not answer in time or at all, answered with something
/// that is not the protocol, or stopped mid-answer.
///
/// ```swift
/// do {
///     let response = try await model.respond(to: request)
/// } catch let error as ModelError {
///     switch error.reason {
///     case .status(429, _), .timedOut, .connectionFailed: retryLater()
///     case .status(let status, let message): print("refused (\(status)): \(message)")
///     default: print(error)
///     }
/// }
/// ```
///
/// A call whose task is cancelled throws `CancellationError`, as any Swift API does; ``Reason/cancelled``
/// is a request cancelled by something else. No error carries the API key: descriptions name the endpoint,
/// never the request's headers.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The server answered with an HTTP error `status`; `message` is the server's own explanation (the
        /// `error.message` of an OpenAI-style error body, or the body's text, shortened).
        case status(Int, message: String)
        /// The server sent nothing for the request's timeout, `after`.
        case timedOut(after: Duration)
        /// No connection: refused, unknown host, TLS failure, network down; the system's explanation.
        case connectionFailed(String)
        /// The body is not what the protocol says: `problem` explains, `excerpt` is the offending text,
        /// shortened.
        case malformedResponse(problem: String, excerpt: String)
        /// A stream ended before the server said it was done (OpenAI's `data: [DONE]`), after `received`:
        /// what arrived so far is not the whole answer.
        case truncated(received: String)
        /// A stream reported an error in its body after it had begun, with the server's message.
        case streamError(String)
        /// The request was cancelled other than by the calling task: say, the model's session was invalidated.
        case cancelled
        /// The request cannot be sent as configured: what is wrong with it.
        case invalidRequest(String)
    }

    /// What went wrong.
    public var reason: Reason
    /// Where the request went, as in `http://127.0.0.1:8080/v1/chat/completions`: scheme, host, port and path
    /// only, never credentials or a query.
    public var endpoint: String

    /// Creates an error.
    public init(_ reason: Reason, endpoint: String) {
        self.reason = reason
        self.endpoint = endpoint
    }

    /// Whether trying the same request again may succeed: a timeout, a failed connection, a truncated stream, an
    /// error event in a stream, an HTTP 408, 409, 429 or 5xx. Pass it to a ``RetryPolicy``:
    /// `agent.retry(RetryPolicy(maxAttempts: 3, isRetryable: { ($0 as? ModelError)?.isTransient ?? false }))`.
    public var isTransient: Bool {
        switch reason {
        case .timedOut, .connectionFailed, .truncated, .streamError: true
        case .status(let status, _): status == 408 || status == 409 || status == 429 || status >= 500
        case .malformedResponse, .cancelled, .invalidRequest: false
        }
    }

    /// As in `HTTP 400 from http://127.0.0.1:8080/v1/chat/completions: the request exceeds the context size`.
    public var description: String {
        switch reason {
        case .status(let status, let message):
            "HTTP \(status) from \(endpoint): \(message)"
        case .timedOut(let limit):
            "\(endpoint) sent nothing for \(limit)"
        case .connectionFailed(let why):
            "could not connect to \(endpoint): \(why)"
        case .malformedResponse(let problem, let excerpt):
            "malformed response from \(endpoint): \(problem); the response was: \(excerpt)"
        case .truncated(let received):
            "the stream from \(endpoint) ended before the server said it was done, after: \(received)"
        case .streamError(let message):
            "the stream from \(endpoint) reported an error: \(message)"
        case .cancelled:
            "the request to \(endpoint) was cancelled"
        case .invalidRequest(let problem):
            "cannot send a request to \(endpoint): \(problem)"
        }
    }

    /// `text` cut to `limit` characters with an ellipsis, for errors that quote what a server sent.
    static func excerpt(_ text: some StringProtocol, limit: Int = 300) -> String {
        text.count > max(limit, 1) ? String(text.prefix(max(limit, 1) - 1)) + "…" : String(text)
    }
}

extension ModelError.Reason {
    /// The reason with every occurrence of `secret` in the server's words replaced by `[redacted]`.
    func redacting(_ secret: String) -> ModelError.Reason {
        guard !secret.isEmpty else { return self }
        func clean(_ text: String) -> String { text.replacingOccurrences(of: secret, with: "[redacted]") }
        return switch self {
        case .status(let status, let message): .status(status, message: clean(message))
        case .malformedResponse(let problem, let excerpt): .malformedResponse(problem: problem, excerpt: clean(excerpt))
        case .truncated(let received): .truncated(received: clean(received))
        case .streamError(let message): .streamError(clean(message))
        case .connectionFailed(let why): .connectionFailed(clean(why))
        case .timedOut, .cancelled, .invalidRequest: self
        }
    }
}
