import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

@Suite("Agents")
struct AgentRunnableTests {
    struct Plan: StructuredOutput, Equatable {
        var queries: [String]
        static let schema = JSONSchema.object(
            properties: ["queries": .array(of: .string(minLength: 1), minItems: 1)], required: ["queries"])
    }

    struct Unsound: StructuredOutput {
        var n: Int
        static let schema = JSONSchema.integer(minimum: 3, maximum: 1)
    }

    static let search = FunctionTool(
        name: "search", description: "Searches.", parameters: .object(properties: ["q": .string()], required: ["q"])
    ) { arguments in .string("results for \(arguments["q"]?.stringValue ?? "")") }

    /// Runs `agent` on `input` and returns the result, the record, and the StreamChunks of its events.
    func run<Output>(_ agent: AgentRunnable<String, Output>, _ input: String) async
        -> (Result<Output, OrchestrationError>, RunRecord, [StreamChunk])
    {
        let handle = Orchestration(agent).start(input)
        let result = await handle.result
        var chunks: [StreamChunk] = []
        for await event in handle.events { if let chunk = event.chunk(as: StreamChunk.self) { chunks.append(chunk) } }
        return (result, await handle.record, chunks)
    }

    @Test("a text agent sends its instructions and the input, streams tokens into events, and records usage")
    func textAnswer() async throws {
        let model = ScriptedModel([
            .text("Paris is the capital.", usage: TokenUsage(promptTokens: 20, completionTokens: 5))
        ])
        let agent = AgentRunnable<String, String>("Answer", model: model, instructions: "Be brief.", temperature: 0)
        let (result, record, chunks) = await run(agent, "Capital of France?")
        #expect(try result.get() == "Paris is the capital.")
        #expect(model.requests.map(\.messages) == [[.system("Be brief."), .user("Capital of France?")]])
        #expect(model.requests.first?.temperature == 0)
        #expect(model.requests.first?.tools == [])
        #expect(chunks.dropLast() == [.token("Paris "), .token("is "), .token("the "), .token("capital.")])
        guard case .final(let response) = chunks.last else {
            Issue.record("the last chunk is not the final response: \(chunks)")
            return
        }
        #expect(response.usage == TokenUsage(promptTokens: 20, completionTokens: 5))
        #expect(record.steps.first?.tokens == TokenUsage(promptTokens: 20, completionTokens: 5))
        // The tokens are the answering model's, by the name its response gave, and the call carries the state's span.
        #expect(record.steps.first?.tokensByModel == ["scripted": TokenUsage(promptTokens: 20, completionTokens: 5)])
        #expect(
            model.requests.first?.trace
                == TraceContext(traceID: record.runID.traceID, spanID: record.runID.spanID(step: 1)))
    }

    @Test("the agent calls the tool the model asks for, feeds the result back, and answers; usage adds up")
    func toolLoop() async throws {
        let call = ToolCall(id: "c1", name: "search", arguments: #"{"q":"solar"}"#)
        let model = ScriptedModel([
            .toolCalls([call], usage: TokenUsage(promptTokens: 10, completionTokens: 3)),
            .text("Solar is growing.", usage: TokenUsage(promptTokens: 30, completionTokens: 4)),
        ])
        let agent = AgentRunnable<String, String>(
            "Research", model: model, instructions: "", tools: try ToolRegistry([Self.search]))
        let (result, record, chunks) = await run(agent, "solar")
        #expect(try result.get() == "Solar is growing.")
        #expect(model.requests.count == 2)
        #expect(model.requests[0].tools.map(\.name) == ["search"])
        #expect(
            model.requests[1].messages == [
                .user("solar"), .assistant(nil, toolCalls: [call]), .tool("results for solar", callID: "c1"),
            ])
        #expect(chunks.first == .toolCall(call))
        #expect(record.tokens == TokenUsage(promptTokens: 40, completionTokens: 7))
    }

    @Test(
        "several tool calls in one answer run concurrently, and their results go back in the order asked",
        .timeLimit(.minutes(1)))
    func concurrentTools() async throws {
        let meeting = Meeting(expected: 2)
        let wait = FunctionTool(name: "wait", description: "", parameters: .object(properties: ["n": .integer()])) {
            arguments in
            await meeting.arrive()
            return arguments["n"] ?? .null
        }
        let calls = [
            ToolCall(id: "a", name: "wait", arguments: #"{"n":1}"#),
            ToolCall(id: "b", name: "wait", arguments: #"{"n":2}"#),
        ]
        let model = ScriptedModel([.toolCalls(calls), .text("done")])
        let agent = AgentRunnable<String, String>(
            "Both", model: model, instructions: "", tools: try ToolRegistry([wait]))
        let (result, _, _) = await run(agent, "go")
        #expect(try result.get() == "done")
        #expect(model.requests[1].messages.suffix(2) == [.tool("1", callID: "a"), .tool("2", callID: "b")])
    }

    @Test("an unknown tool goes back to the model as a tool error, and the run goes on")
    func unknownTool() async throws {
        let model = ScriptedModel([
            .toolCalls([ToolCall(id: "x", name: "srch", arguments: "{}")]), .text("Sorry, no search."),
        ])
        let agent = AgentRunnable<String, String>(
            "Research", model: model, instructions: "", tools: try ToolRegistry([Self.search]))
        let (result, _, chunks) = await run(agent, "solar")
        #expect(try result.get() == "Sorry, no search.")
        let answer = try #require(model.requests.last?.messages.last)
        #expect(answer.role == .tool)
        #expect(answer.content?.contains("there is no tool 'srch'; the tools are: search") == true)
        #expect(chunks.contains(.status("there is no tool 'srch'; the tools are: search")))
    }

    @Test("a structured agent asks for the schema and decodes the answer, code fence or not")
    func structuredAnswer() async throws {
        let model = ScriptedModel([.json(["queries": ["a", "b"]]), .text("```json\n{\"queries\":[\"c\"]}\n```")])
        let agent = AgentRunnable<String, Plan>("Plan", model: model, instructions: "Plan.")
        let (first, _, chunks) = await run(agent, "topic")
        #expect(try first.get() == Plan(queries: ["a", "b"]))
        #expect(model.requests.first?.responseFormat == .jsonSchema(name: "Plan", schema: Plan.schema))
        #expect(chunks.dropLast().last == .jsonPartial(#"{"queries":["a","b"]}"#))
        let (second, _, _) = await run(agent, "topic")
        #expect(try second.get() == Plan(queries: ["c"]))
    }

    @Test("an invalid answer is repaired with the violations sent back")
    func repair() async throws {
        let model = ScriptedModel([.json(["queries": []]), .json(["queries": ["ok"]])])
        let agent = AgentRunnable<String, Plan>("Plan", model: model, instructions: "")
        let (result, _, _) = await run(agent, "topic")
        #expect(try result.get() == Plan(queries: ["ok"]))
        let repairRequest = try #require(model.requests.last?.messages.last?.content)
        #expect(repairRequest.contains("$.queries: "))
        #expect(model.requests.last?.messages.dropLast().last == .assistant(#"{"queries":[]}"#))
    }

    @Test("an answer still invalid after the repairs fails with the last answer and its violations")
    func repairsRunOut() async throws {
        let model = ScriptedModel([.json(["queries": []]), .text("not json"), .json(["queries": 3])])
        let agent = AgentRunnable<String, Plan>("Plan", model: model, instructions: "", maxRepairs: 2)
        let (result, _, _) = await run(agent, "topic")
        let error = try #require(result.failure)
        #expect(error.code == .stateFailed)
        let agentError = try #require(error.underlying as? AgentError)
        #expect(agentError.agent == "Plan")
        #expect(agentError.lastResponse?.text == #"{"queries":3}"#)
        #expect(agentError.violations.map(\.path) == ["$.queries"])
        guard case .invalidOutput(let output, let repairs) = agentError.reason else {
            Issue.record("not an invalid output: \(agentError)")
            return
        }
        #expect(repairs == 2)
        #expect(output.answer == #"{"queries":3}"#)
        #expect(agentError.description.hasPrefix("agent 'Plan' gave no valid answer after 2 repairs: "))
    }

    @Test("a model that keeps asking for tools stops at maxTurns, without calling tools on the last turn")
    func turnLimit() async throws {
        let calls = Counter()
        let counting = FunctionTool(name: "count", description: "", parameters: .object(properties: [:])) { _ in
            calls.increment()
            return .null
        }
        let ask = ScriptedModel.Reply.toolCalls([ToolCall(id: "1", name: "count", arguments: "{}")])
        let model = ScriptedModel([ask, ask, ask])
        let agent = AgentRunnable<String, String>(
            "Loop", model: model, instructions: "", tools: try ToolRegistry([counting]), maxTurns: 2)
        let (result, _, _) = await run(agent, "go")
        let error = try #require(result.failure?.underlying as? AgentError)
        guard case .turnLimit(2) = error.reason else {
            Issue.record("not the turn limit: \(error)")
            return
        }
        #expect(calls.count == 1)
        #expect(model.requests.count == 2)
        #expect(model.requests.map(\.toolChoice) == [nil, ToolChoice.none])
        #expect(error.description.contains("used all 2 of its turns and still asked for tools (count)"))
    }

    @Test("a model error fails the run as the state's error, keeping the tokens already spent")
    func modelError() async throws {
        let refused = ModelError(.status(429, message: "slow down"), endpoint: "http://example.com/v1/chat/completions")
        let model = ScriptedModel([
            .toolCalls(
                [ToolCall(id: "1", name: "search", arguments: #"{"q":"x"}"#)],
                usage: TokenUsage(promptTokens: 8, completionTokens: 2)),
            .failure(refused),
        ])
        let agent = AgentRunnable<String, String>(
            "Research", model: model, instructions: "", tools: try ToolRegistry([Self.search]))
        let (result, record, _) = await run(agent, "x")
        #expect(result.failure?.underlying as? ModelError == refused)
        #expect(record.tokens == TokenUsage(promptTokens: 8, completionTokens: 2))
    }

    @Test("an answer cut off at the token limit fails with the partial answer, without repairs")
    func cutOff() async throws {
        let cut = ChatResponse(message: .assistant(#"{"queries":["a"#), finishReason: .length)
        let model = ScriptedModel([.response(cut), .json(["queries": ["never asked"]])])
        let agent = AgentRunnable<String, Plan>("Plan", model: model, instructions: "", maxTokens: 8)
        let (result, _, _) = await run(agent, "x")
        let error = try #require(result.failure?.underlying as? AgentError)
        #expect(error.lastResponse == cut)
        #expect(error.description.hasPrefix("agent 'Plan': the answer was cut off at its maxTokens of 8"))
        #expect(model.requests.count == 1)
    }

    @Test("a stream that ends without a final response is an agent error, not an empty answer")
    func noFinal() async throws {
        let model = ScriptedModel([.chunks([.token("half")])])
        let agent = AgentRunnable<String, String>("Cut", model: model, instructions: "")
        let (result, _, _) = await run(agent, "x")
        let error = try #require(result.failure?.underlying as? AgentError)
        #expect(error.description == "agent 'Cut': the model's stream ended without a final response")
    }

    @Test("maxTurns below 1 or maxRepairs below 0 is an invalid configuration naming the agent")
    func invalidSettings() async throws {
        let zeroTurns = AgentRunnable<String, String>("A", model: ScriptedModel([]), instructions: "", maxTurns: 0)
        let (turns, _, _) = await run(zeroTurns, "x")
        #expect(turns.failure?.code == .invalidConfiguration)
        #expect(turns.failure?.message == "agent 'A' has maxTurns 0; it must be at least 1")
        let negativeRepairs = AgentRunnable<String, Plan>(
            "B", model: ScriptedModel([]), instructions: "", maxRepairs: -1)
        let (repairs, _, _) = await run(negativeRepairs, "x")
        #expect(repairs.failure?.message == "agent 'B' has maxRepairs -1; it must be 0 or more")
        let unsound = AgentRunnable<String, Unsound>("C", model: ScriptedModel([]), instructions: "")
        let (schema, _, _) = await run(unsound, "x")
        #expect(schema.failure?.code == .invalidConfiguration)
        #expect(
            schema.failure?.message
                == "agent 'C': the schema of Unsound is unsound: $: minimum 3.0 is above maximum 1.0")
    }

    @Test("a scripted model that runs out says which request found it empty")
    func scriptRunsOut() async throws {
        let model = ScriptedModel([.text("one")])
        _ = try await model.respond(to: ChatRequest(messages: [.user("1")]))
        await #expect(throws: ScriptedModel.Exhausted(replies: 1, request: 2)) {
            try await model.respond(to: ChatRequest(messages: [.user("2")]))
        }
        #expect(
            ScriptedModel.Exhausted(replies: 1, request: 2).description
                == "the script has 1 reply, and request 2 asked for another")
        #expect(model.remaining == 0)
    }
}

extension Result {
    /// The error, if this is a failure.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
