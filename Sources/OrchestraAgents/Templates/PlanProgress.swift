/// Where a Planner or Reactive run is: the request, the steps not yet run, and what each step that ran gave —
/// the value that flows from state to state of those templates.
public struct PlanProgress: Sendable, Hashable {
    /// The request the plan answers.
    public let request: String
    /// The steps not yet run, in the order planned.
    public internal(set) var remaining: [WorkflowStep]
    /// Every step that ran, in the order they finished, failures included.
    public internal(set) var outcomes: [StepOutcome] = []
    /// The steps that ran in the last visit of the state that runs them.
    public internal(set) var latest: [StepOutcome] = []
    /// How often the remaining steps were planned again.
    public internal(set) var replans = 0
    /// What the Reactive template does next, once decided.
    public internal(set) var decision: ReactiveDecision?
    /// Each planned step's JSON as the model wrote it, by id.
    var written: [String: JSONValue]

    /// Creates the progress of a plan: one that has not started, or — to test a `decide` closure — one whose
    /// steps in `ran` have run, in the visit just made.
    ///
    /// - Parameters:
    ///   - request: The request.
    ///   - plan: The plan for it.
    ///   - ran: Steps of the plan that ran, in the order they finished: the ``latest``, no longer remaining.
    ///   - replans: How often the plan was revised.
    public init(request: String, plan: AgentPlan, ran: [StepOutcome] = [], replans: Int = 0) {
        self.request = request
        self.remaining = plan.steps
        self.written = plan.written
        self.replans = replans
        record(ran)
    }

    /// The outputs of the steps that completed, by id.
    public var outputs: [String: JSONValue] {
        var outputs: [String: JSONValue] = [:]
        for outcome in outcomes {
            if let output = outcome.output { outputs[outcome.step.id] = output }
        }
        return outputs
    }

    /// The remaining steps whose dependencies have all completed.
    public var ready: [WorkflowStep] {
        let done = outputs
        return remaining.filter { $0.dependsOn.allSatisfy { done[$0] != nil } }
    }

    /// Adds what a visit ran.
    mutating func record(_ outcomes: [StepOutcome]) {
        let ran = Set(outcomes.map(\.step.id))
        remaining.removeAll { ran.contains($0.id) }
        self.outcomes += outcomes
        latest = outcomes
    }
}

/// What one step of a plan gave: its output, or why it failed.
public struct StepOutcome: Sendable, Hashable {
    /// The step.
    public var step: WorkflowStep
    /// Its output, when it completed.
    public var output: JSONValue?
    /// What it failed with, when it failed.
    public var failure: String?

    /// A step that completed.
    public static func completed(_ step: WorkflowStep, _ output: JSONValue) -> StepOutcome {
        StepOutcome(step: step, output: output, failure: nil)
    }

    /// A step that failed.
    public static func failed(_ step: WorkflowStep, _ failure: String) -> StepOutcome {
        StepOutcome(step: step, output: nil, failure: failure)
    }
}

/// What the Reactive template does after the steps of a visit have run.
public enum ReactiveDecision: Sendable, Hashable {
    /// Runs the next steps of the plan.
    case `continue`
    /// Has the model plan the steps not yet run again, for this reason.
    case replan(because: String)
    /// Stops running steps, and writes the answer from what completed.
    case finish
}
