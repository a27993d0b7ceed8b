import Foundation

/// A ``Tool`` made of a closure.
///
/// ```swift
/// let clock = FunctionTool(
///     name: "current_time", description: "The current time, in ISO 8601.",
///     parameters: .object(properties: [:])
/// ) { _ in .string(Date.now.ISO8601Format()) }
/// ```
///
/// With typed arguments, the schema comes from the arguments' type and the result is encoded:
///
/// ```swift
/// struct Lookup: StructuredOutput {
///     var city: String
///     static let schema = JSONSchema.object(properties: ["city": .string(minLength: 1)], required: ["city"])
/// }
/// let weather = FunctionTool(name: "weather", description: "Today's weather in a city.") { (lookup: Lookup) in
///     try await forecast(for: lookup.city)   // any Encodable
/// }
/// ```
public struct FunctionTool: Tool {
    /// The name the model calls it by.
    public let name: String
    /// What it does, for the model.
    public let description: String
    /// The schema of its arguments.
    public let parameters: JSONSchema
    private let body: @Sendable (JSONValue) async throws -> JSONValue

    /// Creates a tool from a closure of JSON arguments.
    ///
    /// - Parameters:
    ///   - name: The name the model calls it by: 1 to 64 letters, digits, `_` or `-`.
    ///   - description: What it does, for the model.
    ///   - parameters: The schema of the arguments: an object schema.
    ///   - body: The call; it receives arguments valid against `parameters`.
    public init(
        name: String, description: String, parameters: JSONSchema,
        _ body: @escaping @Sendable (JSONValue) async throws -> JSONValue
    ) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.body = body
    }

    /// Creates a tool whose arguments decode into `Arguments`, whose schema they state, and whose result is
    /// encoded as JSON.
    ///
    /// - Parameters:
    ///   - name: The name the model calls it by.
    ///   - description: What it does, for the model.
    ///   - body: The call, with decoded arguments.
    public init<Arguments: StructuredOutput, Output: Encodable & Sendable>(
        name: String, description: String, _ body: @escaping @Sendable (Arguments) async throws -> Output
    ) {
        self.init(name: name, description: description, parameters: Arguments.schema) { json in
            let arguments = try Arguments.decode(json)
            let result = try await body(arguments)
            return try JSONValue(encoding: result)
        }
    }

    /// Runs the closure with `arguments`.
    public func call(arguments: JSONValue) async throws -> JSONValue {
        try await body(arguments)
    }
}
