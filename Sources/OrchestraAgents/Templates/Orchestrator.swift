import Synchronization

/// One call for "just answer this": a selector chooses the orchestration type for each request, and the
/// orchestrator runs the matching template and streams its events.
///
/// ```swift
/// let orchestrator = Orchestrator(model: model, tools: tools, workflows: [dataAnalysis])
/// let run = try await orchestrator.start("Search the web for solar panel prices, then compare them")
/// print(run.choice)                                  // planner (0.93, rules): …
/// for await event in run.events { … }                // the template's events, as any run's
/// let answer = try await run.handle.value
/// ```
///
/// Each template is built once, when the orchestrator is made, as an ``Orchestration`` from a request to an
/// answer: ``Orchestration/simple(model:instructions:tools:maxTokens:options:)``, one per workflow for Fixed,
/// ``Orchestration/planner(model:tools:instructions:limits:options:)`` and
/// ``Orchestration/reactive(model:tools:instructions:limits:options:decide:)``. ``orchestration(for:)`` hands
/// them out, to attach a monitor or hooks. A Fixed run takes the request as `${input}`, and answers with the
/// workflow's output as text.
///
/// **Which workflow.** A `fixed` choice runs the workflow named by the rule that chose it
/// (``OrchestrationChoice/rule``); a choice with no rule, the only workflow there is. Otherwise — no workflow, a
/// rule that names none, or several workflows and no rule — ``start(_:)`` throws ``OrchestratorError`` before
/// anything runs.
///
/// **Auditing.** `audit.attach(to: orchestrator)` has an ``AuditLog`` write every template's runs and,
/// for each run, the selector's choice as a `selection` decision.
public final class Orchestrator: Sendable {
    /// What chooses the type of each request.
    public let selector: any OrchestrationSelector
    private let simple: Orchestration<String, String>
    private let planner: Orchestration<String, String>
    private let reactive: Orchestration<String, String>
    private let fixed: [String: Orchestration<String, String>]
    /// Told of each choice and the run it started: the audit logs attached to the orchestrator.
    private let choiceWatchers = Mutex<[@Sendable (OrchestrationChoice, RunID) -> Void]>([])

    /// Creates an orchestrator and its templates.
    ///
    /// - Parameters:
    ///   - model: The model every template uses.
    ///   - tools: The tools plans and workflows may call.
    ///   - selector: Chooses the type of each request; rules that know `tools` by default.
    ///   - workflows: The workflows a `fixed` choice may run, by name.
    ///   - instructions: The system message of Simple's answer, and of Planner's and Reactive's.
    ///   - limits: The bounds on plans and re-plans.
    ///   - options: Every template's orchestration options.
    ///   - answer: Answers the `input` steps of `workflows`; required when one has any.
    /// - Throws: ``WorkflowError`` for a workflow that cannot run with `tools`, or two workflows of one name.
    public init(
        model: any ChatModel, tools: ToolRegistry = ToolRegistry(), selector: (any OrchestrationSelector)? = nil,
        workflows: [WorkflowDefinition] = [], instructions: String = "", limits: PlanLimits = PlanLimits(),
        options: OrchestrationOptions = OrchestrationOptions(), answer: WorkflowRunnable.Answer? = nil
    ) throws(WorkflowError) {
        self.selector = selector ?? RuleBasedSelector(tools: tools)
        simple = .simple(
            model: model, instructions: instructions, tools: tools, maxTokens: limits.maxTokens, options: options)
        planner = .planner(model: model, tools: tools, instructions: instructions, limits: limits, options: options)
        reactive = .reactive(model: model, tools: tools, instructions: instructions, limits: limits, options: options)
        var fixed: [String: Orchestration<String, String>] = [:]
        for (index, workflow) in workflows.enumerated() {
            guard fixed[workflow.name] == nil else {
                throw WorkflowError(diagnostics: [
                    WorkflowDiagnostic(
                        .duplicateID, at: "$.name",
                        "workflows[\(index)] is named '\(workflow.name)', as an earlier workflow is; a fixed choice "
                            + "names its workflow, so each needs a name of its own")
                ])
            }
            let runnable = try WorkflowRunnable(
                workflow, model: model, tools: tools, maxTokens: limits.maxTokens, answer: answer)
            let state = Runnable<String, String>(workflow.name) { request, context in
                WorkflowScope.text(of: try await runnable.invoke(.string(request), context: context))
            }
            fixed[workflow.name] = Orchestration(state, options: options)
        }
        self.fixed = fixed
    }

