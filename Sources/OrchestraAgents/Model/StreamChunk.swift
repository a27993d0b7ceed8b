/// A piece of a streamed answer, as it arrives.
public enum StreamChunk: Sendable, Hashable {
    /// Text the model generated.
    case token(String)
    /// A tool call, assembled from the fragments the server sent: complete, with its id, name and arguments.
    case toolCall(ToolCall)
    /// The JSON text so far, when the request asked for a schema.
    case jsonPartial(String)
    /// A line about progress, for people.
    case status(String)
    /// The whole answer, with the token usage: always the last chunk.
    case final(ChatResponse)
}
