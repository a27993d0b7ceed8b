/// A model to talk to: one call that answers, one that streams the answer as it is generated.
///
/// Conform any model to it — a hosted service, a local server, a script for tests:
///
/// ```swift
/// struct Echo: ChatModel {
///     func respond(to request: ChatRequest) async throws -> ChatResponse {
///         ChatResponse(message: .assistant(request.messages.last?.content ?? ""))
///     }
/// }
/// ```
///
/// The default ``stream(_:)`` calls ``respond(to:)`` and sends its text as one token, its tool calls, and
/// the final response.
public protocol ChatModel: Sendable {
    /// Answers `request` once the model has finished.
    ///
    /// - Throws: What went wrong; `CancellationError` when the task is cancelled.
    func respond(to request: ChatRequest) async throws -> ChatResponse

    /// Streams the answer to `request`: tokens, tool calls and partial JSON as they arrive, then
    /// ``StreamChunk/final(_:)``. Cancelling the consuming task ends the stream and the request.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamChunk, any Error>
}

extension ChatModel {
    /// The answer of ``respond(to:)``, as chunks: its text as one token (or partial JSON, when a schema was
    /// asked for), its tool calls, and the final response.
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await respond(to: request)
                    for chunk in response.chunks(wantsJSON: request.responseFormat != .text) {
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
}

extension ChatResponse {
    /// The chunks that stream this response at once: its text as one token (or as partial JSON, when a schema
    /// was asked for), its tool calls, and the response itself.
    func chunks(wantsJSON: Bool) -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        if !text.isEmpty { chunks.append(wantsJSON ? .jsonPartial(text) : .token(text)) }
        chunks += toolCalls.map(StreamChunk.toolCall)
        chunks.append(.final(self))
        return chunks
    }
}
