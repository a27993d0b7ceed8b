import Foundation

/// A plan a model wrote for a request: `llm` and `tool` steps in the workflow format, which run as a fixed
/// workflow.
///
/// ```json
/// {"steps": [
///   {"id": "search", "kind": "tool", "tool": "web_search", "input": {"query": "${input}"}},
///   {"id": "summary", "kind": "llm", "depends_on": ["search"], "prompt": "Summarise: ${search.output}"}
/// ]}
/// ```
///
/// Reading a plan checks it as a workflow definition is checked — ids, dependencies, cycles, references, tools —
/// and also that its steps are `llm` or `tool` steps, that only registered tools are named, and that there are
/// no more steps than allowed. ``schema(tools:maxSteps:ids:completed:)`` is the schema a model is asked to answer with;
/// `Docs/Schemas/AgentPlan.schema.json` is its fixed part, for no particular tools.
public struct AgentPlan: Sendable, Hashable {
    /// The steps, in the order written.
    public let steps: [WorkflowStep]
    /// Each step's JSON, as the model wrote it: what a re-plan shows the model of the steps not yet run.
    public let written: [String: JSONValue]

    /// The kinds a plan's steps may have.
    public static let kinds = ["llm", "tool"]

    /// Reads and checks a plan.
    ///
    /// - Parameters:
    ///   - value: The plan, as `{"steps": [...]}`.
    ///   - tools: The tools its steps may call; every other name is an error.
    ///   - maxSteps: The most steps it may have.
    ///   - completed: The ids of steps that have completed, for a plan of the steps that remain: its steps may
    ///     depend on them and refer to their outputs, and may not take their ids.
    ///   - failed: The ids of steps that ran and failed, which its steps may not take either.
    ///
    ///   A plan of what remains — with steps that ran — may have no steps, meaning that nothing remains to do.
    /// - Throws: ``WorkflowError`` with every problem, each with its JSON path in the plan.
    public init(
        _ value: JSONValue, tools: ToolRegistry, maxSteps: Int = 10, completed: Set<String> = [],
        failed: Set<String> = []
    ) throws(WorkflowError) {
        guard case .object(let members) = value else {
            throw WorkflowError(diagnostics: [
                WorkflowDiagnostic(.wrongType, at: "$", "a plan is an object with 'steps', not \(value.typeName)")
            ])
        }
        var diagnostics = members.keys.sorted().filter { $0 != "steps" }.map { key in
            WorkflowDiagnostic(.unknownField, at: "$.\(key)", "a plan has only 'steps'; remove '\(key)'")
        }
        guard let stepsValue = members["steps"] else {
            throw WorkflowError(
                diagnostics: diagnostics + [
                    WorkflowDiagnostic(.missingField, at: "$", "missing 'steps': an array of steps")
                ])
        }
        if !completed.isEmpty || !failed.isEmpty, stepsValue.arrayValue?.isEmpty == true, diagnostics.isEmpty {
            self.steps = []
            self.written = [:]
            return
        }
        for (index, step) in (stepsValue.arrayValue ?? []).enumerated() {
            if let kind = step["kind"]?.stringValue, WorkflowStep.Kind.names.contains(kind), !Self.kinds.contains(kind)
            {
                diagnostics.append(
                    WorkflowDiagnostic(
                        .badKind, at: "$.steps[\(index)].kind",
                        "a plan's steps are llm or tool steps, not \(kind); use depends_on to order them"))
            }
        }
        if let count = stepsValue.arrayValue?.count, count > maxSteps {
            diagnostics.append(
                WorkflowDiagnostic(
                    .badValue, at: "$.steps", "the plan has \(count) steps; it may have at most \(maxSteps)"))
        }
        var parser = WorkflowParser(tools: Set(tools.tools.map(\.name)), completed: completed, failed: failed)
        let definition = parser.definition(["name": "plan", "version": "1", "steps": stepsValue])
        diagnostics += parser.diagnostics
        for (index, step) in (definition?.steps ?? []).enumerated() {
            diagnostics += Self.checkInput(of: step, at: "$.steps[\(index)]", tools: tools)
        }
        guard let definition, diagnostics.isEmpty else {
            throw WorkflowError(diagnostics: WorkflowDiagnostic.inOrder(diagnostics))
        }
        self.steps = definition.steps
        var written: [String: JSONValue] = [:]
        for step in stepsValue.arrayValue ?? [] {
            if let id = step["id"]?.stringValue { written[id] = step }
        }
        self.written = written
    }

    /// The plan as a workflow that runs its steps. A plan of what remains depends on steps it does not hold: run
    /// it with their outputs, as the Reactive template does, not as a workflow of its own.
    public var workflow: WorkflowDefinition {
        WorkflowDefinition(name: "plan", version: "1", steps: steps)
    }

    /// What a tool step's input breaks in the tool's parameters, leaving out what a reference stands for: its
    /// value is known only when the step runs, when it is checked again.
    private static func checkInput(of step: WorkflowStep, at path: String, tools: ToolRegistry) -> [WorkflowDiagnostic]
    {
        guard case .tool(let name, let input) = step.kind, let tool = tools[name] else { return [] }
        let templated = Set(templatedPaths(in: input, at: "$"))
        return tool.parameters.validate(input).filter { !templated.contains($0.path) }.map { violation in
            WorkflowDiagnostic(
                .badValue, at: "\(path).input" + violation.path.dropFirst(),
                "\(violation.message), for the parameters of \(name)")
        }
    }

    /// The paths of the strings in `value` that hold a reference, as the validator writes paths.
    private static func templatedPaths(in value: JSONValue, at path: String) -> [String] {
        switch value {
        case .string(let text): text.contains("${") ? [path] : []
        case .array(let elements):
            elements.indices.flatMap { templatedPaths(in: elements[$0], at: "\(path)[\($0)]") }
        case .object(let members):
            members.flatMap { templatedPaths(in: $0.value, at: JSONPath.appending($0.key, to: path)) }
        default: []
        }
    }
}
