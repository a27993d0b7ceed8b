public import Orchestra

extension StreamChunk: ConsoleDisplayable {
    /// Tokens stream into the state's line, JSON replaces it as it grows, a tool call and a status get a line of their
    /// own, and the final response's usage is counted; the final text itself was already streamed.
    public var consoleDisplay: ConsoleDisplay {
        switch self {
        case .token(let text): .text(text)
        case .jsonPartial(let json): .snapshot(json)
        case .toolCall(let call): .line("calls \(call.name) \(call.arguments)")
        case .status(let status): .line(status)
        case .final(let response): response.usage.map(ConsoleDisplay.usage) ?? .hidden
        }
    }
}
