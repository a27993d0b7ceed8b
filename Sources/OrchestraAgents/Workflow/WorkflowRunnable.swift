public import Orchestra

/// A state that runs a ``WorkflowDefinition``: its steps run as child states named by their ids, each as soon as
/// the steps it depends on have completed, with their retries and timeouts.
///
/// ```swift
/// let workflow = try WorkflowDefinition(json: data, tools: tools)
/// let analysis = try WorkflowRunnable(workflow, model: model, tools: tools)
/// let result = try await Orchestration(analysis).run(["year": 2025])     // the workflow's output
/// ```
///
/// The input is the workflow's `${input}`; the output is its `output` template's value, or the output of its
/// last top-level step. A run's events and record show each step under the workflow's state, as
/// `data-analysis/visualize/chart`, and a loop's iterations numbered from 0, as `refine[1]/draft` for the second.
///
/// **What each step returns.** An `llm` step, the model's text — or, with an `output_schema`, the JSON it
/// answered, checked against the schema (an answer that breaks it is sent back for repair, as
/// ``AgentRunnable`` does). A `tool` step, the tool's result; its input, with its references replaced, must
/// satisfy the tool's parameters. An `input` step, the person's answer. A `branch`, the output of the last step
/// of the side it took (`null` for an empty `else`). A `parallel` step, an object of its steps' outputs by id. A
/// `loop`, the output of its last step in its last iteration; inside, `${loop.output}` is the iteration before.
///
/// **Failures.** A step that fails after its retries fails the run, naming its path; the steps still running are
/// cancelled, and what completed is in the run's record. A reference with no value at run time, or a tool input
/// the tool's schema rejects, is a ``WorkflowRunError`` naming the step. A loop whose condition never holds fails
/// with ``OrchestrationError/Code/iterationLimitReached``.
public final class WorkflowRunnable: Runnable<JSONValue, JSONValue>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    /// What answers an `input` step: the question, and the answer as JSON.
    public typealias Answer = @Sendable (WorkflowQuestion) async throws -> JSONValue

    /// The workflow it runs.
    public let definition: WorkflowDefinition
    let executor: WorkflowExecutor

    /// Creates the state, checking the definition first.
    ///
    /// - Parameters:
    ///   - definition: The workflow.
    ///   - model: The model `llm` steps ask.
    ///   - tools: The tools `tool` steps call.
    ///   - maxTokens: The most tokens per model call; the model's default when `nil`.
    ///   - name: The state's name; the workflow's name by default.
    ///   - answer: Answers `input` steps; required when the workflow has any.
    /// - Throws: ``WorkflowError`` with every problem of the definition — including an `input` step with no
    ///   `answer` to ask.
    public init(
        _ definition: WorkflowDefinition, model: any ChatModel, tools: ToolRegistry = ToolRegistry(),
        maxTokens: Int? = nil, name: String? = nil, answer: Answer? = nil
    ) throws(WorkflowError) {
        var diagnostics = definition.validate(tools: tools)
        if answer == nil {
            diagnostics += Self.inputSteps(definition.steps, at: "$.steps").map { path in
                WorkflowDiagnostic(
                    .needsPerson, at: path,
                    "an input step waits for a person's answer; pass `answer:` to say who answers it")
            }
        }
        guard diagnostics.isEmpty else { throw WorkflowError(diagnostics: WorkflowDiagnostic.inOrder(diagnostics)) }
        self.definition = definition
        executor = WorkflowExecutor(model: model, tools: tools, answer: answer, maxTokens: maxTokens)
        super.init(name: name ?? definition.name)
    }

    /// Runs the workflow on `input`.
    ///
    /// - Returns: The value of the workflow's `output`, or the output of its last top-level step.
    /// - Throws: What the failing step threw, as an ``OrchestrationError`` naming it, or a ``WorkflowRunError``.
    public override func invoke(_ input: JSONValue, context: RunContext) async throws -> JSONValue {
        let scope = try await executor.run(definition.steps, in: WorkflowScope(input: input), context: context)
        return try Self.output(of: definition, in: scope)
    }

    /// The workflow's output, from the outputs of its steps.
    static func output(of definition: WorkflowDefinition, in scope: WorkflowScope) throws(WorkflowRunError)
        -> JSONValue
    {
        if let output = definition.output { return try scope.value(output, for: "output") }
        guard let last = definition.steps.last else { return .null }
        return scope.outputs[last.id] ?? .null
    }

    private static func inputSteps(_ steps: [WorkflowStep], at path: String) -> [String] {
        steps.indices.flatMap { index -> [String] in
            let here = "\(path)[\(index)]"
            if case .input = steps[index].kind { return [here] }
            return steps[index].kind.children.flatMap { inputSteps($0.steps, at: "\(here).\($0.member)") }
        }
    }
}

/// What an `input` step asks a person.
public struct WorkflowQuestion: Sendable, Hashable {
    /// The id of the step that asks.
    public var step: String
    /// The question, its references replaced.
    public var prompt: String
    /// The run that waits for the answer.
    public var runID: RunID

    /// Creates a question.
    public init(step: String, prompt: String, runID: RunID) {
        self.step = step
        self.prompt = prompt
        self.runID = runID
    }
}
