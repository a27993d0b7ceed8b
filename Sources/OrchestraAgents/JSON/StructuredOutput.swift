import Foundation

/// A type a model can be asked for: `Codable`, and stating the JSON Schema of its encoding, so that the
/// request carries the schema and the answer is checked against it before it is decoded.
///
/// ```swift
/// struct ResearchPlan: StructuredOutput {
///     var queries: [String]
///     static let schema = JSONSchema.object(
///         properties: ["queries": .array(of: .string(minLength: 1), minItems: 1)], required: ["queries"])
/// }
/// let plan = try ResearchPlan.decode(fromJSON: #"{"queries": ["AI in radiology"]}"#)
/// ```
public protocol StructuredOutput: Codable, Sendable {
    /// The schema every encoding of the type satisfies.
    static var schema: JSONSchema { get }
}

/// Why an answer could not become a ``StructuredOutput``: it was not JSON, it broke the schema, or it did
/// not decode. Carries the answer, so that a model can be asked to repair it.
public struct StructuredOutputError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Hashable {
        /// The text is not JSON; the parser's complaint.
        case notJSON(String)
        /// The JSON breaks the schema, in each of these ways.
        case violations([JSONSchema.Violation])
        /// The JSON satisfies the schema but did not decode into the type; the decoder's complaint.
        case notDecodable(String)
    }

    /// The type asked for.
    public let type: String
    /// What went wrong.
    public let problem: Problem
    /// The answer, as received.
    public let answer: String

    /// As in `the answer is not a valid ResearchPlan: $.queries: expected array, found string "x"`, with the
    /// answer shortened.
    public var description: String {
        let shown = ModelError.excerpt(answer, limit: 200)
        let why =
            switch problem {
            case .notJSON(let reason): "it is not JSON (\(reason))"
            case .violations(let violations): violations.map(\.description).joined(separator: "; ")
            case .notDecodable(let reason): "it does not decode (\(reason))"
            }
        return "the answer is not a valid \(type): \(why); the answer was: \(shown)"
    }
}

extension StructuredOutput {
    /// Parses `text` as JSON, checks it against ``schema``, and decodes it.
    ///
    /// - Parameter text: The model's answer.
    /// - Returns: The value.
    /// - Throws: ``StructuredOutputError`` naming every violation.
    public static func decode(fromJSON text: String) throws(StructuredOutputError) -> Self {
        try decode(try StructuredOutputError.json(in: text, type: "\(Self.self)"), answer: text)
    }

    /// Checks `json` against ``schema`` and decodes it.
    ///
    /// - Parameters:
    ///   - json: The value.
    ///   - answer: The text it came from, for the error; its JSON text by default.
    /// - Returns: The value.
    /// - Throws: ``StructuredOutputError`` naming every violation.
    public static func decode(_ json: JSONValue, answer: String? = nil) throws(StructuredOutputError) -> Self {
        let violations = schema.validate(json)
        guard violations.isEmpty else {
            throw StructuredOutputError(
                type: "\(Self.self)", problem: .violations(violations), answer: answer ?? json.description)
        }
        do {
            return try JSONDecoder().decode(Self.self, from: Data(json.description.utf8))
        } catch {
            throw StructuredOutputError(
                type: "\(Self.self)", problem: .notDecodable("\(error)"), answer: answer ?? json.description)
        }
    }
}

extension StructuredOutputError {
    /// Parses an answer as JSON.
    ///
    /// - Throws: The error for an answer that is not JSON, naming `type`.
    static func json(in answer: String, type: String) throws(StructuredOutputError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(answer.utf8))
        } catch {
            throw StructuredOutputError(type: type, problem: .notJSON("\(error)"), answer: answer)
        }
    }
}
