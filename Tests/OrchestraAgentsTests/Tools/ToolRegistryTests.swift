import Foundation
import OrchestraAgents
import Synchronization
import Testing

@Suite("Tools")
struct ToolRegistryTests {
    struct Lookup: StructuredOutput {
        var city: String
        static let schema = JSONSchema.object(properties: ["city": .string(minLength: 1)], required: ["city"])
    }
    struct Forecast: Encodable, Sendable {
        var city: String
        var high: Int
    }

    static let echo = FunctionTool(
        name: "echo", description: "Returns its arguments.",
        parameters: .object(properties: ["text": .string()], required: ["text"])
    ) { arguments in arguments }

    @Test("a call with valid arguments reaches the tool, and its result answers the call")
    func validCall() async throws {
        let tools = try ToolRegistry([Self.echo])
        let result = try await tools.call(ToolCall(id: "c1", name: "echo", arguments: #"{"text":"hi"}"#))
        #expect(try result.outcome.get() == ["text": "hi"])
        #expect(result.message == .tool(#"{"text":"hi"}"#, callID: "c1"))
    }

    @Test("typed tools decode their arguments from the schema of their type and encode their result")
    func typedTool() async throws {
        let weather = FunctionTool(name: "weather", description: "Today's high.") { (lookup: Lookup) in
            Forecast(city: lookup.city, high: 21)
        }
        #expect(weather.parameters == Lookup.schema)
        let tools = try ToolRegistry([weather])
        let result = try await tools.call(ToolCall(id: "1", name: "weather", arguments: #"{"city":"Oslo"}"#))
        #expect(try result.outcome.get() == ["city": "Oslo", "high": 21])
    }

    @Test("an unknown tool, arguments that are not JSON or break the schema, and a throwing tool become messages")
    func failuresBecomeMessages() async throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "the index is down" } }
        let failing = FunctionTool(name: "search", description: "Searches.", parameters: .object(properties: [:])) {
            _ in throw Broken()
        }
        let tools = try ToolRegistry([Self.echo, failing])
        let cases: [(ToolCall, ToolCallError.Reason)] = [
            (ToolCall(id: "1", name: "srch", arguments: "{}"), .unknownTool(available: ["echo", "search"])),
            (ToolCall(id: "2", name: "echo", arguments: "{text:"), .argumentsNotJSON("{text:")),
            (
                ToolCall(id: "3", name: "echo", arguments: #"{"text":3}"#),
                .invalidArguments(Self.echo.parameters.validate(["text": 3]))
            ),
            (ToolCall(id: "4", name: "search", arguments: ""), .failed("the index is down")),
        ]
        for (call, reason) in cases {
            let result = try await tools.call(call)
            #expect(throws: ToolCallError(tool: call.name, reason: reason)) { try result.outcome.get() }
            let content = try #require(result.message.content)
            let json = try JSONDecoder().decode(JSONValue.self, from: Data(content.utf8))
            #expect(json["error"]?.stringValue == ToolCallError(tool: call.name, reason: reason).description)
            #expect(result.message.toolCallID == call.id)
        }
        #expect(!Self.echo.parameters.validate(["text": 3]).isEmpty)
    }

    @Test("several calls run concurrently and come back in the order asked", .timeLimit(.minutes(1)))
    func concurrentCalls() async throws {
        let meeting = Meeting(expected: 3)
        let slow = FunctionTool(
            name: "wait", description: "Waits for the others.", parameters: .object(properties: ["n": .integer()])
        ) {
            arguments in
            await meeting.arrive()
            return arguments["n"] ?? .null
        }
        let tools = try ToolRegistry([slow])
        let calls = (1...3).map { ToolCall(id: "\($0)", name: "wait", arguments: #"{"n":\#($0)}"#) }
        let results = try await tools.call(calls)
        #expect(results.map(\.call.id) == ["1", "2", "3"])
        #expect(results.map { try? $0.outcome.get() } == [1, 2, 3])
    }

    @Test("duplicate names, invalid names and non-object parameters are refused, naming the tool and where")
    func invalidRegistries() {
        let other = FunctionTool(name: "echo", description: "Again.", parameters: .object(properties: [:])) { $0 }
        #expect(throws: ToolRegistryError(tool: "echo", index: 1, problem: "another tool has the same name")) {
            try ToolRegistry([Self.echo, other])
        }
        for name in ["", "web search", String(repeating: "a", count: 65), "naïve"] {
            let tool = FunctionTool(name: name, description: "", parameters: .object(properties: [:])) { $0 }
            #expect(throws: ToolRegistryError.self) { try ToolRegistry([tool]) }
        }
        let unsound = FunctionTool(
            name: "unsound", description: "",
            parameters: .object(properties: ["q": .string(minLength: 3, maxLength: 1)])
        ) { $0 }
        #expect(
            throws: ToolRegistryError(
                tool: "unsound", index: 0,
                problem:
                    "its parameters schema accepts nothing as written: $.properties.q: minLength 3 is above maxLength 1"
            )
        ) { try ToolRegistry([unsound]) }
        let scalar = FunctionTool(name: "scalar", description: "", parameters: .string()) { $0 }
        #expect {
            try ToolRegistry([scalar])
        } throws: { error in
            (error as? ToolRegistryError)?.description.contains(
                "tool 'scalar' (at index 0): its parameters must be an object schema") == true
        }
    }
}

/// Lets `expected` tasks through only once all have arrived: a call that ran alone would wait forever, so the
/// tests that use it prove concurrency.
actor Meeting {
    private let expected: Int
    private var arrived = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(expected: Int) { self.expected = expected }

    func arrive() async {
        arrived += 1
        if arrived == expected {
            waiting.forEach { $0.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
