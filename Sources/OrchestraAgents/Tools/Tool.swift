/// Something a model can ask to have done: a name, what it does, the schema of its arguments, and the call.
///
/// Conform a type, or use ``FunctionTool`` for a closure:
///
/// ```swift
/// struct WebSearch: Tool {
///     let name = "web_search"
///     let description = "Searches the web and returns the top results."
///     let parameters = JSONSchema.object(properties: ["query": .string(minLength: 1)], required: ["query"])
///
///     func call(arguments: JSONValue) async throws -> JSONValue {
///         let query = arguments["query"]?.stringValue ?? ""
///         return ["results": .array(try await search(query).map { .string($0) })]
///     }
/// }
/// ```
///
/// A ``ToolRegistry`` checks the arguments against ``parameters`` before it calls ``call(arguments:)``, so the
/// call only ever sees arguments that satisfy the schema. What the call throws goes back to the model as the
/// tool's result, an error it can read and recover from; it does not end the run.
public protocol Tool: Sendable {
    /// The name the model calls it by: 1 to 64 letters, digits, `_` or `-`.
    var name: String { get }
    /// What it does and when to use it, for the model.
    var description: String { get }
    /// The schema of its arguments: an object schema.
    var parameters: JSONSchema { get }

    /// Does the work.
    ///
    /// - Parameter arguments: The arguments the model gave, valid against ``parameters``.
    /// - Returns: The result, sent to the model as JSON (a string result as its text).
    /// - Throws: Any error, which the model receives as the tool's failure.
    func call(arguments: JSONValue) async throws -> JSONValue
}

extension Tool {
    /// The tool as a request shows it to the model.
    public var definition: ToolDefinition {
        ToolDefinition(name: name, description: description, parameters: parameters)
    }
}
