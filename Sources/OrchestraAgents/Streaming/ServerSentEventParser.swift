/// An incremental parser of a `text/event-stream` body, by the "event stream interpretation" rules of the
/// WHATWG HTML standard.
///
/// Feed it the body in chunks as they arrive, split anywhere — inside a CRLF or inside a character — and it
/// returns each event as soon as the blank line that ends it has arrived:
///
/// ```swift
/// var parser = ServerSentEventParser()
/// for try await chunk in body {
///     for event in parser.consume(chunk) { handle(event.data) }
/// }
/// _ = parser.finish()
/// ```
///
/// The parser knows no protocol on top of the stream: `data: [DONE]` is an ordinary event here, and it is the
/// OpenAI chat-completions client that takes it as the end of the completion. Bytes are split into lines first
/// and each complete line is decoded as UTF-8 (invalid bytes become U+FFFD), which gives the same events as
/// decoding the whole body at once. Only the unfinished line and the unfinished event are kept, and every byte
/// is looked at once, so memory follows the longest event and time the length of the stream.
struct ServerSentEventParser: Sendable {
    /// The stream's last event ID as of the latest blank line, even one that dispatched no event: what a
    /// reconnecting client sends as `Last-Event-ID`. `nil` until a blank line follows an `id` field.
    private(set) var lastEventID: String?
    /// The reconnection time in milliseconds from the latest valid `retry` field, in any event or in none.
    private(set) var reconnectionTime: Int?

    /// The bytes of a line begun in an earlier chunk and not yet ended.
    private var partialLine: [UInt8] = []
    /// Whether the last byte was a CR, so that an LF starting the next chunk completes the same line ending.
    private var followsCarriageReturn = false
    /// Whether no line has ended yet, so that a byte order mark may still lead the stream.
    private var atStreamStart = true
    /// The data buffer: each `data` value followed by "\n".
    private var data = ""
    /// The event type buffer.
    private var eventType = ""
    /// The last event ID buffer, which the standard keeps from event to event.
    private var lastEventIDBuffer: String?
    /// The `retry` value of the event being read.
    private var retry: Int?

    /// Creates a parser at the start of a stream.
    init() {}

    /// Parses the next bytes of the stream.
    /// - Parameter bytes: The bytes that follow those consumed so far, split from them anywhere.
    /// - Returns: The events that these bytes complete, in order.
    mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        let scanned: Void? = bytes.withContiguousStorageIfAvailable { scan($0, into: &events) }
        if scanned == nil {
            Array(bytes).withUnsafeBufferPointer { scan($0, into: &events) }
        }
        return events
    }

    /// Ends the stream, and readies the parser for the next one, keeping ``lastEventID`` and
    /// ``reconnectionTime`` as the standard's `EventSource` does when it reconnects.
    ///
    /// The standard discards "any pending data" at the end of the stream: an event whose blank line never
    /// came is not dispatched, so a body cut off mid-event loses that event rather than deliver it partial.
    /// A final line ending, even a lone CR, has already been acted on by ``consume(_:)``, so nothing is left
    /// for the end of the stream to complete.
    /// - Returns: The events the end of the stream completes: by the rule above, always none.
    mutating func finish() -> [ServerSentEvent] {
        partialLine = []
        followsCarriageReturn = false
        atStreamStart = true
        data = ""
        eventType = ""
        lastEventIDBuffer = nil
        retry = nil
        return []
    }

    /// Splits `bytes` into lines, interprets the complete ones, and keeps the rest for the next chunk.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [ServerSentEvent]) {
        var index = bytes.startIndex
        if followsCarriageReturn, index < bytes.endIndex {
            followsCarriageReturn = false
            if bytes[index] == Self.lineFeed { index += 1 }
        }
        var lineStart = index
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard byte == Self.lineFeed || byte == Self.carriageReturn else { continue }
            endLine(with: bytes[lineStart..<index - 1], into: &events)
            if byte == Self.carriageReturn {
                if index == bytes.endIndex {
                    followsCarriageReturn = true
                } else if bytes[index] == Self.lineFeed {
                    index += 1
                }
            }
            lineStart = index
        }
        partialLine.append(contentsOf: bytes[lineStart...])
    }

    /// Interprets the line that `tail` ends, joined to the part of it from earlier chunks.
    private mutating func endLine(with tail: Slice<UnsafeBufferPointer<UInt8>>, into events: inout [ServerSentEvent]) {
        guard !partialLine.isEmpty else { return interpret(UnsafeBufferPointer(rebasing: tail), into: &events) }
        var line = partialLine
        partialLine = []  // before appending, so that `line` is the only owner and is not copied
        line.append(contentsOf: tail)
        line.withUnsafeBufferPointer { interpret($0, into: &events) }
    }

    /// Acts on one complete line, without its line ending.
    private mutating func interpret(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [ServerSentEvent]) {
        var line = bytes[...]
        if atStreamStart {
            atStreamStart = false
            if line.starts(with: Self.byteOrderMark) { line = line.dropFirst(Self.byteOrderMark.count) }
        }
        guard let first = line.first else { return dispatch(into: &events) }
        guard first != Self.colon else { return }  // a comment, such as a keep-alive
        var name = line
        var value = line[line.endIndex...]
        if let colon = line.firstIndex(of: Self.colon) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == Self.space { value = value.dropFirst() }
        }
        switch String(decoding: name, as: UTF8.self) {
        case "data":
            data += String(decoding: value, as: UTF8.self)
            data += "\n"
        case "event":
            eventType = String(decoding: value, as: UTF8.self)
        case "id" where !value.contains(0):
            lastEventIDBuffer = String(decoding: value, as: UTF8.self)
        case "retry" where !value.isEmpty && value.allSatisfy({ (0x30...0x39).contains($0) }):
            // Digits too many for an `Int` are ignored, like any other value that is not a valid time.
            if let milliseconds = Int(String(decoding: value, as: UTF8.self)) {
                reconnectionTime = milliseconds
                retry = milliseconds
            }
        default:
            break
        }
    }

    /// Dispatches the event read so far, on a blank line; an event without `data` fields dispatches nothing.
    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        lastEventID = lastEventIDBuffer
        defer {
            data = ""
            eventType = ""
            retry = nil
        }
        guard !data.isEmpty else { return }
        data.removeLast()
        events.append(
            ServerSentEvent(event: eventType.isEmpty ? nil : eventType, data: data, id: lastEventIDBuffer, retry: retry)
        )
    }

    /// LF, which ends a line, alone or after a CR.
    private static let lineFeed = UInt8(ascii: "\n")
    /// CR, which ends a line, alone or before an LF.
    private static let carriageReturn = UInt8(ascii: "\r")
    /// The colon that starts a comment or ends a field's name.
    private static let colon = UInt8(ascii: ":")
    /// The space that may follow a field's colon, and is not part of the value.
    private static let space = UInt8(ascii: " ")
    /// U+FEFF in UTF-8, ignored once at the start of the stream.
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}
