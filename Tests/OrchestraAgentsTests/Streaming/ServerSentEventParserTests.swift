import Foundation
import OrchestraTesting
import Testing

@testable import OrchestraAgents

@Suite("Agents: Server-Sent Events parsing")
struct ServerSentEventParserTests {
    @Test("CRLF, LF and CR each end a line, and each can make the blank line that dispatches")
    func lineEndings() {
        #expect(Self.parse("data: a\r\ndata: b\ndata: c\rdata: d\r\n\r\n") == [ServerSentEvent(data: "a\nb\nc\nd")])
        #expect(Self.parse("data: x\n\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("data: x\r\r") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("data: x\r\n\r\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("data: x\n\r") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("data: x\r\n\n") == [ServerSentEvent(data: "x")])
    }

    @Test("a CR ending one chunk and an LF starting the next are one line ending, even with empty chunks between")
    func carriageReturnAcrossChunks() {
        #expect(Self.parse("data: a\r", "\ndata: b\r", "", "\n", "\r", "\n") == [ServerSentEvent(data: "a\nb")])
        #expect(Self.parse("data: a\r", "\r", "\n", "data: b\n\n") == [ServerSentEvent(data: "a"), .init(data: "b")])
    }

    @Test("an event is returned by the consume call that brings its blank line, even a lone CR at a chunk's end")
    func dispatchWithoutWaiting() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("data: x\r".utf8)).isEmpty)
        #expect(parser.consume(Array("\r".utf8)) == [ServerSentEvent(data: "x")])
        #expect(parser.finish().isEmpty)
    }

    @Test("one leading byte order mark is ignored, even split across chunks; any other is kept")
    func byteOrderMark() {
        #expect(Self.parse("\u{FEFF}data: x\n\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse(bytes: [0xEF], [0xBB], [0xBF] + Array("data: x\n\n".utf8)) == [ServerSentEvent(data: "x")])
        // A second mark is part of the first field's name, which is then unknown.
        #expect(Self.parse("\u{FEFF}\u{FEFF}data: x\n\ndata: y\n\n") == [ServerSentEvent(data: "y")])
        #expect(Self.parse("\n\u{FEFF}data: x\n\n").isEmpty)
        #expect(Self.parse("data: \u{FEFF}x\n\n") == [ServerSentEvent(data: "\u{FEFF}x")])
    }

    @Test("lines starting with a colon are comments, ignored even between the lines of an event")
    func comments() {
        #expect(Self.parse(": keep-alive\n\n", ":\n\n", ":data: x\n\n").isEmpty)
        #expect(Self.parse("data: a\n: comment\ndata: b\n:\n\n") == [ServerSentEvent(data: "a\nb")])
    }

    @Test("the value follows the first colon, less one space; a line without a colon is a field with no value")
    func fieldsAndValues() {
        #expect(Self.parse("data:x\n\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("data:  x \n\n") == [ServerSentEvent(data: " x ")])
        #expect(Self.parse("data:\tx\n\n") == [ServerSentEvent(data: "\tx")])
        #expect(Self.parse("data: a: b\n\n") == [ServerSentEvent(data: "a: b")])
        #expect(Self.parse("data :x\n\n").isEmpty)  // the field is "data ", which is unknown
        #expect(Self.parse("data\n\n") == [ServerSentEvent(data: "")])
        #expect(Self.parse("data:\n\n") == [ServerSentEvent(data: "")])
        #expect(Self.parse("data\ndata\n\n") == [ServerSentEvent(data: "\n")])
        #expect(Self.parse("data: a\ndata\n\n") == [ServerSentEvent(data: "a\n")])
    }

    @Test("a blank line without data dispatches nothing, but still clears the event type")
    func blankLineWithoutData() {
        #expect(Self.parse("\n\n\r\n\r").isEmpty)
        #expect(Self.parse("event: ping\n\ndata: x\n\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("retry: 5\n\ndata: x\n\n") == [ServerSentEvent(data: "x")])
    }

    @Test("the event field names the type for its event only; an empty one means the default")
    func eventType() {
        #expect(
            Self.parse("event: update\ndata: a\n\ndata: b\n\n") == [
                ServerSentEvent(event: "update", data: "a"), ServerSentEvent(data: "b"),
            ])
        #expect(Self.parse("event: a\nevent: b\ndata\n\n") == [ServerSentEvent(event: "b", data: "")])
        #expect(Self.parse("event: a\nevent:\ndata: x\n\n") == [ServerSentEvent(data: "x")])
        #expect(Self.parse("event\ndata: x\n\n") == [ServerSentEvent(data: "x")])
    }

    @Test("the last event ID carries from event to event, an empty id clears it, and an id with NUL is ignored")
    func lastEventID() {
        #expect(
            Self.parse("data: a\n\nid: 1\ndata: b\n\ndata: c\n\nid: 2\u{0}\ndata: d\n\nid\ndata: e\n\n") == [
                ServerSentEvent(data: "a"), ServerSentEvent(data: "b", id: "1"), ServerSentEvent(data: "c", id: "1"),
                ServerSentEvent(data: "d", id: "1"), ServerSentEvent(data: "e", id: ""),
            ])
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("id: 7\n".utf8)).isEmpty)
        #expect(parser.lastEventID == nil)  // not before the blank line
        #expect(parser.consume(Array("\n".utf8)).isEmpty)
        #expect(parser.lastEventID == "7")
        #expect(parser.consume(Array("id: 8\n".utf8)).isEmpty)
        #expect(parser.finish().isEmpty)
        #expect(parser.lastEventID == "7")
    }

    @Test("retry takes base-ten digits only, belongs to its event, and sets the reconnection time even alone")
    func retry() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("retry: 1500\n\n".utf8)).isEmpty)
        #expect(parser.reconnectionTime == 1500)
        for invalid in ["15a", "-1", "+5", "", " 5", "5 ", "1.5", "٣", "99999999999999999999999"] {
            let events = parser.consume(Array("retry: \(invalid)\ndata: x\n\n".utf8))
            #expect(events == [ServerSentEvent(data: "x")], "retry: \(invalid)")
        }
        #expect(parser.reconnectionTime == 1500)
        #expect(
            parser.consume(Array("retry: 0250\ndata: a\n\ndata: b\n\n".utf8)) == [
                ServerSentEvent(data: "a", retry: 250), ServerSentEvent(data: "b"),
            ])
        #expect(parser.reconnectionTime == 250)
    }

    @Test("unknown fields are ignored, and field names are case-sensitive")
    func unknownFields() {
        #expect(Self.parse("Data: x\nDATA: y\nfoo: bar\n\n").isEmpty)
        #expect(Self.parse("foo: bar\ndata: x\nbaz\n\n") == [ServerSentEvent(data: "x")])
    }

    @Test("finish discards an event cut off before its blank line, and readies the parser for a new stream")
    func finish() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("retry: 9\nid: 3\ndata: a\n\nevent: e\nid: 4\ndata: b\ndata: c".utf8)).count == 1)
        #expect(parser.finish().isEmpty)
        #expect(parser.finish().isEmpty)
        #expect(parser.lastEventID == "3")
        #expect(parser.reconnectionTime == 9)
        // Nothing of the cut-off event leaks into the next stream, which may start with a byte order mark again.
        #expect(parser.consume(Array("\u{FEFF}data: d\n\n".utf8)) == [ServerSentEvent(data: "d")])
        #expect(Self.parse("data: x").isEmpty)
        #expect(Self.parse("data: x\n").isEmpty)
    }

    @Test("lines are decoded as UTF-8 once complete, with U+FFFD for invalid bytes")
    func utf8() {
        #expect(Self.parse(bytes: Array("data: a".utf8) + [0xFF] + Array("b\n\n".utf8)) == [.init(data: "a\u{FFFD}b")])
        let truncated = Array("data: ".utf8) + [0xE2, 0x82] + Array("\n\n".utf8)  // "€" without its last byte
        #expect(Self.parse(bytes: truncated) == [ServerSentEvent(data: "\u{FFFD}")])
        let euro = Array("data: €\n\n".utf8)
        #expect(Self.parse(bytes: euro[..<7], euro[7..<8], euro[8...]) == [ServerSentEvent(data: "€")])
    }

    @Test("a sequence without contiguous storage parses like an array")
    func nonContiguousSequence() {
        let bytes = Self.sampleStream
        var parser = ServerSentEventParser()
        let events = parser.consume(bytes[..<40].lazy.map { $0 }) + parser.consume(bytes[40...].lazy.map { $0 })
        #expect(events == Self.sampleEvents)
    }

    @Test("the sample stream parses to its events when whole")
    func sampleWhole() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Self.sampleStream) == Self.sampleEvents)
        #expect(parser.finish().isEmpty)
        #expect(parser.lastEventID == "")
        #expect(parser.reconnectionTime == 5)
    }

    @Test("the sample stream split at every single point parses as when whole")
    func everySplitPoint() {
        let stream = Self.sampleStream
        for split in 0...stream.count {
            let events = Self.parse(bytes: stream[..<split], stream[split...])
            #expect(events == Self.sampleEvents, "split at \(split)")
            if events != Self.sampleEvents { return }  // one counterexample is enough
        }
    }

    @Test("the sample stream cut into random chunks parses as when whole", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomSplits(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let stream = Self.sampleStream
        for _ in 0..<200 {
            var chunks: [ArraySlice<UInt8>] = []
            var start = 0
            while start < stream.count {
                let end = min(start + Int.random(in: 0...12, using: &generator), stream.count)
                chunks.append(stream[start..<end])
                start = end
            }
            let events = Self.parse(bytes: chunks)
            #expect(events == Self.sampleEvents, "chunk sizes \(chunks.map(\.count))")
            if events != Self.sampleEvents { return }  // one counterexample is enough
        }
    }

    @Test("an OpenAI chat-completions stream, in small chunks", arguments: ["\n", "\r\n"])
    func openAIStream(lineEnding: String) throws {
        let body = [
            Self.completionChunk(delta: #"{"role":"assistant","content":""}"#),
            Self.completionChunk(delta: #"{"content":"Bonjour"}"#),
            ": keep-alive",
            Self.completionChunk(delta: #"{"content":", café ☕️"}"#),
            Self.completionChunk(delta: #"{"content":" !"}"#),
            Self.completionChunk(delta: "{}", finishReason: #""stop""#),
            "data: [DONE]",
        ].map { $0 + lineEnding + lineEnding }.joined()
        let bytes = Array(body.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 7).map { bytes[$0..<min($0 + 7, bytes.count)] }
        let events = Self.parse(bytes: chunks)

        #expect(events.count == 6)
        #expect(events.allSatisfy { $0.event == nil && $0.id == nil && $0.retry == nil })
        #expect(events.last?.data == "[DONE]")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let completions = try events.dropLast().map {
            try decoder.decode(CompletionChunk.self, from: Data($0.data.utf8))
        }
        #expect(completions.compactMap { $0.choices.first?.delta.content }.joined() == "Bonjour, café ☕️ !")
        #expect(completions.map { $0.choices.first?.finishReason } == [nil, nil, nil, nil, "stop"])
    }

    @Test("a 1 MB line fed one byte at a time takes linear time", .timeLimit(.minutes(1)))
    func longLineByteByByte() {
        let size = 1 << 20
        let bytes = Array("data: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: size - 1) + Array("é\n\n".utf8)
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for index in bytes.indices {
            // Past the time limit the test is cancelled, but only a check like this one stops the loop.
            if index % 4096 == 0, Task.isCancelled { break }
            events += parser.consume(bytes[index..<index + 1])
        }
        #expect(events.count == 1)
        #expect(events.first?.data.utf8.count == size + 1)
        #expect(events.first?.data.hasSuffix("aé") == true)
    }

    /// A stream exercising every kind of line ending, a byte order mark, comments, fields of every kind, multi-line
    /// data, two- and four-byte characters, an invalid byte sequence and an event cut off by the end.
    private static let sampleStream: [UInt8] =
        Array(
            ("\u{FEFF}: welcome\r\nretry: 3000\r\n\r\n"
                + "event: greeting\rid: 1\rdata: café\rdata:  😀 two\rlines\r\r"
                + "data: third\n: keep-alive\ndata\nretry: 5\n\n"
                + "id\r\ndata: é😀é\r\ndata: cut ").utf8)
        + [0xF0, 0x9F, 0x98]  // "😀" without its last byte
        + Array("\r\n\r\nevent: lost\ndata: no blank line after this".utf8)

    /// The events of ``sampleStream``.
    private static let sampleEvents = [
        ServerSentEvent(event: "greeting", data: "café\n 😀 two", id: "1"),
        ServerSentEvent(data: "third\n", id: "1", retry: 5),
        ServerSentEvent(data: "é😀é\ncut \u{FFFD}", id: ""),
    ]

    /// Parses `chunks` as one whole stream.
    private static func parse(bytes chunks: [some Sequence<UInt8>]) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        return chunks.flatMap { parser.consume($0) } + parser.finish()
    }

    /// Parses `chunks` as one whole stream.
    private static func parse<Chunk: Sequence<UInt8>>(bytes chunks: Chunk...) -> [ServerSentEvent] {
        parse(bytes: chunks)
    }

    /// Parses the UTF-8 of `chunks` as one whole stream.
    private static func parse(_ chunks: String...) -> [ServerSentEvent] {
        parse(bytes: chunks.map { Array($0.utf8) })
    }

    /// The `data:` line of a chunk as OpenAI's chat completions stream it.
    private static func completionChunk(delta: String, finishReason: String = "null") -> String {
        #"data: {"id":"chatcmpl-A1b2C3","object":"chat.completion.chunk","created":1726000000,"#
            + #""model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0ba0d124f1","#
            + #""choices":[{"index":0,"delta":\#(delta),"logprobs":null,"finish_reason":\#(finishReason)}]}"#
    }
}

/// The part of a chat-completions chunk the stream test checks.
private struct CompletionChunk: Decodable {
    struct Choice: Decodable {
        struct Delta: Decodable {
            var content: String?
        }
        var delta: Delta
        var finishReason: String?
    }
    var choices: [Choice]
}
