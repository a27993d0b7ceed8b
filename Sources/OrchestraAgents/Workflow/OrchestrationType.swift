/// The four ways to orchestrate a request, from the cheapest to the most adaptive.
///
/// ```swift
/// let type = try JSONDecoder().decode(OrchestrationType.self, from: Data(#""planner""#.utf8))
/// ```
///
/// In JSON a type is its name in lower case; `Docs/Schemas/OrchestrationType.schema.json` is its schema.
public enum OrchestrationType: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Input → one model call → answer, streamed.
    case simple
    /// A predefined workflow (``WorkflowDefinition``), its independent steps run concurrently.
    case fixed
    /// The model writes a plan, which is validated and run as a fixed workflow; then a final step answers.
    case planner
    /// As ``planner``, but after every step the remaining steps may be planned again.
    case reactive

    /// The name, as in JSON.
    public var description: String { rawValue }

    /// The JSON Schema of a type: one of the four names.
    public static var schema: JSONSchema {
        var schema = JSONSchema.string(
            oneOf: allCases.map(\.rawValue),
            description: "How a request is orchestrated: simple, fixed, planner or reactive")
        schema.title = "OrchestrationType"
        return schema
    }
}
