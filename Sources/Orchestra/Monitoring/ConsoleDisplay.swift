/// How a ``ConsoleMonitor`` shows a chunk that a state emitted with ``RunContext/emit(_:)``.
///
/// A chunk type says how it wants to be shown by conforming to ``ConsoleDisplayable``; OrchestraAgents'
/// `StreamChunk` does, so that a model's tokens stream into the state's line, tool calls get a line of their
/// own and token usage is counted.
public enum ConsoleDisplay: Sendable, Hashable {
    /// Text the state is generating, added to what it streamed so far: a model's tokens. A live view
    /// shows the end of it on the state's line; a log writes it line by line under the state's path.
    case text(String)
    /// Everything the state has generated so far, replacing what was shown: a model's JSON as it grows.
    /// Shown on the state's line in a live view, and not written to a log.
    case snapshot(String)
    /// A line of its own under the state, as a tool call or a status.
    case line(String)
    /// Tokens a model call used, added to the state's count.
    case usage(TokenUsage)
    /// Nothing.
    case hidden
}

/// A chunk type that says how a ``ConsoleMonitor`` shows it.
///
/// ```swift
/// struct Progress: ConsoleDisplayable {
///     var done: Int, total: Int
///     var consoleDisplay: ConsoleDisplay { .line("\(done) of \(total) pages") }
/// }
/// context.emit(Progress(done: 3, total: 10))     // the monitor prints "· Fetch: 3 of 10 pages"
/// ```
///
/// A chunk of another type is shown as a line with its description.
public protocol ConsoleDisplayable: Sendable {
    /// How the monitor shows this chunk.
    var consoleDisplay: ConsoleDisplay { get }
}

extension String: ConsoleDisplayable {
    /// A line of its own.
    public var consoleDisplay: ConsoleDisplay { .line(self) }
}
