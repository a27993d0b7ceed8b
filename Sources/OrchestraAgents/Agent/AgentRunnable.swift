import Foundation

/// A state that has a model do its work: it sends the instructions and the input, calls the tools the model
/// asks for and feeds their results back, until the model answers — as text, or as a ``StructuredOutput`` it
/// checks and has the model repair.
///
/// ```swift
/// let researcher = AgentRunnable<String, String>(
///     "Research", model: model, instructions: "Answer from what web_search finds; cite the URLs.",
///     tools: try ToolRegistry([WebSearch()]))
///
/// let planner = AgentRunnable<String, ResearchPlan>(     // ResearchPlan: StructuredOutput
///     "Plan", model: model, instructions: "Plan the research as 3 to 5 queries.")
/// planner.advance(to: researchEach)
/// ```
///
/// **Turns.** Each model call is a turn, repairs included; ``maxTurns`` bounds them, so it bounds what one
/// visit of the state can cost. When the model asks for several tools in one answer they run concurrently, each
/// starting as soon as its call has streamed in complete, and their results go back in the order asked. An
/// unknown tool, arguments that are not valid, or a tool that throws become a tool message the model can read
/// and act on (see ``ToolRegistry``); they do not fail the state.
///
/// **Structured output.** With `Output: StructuredOutput` the request carries the type's schema, and the answer
/// is parsed, validated and decoded. An answer that fails gets up to ``maxRepairs`` repair turns — the
/// violations are sent back and the model asked to correct its JSON — and then fails the state with
/// ``AgentError/Reason/invalidOutput(_:repairs:)``, which carries the last answer and every violation.
///
/// **Events and records.** Tokens, partial JSON, tool calls and status lines stream into the run's events as
/// ``StreamChunk`` chunks (`event.chunk(as: StreamChunk.self)`) while the model writes them, then each call's final
/// response, with its finish reason and usage; the usage is also added to the step in the run's ``RunRecord``.
public final class AgentRunnable<Input: Sendable, Output: Sendable>: Runnable<Input, Output>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    /// The model that does the work.
    public let model: any ChatModel
    /// The system message that starts every conversation; none when empty.
    public let instructions: String
    /// The tools the model may call.
    public let tools: ToolRegistry
    /// The most model calls one visit makes, repairs included.
    public let maxTurns: Int
    /// The most repair turns for an answer that is not a valid `Output`; 0 for text.
    public let maxRepairs: Int
    /// The sampling temperature; the model's default when `nil`.
    public let temperature: Double?
    /// The most tokens per call; the model's default when `nil`.
    public let maxTokens: Int?
    private let prompt: @Sendable (Input) -> String
    private let responseFormat: ResponseFormat
    private let decode: @Sendable (String) throws(StructuredOutputError) -> Output
    /// What is unsound in the schema of `Output`, worked out once: the schema does not change.
    private let schemaProblem: JSONSchema.Violation?

    init(
        name: String, model: any ChatModel, instructions: String, tools: ToolRegistry, maxTurns: Int,
        maxRepairs: Int, temperature: Double?, maxTokens: Int?, prompt: @escaping @Sendable (Input) -> String,
        responseFormat: ResponseFormat, decode: @escaping @Sendable (String) throws(StructuredOutputError) -> Output
    ) {
        self.model = model
        self.instructions = instructions
        self.tools = tools
        self.maxTurns = maxTurns
        self.maxRepairs = maxRepairs
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.prompt = prompt
        self.responseFormat = responseFormat
        self.decode = decode
        if case .jsonSchema(_, let schema) = responseFormat {
            schemaProblem = schema.problems.first
        } else {
            schemaProblem = nil
        }
        super.init(name: name)
    }

    /// An agent that answers in text.
    ///
    /// - Parameters:
    ///   - name: The state's name.
    ///   - model: The model that does the work.
    ///   - instructions: The system message; none when empty.
    ///   - tools: The tools the model may call.
    ///   - maxTurns: The most model calls one visit makes; at least 1.
    ///   - temperature: The sampling temperature; the model's default when `nil`.
    ///   - maxTokens: The most tokens per call; the model's default when `nil`.
    ///   - prompt: The user message for an input.
    public convenience init(
        _ name: String, model: any ChatModel, instructions: String, tools: ToolRegistry = ToolRegistry(),
        maxTurns: Int = 10, temperature: Double? = nil, maxTokens: Int? = nil,
        prompt: @escaping @Sendable (Input) -> String
    ) where Output == String {
        self.init(
            name: name, model: model, instructions: instructions, tools: tools, maxTurns: maxTurns, maxRepairs: 0,
            temperature: temperature, maxTokens: maxTokens, prompt: prompt, responseFormat: .text, decode: { $0 })
    }

    /// An agent that answers in text, to a text input.
    public convenience init(
        _ name: String, model: any ChatModel, instructions: String, tools: ToolRegistry = ToolRegistry(),
        maxTurns: Int = 10, temperature: Double? = nil, maxTokens: Int? = nil
    ) where Input == String, Output == String {
        self.init(
            name, model: model, instructions: instructions, tools: tools, maxTurns: maxTurns,
            temperature: temperature, maxTokens: maxTokens, prompt: { $0 })
    }

    /// An agent that answers with an `Output`: the request asks for its schema, and the answer is validated and
    /// decoded, with repair turns for an answer that fails.
    ///
    /// - Parameters:
    ///   - name: The state's name.
    ///   - model: The model that does the work.
    ///   - instructions: The system message; none when empty.
    ///   - tools: The tools the model may call.
    ///   - maxTurns: The most model calls one visit makes, repairs included; at least 1.
    ///   - maxRepairs: The most repair turns; 0 or more.
    ///   - temperature: The sampling temperature; the model's default when `nil`.
    ///   - maxTokens: The most tokens per call; the model's default when `nil`.
    ///   - prompt: The user message for an input.
    public convenience init(
        _ name: String, model: any ChatModel, instructions: String, tools: ToolRegistry = ToolRegistry(),
        maxTurns: Int = 10, maxRepairs: Int = 2, temperature: Double? = nil, maxTokens: Int? = nil,
        prompt: @escaping @Sendable (Input) -> String
    ) where Output: StructuredOutput {
        self.init(
            name: name, model: model, instructions: instructions, tools: tools, maxTurns: maxTurns,
            maxRepairs: maxRepairs, temperature: temperature, maxTokens: maxTokens, prompt: prompt,
            responseFormat: .jsonSchema(name: Self.schemaName(of: Output.self), schema: Output.schema),
            decode: { text throws(StructuredOutputError) in try Output.decode(fromJSON: Self.unfenced(text)) })
    }

    /// An agent that answers a text input with an `Output`.
    public convenience init(
        _ name: String, model: any ChatModel, instructions: String, tools: ToolRegistry = ToolRegistry(),
        maxTurns: Int = 10, maxRepairs: Int = 2, temperature: Double? = nil, maxTokens: Int? = nil
    ) where Input == String, Output: StructuredOutput {
        self.init(
            name, model: model, instructions: instructions, tools: tools, maxTurns: maxTurns, maxRepairs: maxRepairs,
            temperature: temperature, maxTokens: maxTokens, prompt: { $0 })
    }

    /// An agent that answers with JSON valid against a schema known only at run time — one read from a workflow
    /// definition, or built from the tools registered — turned into an `Output` by `decode`, which may find
    /// problems the schema cannot state. The schema's violations and `decode`'s both go back to the model in
    /// repair turns.
    ///
    /// ```swift
    /// let extract = AgentRunnable<String, JSONValue>(
    ///     "Extract", model: model, instructions: "Extract the invoice.", schema: invoiceSchema, prompt: { $0 }) { $0 }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The state's name.
    ///   - model: The model that does the work.
    ///   - instructions: The system message; none when empty.
    ///   - schema: The schema the answer must satisfy; the request carries it.
    ///   - schemaName: The schema's name for the server: ASCII letters, digits, `_` and `-`.
    ///   - tools: The tools the model may call.
    ///   - maxTurns: The most model calls one visit makes, repairs included; at least 1.
    ///   - maxRepairs: The most repair turns; 0 or more.
    ///   - temperature: The sampling temperature; the model's default when `nil`.
    ///   - maxTokens: The most tokens per call; the model's default when `nil`.
    ///   - prompt: The user message for an input.
    ///   - decode: Makes the output from an answer valid against `schema`; throws
    ///     ``StructuredOutputError`` with ``StructuredOutputError/Problem/violations(_:)`` for what else is wrong.
    public convenience init(
        _ name: String, model: any ChatModel, instructions: String, schema: JSONSchema, schemaName: String = "answer",
        tools: ToolRegistry = ToolRegistry(), maxTurns: Int = 10, maxRepairs: Int = 2, temperature: Double? = nil,
        maxTokens: Int? = nil, prompt: @escaping @Sendable (Input) -> String,
        decode: @escaping @Sendable (JSONValue) throws(StructuredOutputError) -> Output
    ) {
        self.init(
            name: name, model: model, instructions: instructions, tools: tools, maxTurns: maxTurns,
            maxRepairs: maxRepairs, temperature: temperature, maxTokens: maxTokens, prompt: prompt,
            responseFormat: .jsonSchema(name: schemaName, schema: schema),
            decode: { text throws(StructuredOutputError) in
                let json = try StructuredOutputError.json(in: Self.unfenced(text), type: schemaName)
                let violations = schema.validate(json)
                guard violations.isEmpty else {
                    throw StructuredOutputError(type: schemaName, problem: .violations(violations), answer: text)
                }
                return try decode(json)
            })
    }

    /// Runs the conversation to its answer.
    ///
    /// - Throws: ``AgentError`` when the turns run out, the answer stays invalid or is cut off at the token limit; what the model throws, such
    ///   as a ``ModelError``; an ``OrchestrationError/Code/invalidConfiguration`` error for a `maxTurns` below 1,
    ///   a `maxRepairs` below 0, or an `Output` schema with ``JSONSchema/problems``.
    public override func invoke(_ input: Input, context: RunContext) async throws -> Output {
        guard maxTurns >= 1 else { throw context.settingBelowOne("agent", "maxTurns", is: maxTurns) }
        guard maxRepairs >= 0 else {
            throw context.invalidConfiguration(
                "agent '\(context.path)' has maxRepairs \(maxRepairs); it must be 0 or more")
        }
        if case .jsonSchema(let name, _) = responseFormat, let schemaProblem {
            throw context.invalidConfiguration(
                "agent '\(context.path)': the schema of \(name) is unsound: \(schemaProblem)")
        }
        var messages: [ChatMessage] = instructions.isEmpty ? [] : [.system(instructions)]
        messages.append(.user(prompt(input)))
        func failure(_ reason: AgentError.Reason, _ response: ChatResponse?) -> AgentError {
            AgentError(agent: context.path.description, reason: reason, lastResponse: response)
        }
        var repairs = 0
        var turn = 0
        while true {  // each turn returns, throws, or goes on with turn < maxTurns
            turn += 1
            let (response, results) = try await ask(messages, context: context, mayCallTools: turn < maxTurns)
            if response.finishReason == .length {
                // Cut off by the token limit: not the answer, nor whole tool calls, and a repair cannot make it
                // longer.
                throw failure(.cutOff(maxTokens: maxTokens), response)
            }
            messages.append(response.message)
            if !response.toolCalls.isEmpty {
                guard turn < maxTurns else {
                    throw failure(.turnLimit(maxTurns), response)
                }
                messages += results.map(\.message)
                continue
            }
            do {
                return try decode(response.text)
            } catch {
                guard repairs < maxRepairs, turn < maxTurns else {
                    throw failure(.invalidOutput(error, repairs: repairs), response)
                }
                repairs += 1
                context.emit(StreamChunk.status("repairing the answer (\(repairs) of \(maxRepairs))"))
                messages.append(.user(Self.repairRequest(for: error)))
            }
        }
    }

    /// One model call: streams its chunks into the run's events, starts each tool call as it arrives complete
    /// (when tools may still be called), records the tokens, and returns the response with the tools' results
    /// in the order of its calls.
    private func ask(_ messages: [ChatMessage], context: RunContext, mayCallTools: Bool) async throws
        -> (ChatResponse, [ToolResult])
    {
        // On the last turn the tools stay described (the conversation refers to them) but may not be called.
        let request = ChatRequest(
            messages: messages, tools: tools.definitions,
            toolChoice: mayCallTools || tools.isEmpty ? nil : ToolChoice.none,
            responseFormat: responseFormat, temperature: temperature, maxTokens: maxTokens, trace: context.trace)
        let tools = tools
        return try await withThrowingTaskGroup(of: (Int, ToolResult).self) { group in
            var started: [ToolCall] = []
            var final: ChatResponse?
            for try await chunk in model.stream(request) {
                switch chunk {
                case .token, .jsonPartial, .status:
                    context.emit(chunk)
                case .toolCall(let call):
                    context.emit(chunk)
                    if mayCallTools {
                        let position = started.count
                        started.append(call)
                        group.addTask { (position, try await tools.call(call)) }
                    }
                case .final(let response):
                    context.emit(chunk)  // for watchers: the finish reason and the call's usage
                    final = response
                }
            }
            guard let final else {
                try Task.checkCancellation()
                throw AgentError(agent: context.path.description, reason: .noFinalResponse, lastResponse: nil)
            }
            if let usage = final.usage { context.recordTokens(usage, model: final.model ?? request.model) }
            guard mayCallTools, !final.toolCalls.isEmpty, final.finishReason != .length else {
                group.cancelAll()  // calls of a cut-off answer may be cut off too: none of their results is used
                return (final, [])
            }
            var finished: [Int: ToolResult] = [:]
            for try await (position, result) in group { finished[position] = result }
            // The response's calls are the truth; a call the stream did not send complete runs now.
            var results: [ToolResult] = []
            for (position, call) in final.toolCalls.enumerated() {
                if position < started.count, started[position] == call, let result = finished[position] {
                    results.append(result)
                } else {
                    results.append(try await tools.call(call))
                }
            }
            for case .failure(let error) in results.map(\.outcome) {
                context.emit(StreamChunk.status(error.description))
            }
            return (final, results)
        }
    }

    /// The message that asks the model to correct an answer that is not a valid `Output`.
    private static func repairRequest(for error: StructuredOutputError) -> String {
        let problems =
            switch error.problem {
            case .notJSON(let reason): "it is not valid JSON (\(reason))"
            case .violations(let violations): violations.map { "- \($0)" }.joined(separator: "\n")
            case .notDecodable(let reason): "it does not match the expected structure (\(reason))"
            }
        return """
            Your answer is not valid:
            \(problems)
            Reply again with only the corrected JSON, and nothing else.
            """
    }

    /// The answer without a Markdown code fence around it, as models not constrained to JSON often write.
    static func unfenced(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("```"), trimmed.hasSuffix("```"), trimmed.count >= 6 else { return text }
        var inner = trimmed.dropFirst(3).dropLast(3)
        if let newline = inner.firstIndex(of: "\n") { inner = inner[inner.index(after: newline)...] }
        return String(inner)
    }

    /// A schema name servers accept, as a tool's name (ASCII letters, digits, `_`, `-`): the type's name, without
    /// generic arguments, other characters as `_`.
    private static func schemaName(of type: Any.Type) -> String {
        let name = String(describing: type).prefix { $0 != "<" }
        let cleaned = String(name.map { ToolRegistry.isNameCharacter($0) ? $0 : "_" })
        return cleaned.isEmpty ? "Output" : String(cleaned.prefix(64))
    }
}
