import Foundation

/// The tools an agent may call, by name: it checks them once, as it is made, and calls them as models ask,
/// turning every way a call can go wrong into a result the model can read.
///
/// ```swift
/// let tools = try ToolRegistry([WebSearch(), weather])
/// let results = try await tools.call(response.toolCalls)   // concurrently, in the calls' order
/// messages += results.map(\.message)
/// ```
public struct ToolRegistry: Sendable {
    /// The tools, in the order given.
    public let tools: [any Tool]
    private let byName: [String: any Tool]

    /// A registry of no tools.
    public init() {
        tools = []
        byName = [:]
    }

    /// A registry of `tools`.
    ///
    /// - Throws: ``ToolRegistryError`` when two tools share a name, a name is not 1 to 64 letters, digits, `_`
    ///   or `-` (what OpenAI accepts), or a tool's parameters are not an object schema or have
    ///   ``JSONSchema/problems``.
    public init(_ tools: [any Tool]) throws(ToolRegistryError) {
        var byName: [String: any Tool] = [:]
        for (index, tool) in tools.enumerated() {
            guard Self.isValidName(tool.name) else {
                throw ToolRegistryError(
                    tool: tool.name, index: index,
                    problem: "its name must be 1 to 64 letters, digits, '_' or '-'")
            }
            guard byName[tool.name] == nil else {
                throw ToolRegistryError(tool: tool.name, index: index, problem: "another tool has the same name")
            }
            guard tool.parameters.types == [.object] else {
                throw ToolRegistryError(
                    tool: tool.name, index: index,
                    problem: "its parameters must be an object schema (JSONSchema.object), as models require")
            }
            let problems = tool.parameters.problems
            guard problems.isEmpty else {
                throw ToolRegistryError(
                    tool: tool.name, index: index,
                    problem: "its parameters schema accepts nothing as written: "
                        + problems.map(\.description).joined(separator: "; "))
            }
            byName[tool.name] = tool
        }
        self.tools = tools
        self.byName = byName
    }

    /// The tool named `name`.
    public subscript(name: String) -> (any Tool)? { byName[name] }

    /// The tools as a request shows them to the model.
    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// Whether the registry has no tools.
    public var isEmpty: Bool { tools.isEmpty }

    /// Calls what the model asked for, all at once, and returns the results in the order of `calls`.
    ///
    /// - Throws: Only `CancellationError`, when the task is cancelled: every other failure is a result.
    public func call(_ calls: [ToolCall]) async throws -> [ToolResult] {
        if calls.count == 1 { return [try await call(calls[0])] }
        return try await withThrowingTaskGroup(of: (Int, ToolResult).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, try await self.call(call)) }
            }
            var results = [ToolResult?](repeating: nil, count: calls.count)
            for try await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }

    /// Calls the tool `call` names with its arguments, once they are JSON that satisfies the tool's schema.
    ///
    /// - Returns: The tool's result, or the reason there is none: an unknown tool, arguments that are not JSON
    ///   or break the schema, or what the tool threw.
    /// - Throws: Only `CancellationError`, when the task is cancelled.
    public func call(_ call: ToolCall) async throws -> ToolResult {
        guard let tool = byName[call.name] else {
            return ToolResult(
                call: call, .failure(ToolCallError(tool: call.name, reason: .unknownTool(available: tools.map(\.name))))
            )
        }
        let arguments: JSONValue
        do {
            arguments =
                call.arguments.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                ? [:] : try JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8))
        } catch {
            return ToolResult(
                call: call, .failure(ToolCallError(tool: call.name, reason: .argumentsNotJSON(call.arguments))))
        }
        let violations = tool.parameters.validate(arguments)
        guard violations.isEmpty else {
            return ToolResult(
                call: call, .failure(ToolCallError(tool: call.name, reason: .invalidArguments(violations))))
        }
        do {
            return ToolResult(call: call, .success(try await tool.call(arguments: arguments)))
        } catch {
            try Task.checkCancellation()
            return ToolResult(
                call: call, .failure(ToolCallError(tool: call.name, reason: .failed(String(describing: error)))))
        }
    }

    private static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count) && name.allSatisfy(isNameCharacter)
    }

    /// A character OpenAI accepts in the name of a tool or a schema: `[a-zA-Z0-9_-]`.
    static func isNameCharacter(_ character: Character) -> Bool {
        guard character.isASCII, let ascii = character.asciiValue else { return false }
        return ("a"..."z").contains(character) || ("A"..."Z").contains(character) || ("0"..."9").contains(character)
            || ascii == UInt8(ascii: "_") || ascii == UInt8(ascii: "-")
    }
}

/// A tool registry that cannot be made: which tool, where in the list, and why.
public struct ToolRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tool's name.
    public var tool: String
    /// Its position in the list given.
    public var index: Int
    /// What is wrong.
    public var problem: String

    /// Creates an error.
    public init(tool: String, index: Int, problem: String) {
        self.tool = tool
        self.index = index
        self.problem = problem
    }

    /// As in `tool 'web search' (at index 1): its name must be 1 to 64 letters, digits, '_' or '-'`.
    public var description: String { "tool '\(tool)' (at index \(index)): \(problem)" }
}

/// What calling a tool gave: its result or why there is none, and the message that tells the model.
public struct ToolResult: Sendable {
    /// The call.
    public var call: ToolCall
    /// The tool's result, or why there is none.
    public var outcome: Result<JSONValue, ToolCallError>

    /// Creates a result.
    public init(call: ToolCall, _ outcome: Result<JSONValue, ToolCallError>) {
        self.call = call
        self.outcome = outcome
    }

    /// The tool message that answers the call: the result as JSON text (a string as itself), or
    /// `{"error": "…"}` saying what went wrong, so that the model can correct itself.
    public var message: ChatMessage {
        switch outcome {
        case .success(.string(let text)): .tool(text, callID: call.id)
        case .success(let value): .tool(value.description, callID: call.id)
        case .failure(let error):
            .tool(JSONValue.object(["error": .string(error.description)]).description, callID: call.id)
        }
    }
}

/// Why a tool call has no result.
public struct ToolCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why.
    public enum Reason: Sendable, Hashable {
        /// No tool has the name; the names there are.
        case unknownTool(available: [String])
        /// The arguments are not JSON; the text the model wrote.
        case argumentsNotJSON(String)
        /// The arguments break the tool's schema, in each of these ways.
        case invalidArguments([JSONSchema.Violation])
        /// The tool threw; what it threw, described.
        case failed(String)
    }

    /// The name the model called.
    public var tool: String
    /// Why.
    public var reason: Reason

    /// Creates an error.
    public init(tool: String, reason: Reason) {
        self.tool = tool
        self.reason = reason
    }

    /// As in `tool 'search': invalid arguments: $.query: expected string, found number 3`.
    public var description: String {
        switch reason {
        case .unknownTool(let available):
            "there is no tool '\(tool)'; the tools are: \(available.isEmpty ? "none" : available.joined(separator: ", "))"
        case .argumentsNotJSON(let text):
            "tool '\(tool)': the arguments are not JSON: \(ModelError.excerpt(text, limit: 200))"
        case .invalidArguments(let violations):
            "tool '\(tool)': invalid arguments: \(violations.map(\.description).joined(separator: "; "))"
        case .failed(let error):
            "tool '\(tool)' failed: \(error)"
        }
    }
}