    /// Chooses the type for `request` and starts the template's run.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The choice and the run.
    /// - Throws: What the selector throws, and ``OrchestratorError`` for a `fixed` choice with no workflow to run.
    public func start(_ request: String) async throws -> OrchestratorRun {
        let choice = try await selector.select(request)
        let handle = try orchestration(for: choice).start(request)
        for watcher in choiceWatchers.withLock({ $0 }) { watcher(choice, handle.id) }
        return OrchestratorRun(choice: choice, handle: handle)
    }

    /// Calls `watcher` with each choice ``start(_:)`` makes and the id of the run it starts, as the run starts.
    func watchChoices(_ watcher: @escaping @Sendable (OrchestrationChoice, RunID) -> Void) {
        choiceWatchers.withLock { $0.append(watcher) }
    }

    /// Every template's orchestration: Simple, Planner, Reactive, and one per workflow.
    var orchestrations: [Orchestration<String, String>] {
        [simple, planner, reactive] + fixed.keys.sorted().compactMap { fixed[$0] }
    }

    /// Chooses the type for `request`, runs the template and returns its answer.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The answer.
    /// - Throws: What ``start(_:)`` throws, and the run's ``OrchestrationError``.
    public func run(_ request: String) async throws -> String {
        try await start(request).handle.value
    }

    /// The orchestration a choice runs.
    ///
    /// - Parameter choice: A selector's choice.
    /// - Returns: The template's orchestration.
    /// - Throws: ``OrchestratorError`` for a `fixed` choice with no workflow to run.
    public func orchestration(for choice: OrchestrationChoice) throws(OrchestratorError) -> Orchestration<
        String, String
    > {
        switch choice.type {
        case .simple: return simple
        case .planner: return planner
        case .reactive: return reactive
        case .fixed:
            if let name = choice.rule {
                if let named = fixed[name] { return named }
            } else if fixed.count == 1, let only = fixed.values.first {
                return only
            }
            throw OrchestratorError(choice: choice, workflows: fixed.keys.sorted())
        }
    }

    /// The orchestration of a type: for `fixed`, of the workflow named `workflow`.
    ///
    /// - Parameters:
    ///   - type: The type.
    ///   - workflow: For `fixed`, the workflow's name.
    /// - Returns: The orchestration, or `nil` for `fixed` with no such workflow.
    public func orchestration(for type: OrchestrationType, workflow: String? = nil) -> Orchestration<String, String>? {
        switch type {
        case .simple: simple
        case .planner: planner
        case .reactive: reactive
        case .fixed: workflow.flatMap { fixed[$0] }
        }
    }
}

/// A request's run: the type chosen for it, and the run of that template.
public struct OrchestratorRun: Sendable {
    /// The selector's choice.
    public let choice: OrchestrationChoice
    /// The run.
    public let handle: RunHandle<String>

    /// The run's events.
    public var events: RunEvents { handle.events }
}

/// A `fixed` choice with no workflow to run: the orchestrator has none, its rule names none of them, or there are
/// several and it has no rule.
public struct OrchestratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The choice.
    public var choice: OrchestrationChoice
    /// The names of the workflows the orchestrator has.
    public var workflows: [String]

    /// Creates the error.
    public init(choice: OrchestrationChoice, workflows: [String]) {
        self.choice = choice
        self.workflows = workflows
    }

    /// What is missing and what to do.
    public var description: String {
        let chosen = choice.rule.map { " by rule '\($0)'" } ?? ""
        if workflows.isEmpty {
            return "the request was given to a fixed workflow\(chosen), and the orchestrator has none; pass "
                + "`workflows:` to Orchestrator, or let the selector choose another type"
        }
        return "the request was given to a fixed workflow\(chosen), and no workflow is named so; the workflows are "
            + "\(workflows.joined(separator: ", ")): name a selection rule after the workflow it chooses"
    }
}
