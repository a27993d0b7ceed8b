public import Foundation

/// A fixed workflow: named, versioned steps that call models and tools, branch, loop, run concurrently and wait
/// for people, with the data flowing between them through `${…}` references.
///
/// ```json
/// {
///   "name": "data-analysis",
///   "version": "1.0.0",
///   "steps": [
///     {"id": "load_data", "kind": "tool", "tool": "database_query", "input": {"query": "SELECT * FROM sales"}},
///     {"id": "analyze", "kind": "llm", "depends_on": ["load_data"],
///      "prompt": "Analyse these sales: ${load_data.output}", "retry": {"max_attempts": 3}, "timeout": 60}
///   ]
/// }
/// ```
///
/// Reading a definition checks all of it before anything runs, and reports every problem with its JSON path:
/// a missing or unknown field, a wrong type, a bad kind, a duplicate id, a dependency on a step that is not
/// there, a dependency cycle (spelled out), a reference to a step that does not run before, an unknown tool.
///
/// ```swift
/// let workflow = try WorkflowDefinition(json: data, tools: registry)   // throws WorkflowError
/// ```
///
/// **Steps and levels.** The top-level `steps` form a graph by their `depends_on`; a step starts once its
/// dependencies have completed, so steps whose dependencies are met run concurrently. `parallel`, `branch` and
/// `loop` steps hold steps of their own, which form a graph of their own level. Ids are unique in the whole
/// definition; `depends_on` names steps of the same level.
///
/// **References.** A template — a prompt, a string in a tool's input, a condition's value — refers to the
/// workflow's input as `${input}` or `${input.path}`, and to a step's output as `${step.output}` or
/// `${step.output.path}`. A step may refer to the steps it depends on, directly or through others, at its own
/// level or at the levels of the steps that contain it. The workflow's `output`, if given, may refer to any
/// top-level step. In a tool's input, a string that is exactly one reference stands for the value itself (an
/// array stays an array); elsewhere a value is written as text. `Docs/Schemas/FixedWorkflow.schema.json` is the
/// format's JSON Schema, and `Examples/Workflows/data-analysis.json` a sample.
public struct WorkflowDefinition: Sendable, Hashable {
    /// The workflow's name.
    public var name: String
    /// The workflow's version, as `1.0.0`.
    public var version: String
    /// What it does, for people.
    public var description: String?
    /// The top-level steps, in the order written.
    public var steps: [WorkflowStep]
    /// What the workflow returns; by default, the output of its last top-level step.
    public var output: WorkflowTemplate?

    /// Creates a definition from its parts, unchecked; ``validate(tools:)`` checks it.
    public init(
        name: String, version: String, description: String? = nil, steps: [WorkflowStep],
        output: WorkflowTemplate? = nil
    ) {
        self.name = name
        self.version = version
        self.description = description
        self.steps = steps
        self.output = output
    }

    /// Reads and checks a definition written in JSON.
    ///
    /// - Parameters:
    ///   - json: The definition.
    ///   - tools: The tools `tool` steps may call; `nil` leaves tool names unchecked.
    /// - Throws: ``WorkflowError`` with every problem found.
    public init(json: Data, tools: ToolRegistry? = nil) throws(WorkflowError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw WorkflowError(diagnostics: [
                WorkflowDiagnostic(.notJSON, at: "$", "the definition is not JSON: \(Self.reason(error))")
            ])
        }
        try self.init(value, tools: tools)
    }

    /// Reads and checks a definition given as a JSON value.
    ///
    /// - Parameters:
    ///   - value: The definition.
    ///   - tools: The tools `tool` steps may call; `nil` leaves tool names unchecked.
    /// - Throws: ``WorkflowError`` with every problem found.
    public init(_ value: JSONValue, tools: ToolRegistry? = nil) throws(WorkflowError) {
        var parser = WorkflowParser(tools: tools.map { Set($0.tools.map(\.name)) })
        let definition = parser.definition(value)
        guard let definition, parser.diagnostics.isEmpty else {
            throw WorkflowError(diagnostics: WorkflowDiagnostic.inOrder(parser.diagnostics))
        }
        self = definition
    }

    /// Checks a definition made in code as reading it from JSON would.
    ///
    /// - Parameter tools: The tools `tool` steps may call; `nil` leaves tool names unchecked.
    /// - Returns: Every problem found; empty when the definition can run.
    public func validate(tools: ToolRegistry? = nil) -> [WorkflowDiagnostic] {
        var parser = WorkflowParser(tools: tools.map { Set($0.tools.map(\.name)) })
        parser.check(self)
        return WorkflowDiagnostic.inOrder(parser.diagnostics)
    }

    /// What a decoding error says, without Foundation's wrapping.
    static func reason(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return String(describing: error) }
        let underlying = context.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String }
        return (underlying ?? nil) ?? context.debugDescription
    }
}
