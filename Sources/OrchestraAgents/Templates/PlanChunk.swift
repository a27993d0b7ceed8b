/// What the Planner and Reactive templates tell a run's watchers about their plans, as chunks of the run's
/// events: `event.chunk(as: PlanChunk.self)`. Both are decisions an ``AuditLog`` writes (see ``decision``).
public enum PlanChunk: Sendable, Hashable, ConsoleDisplayable, Auditable {
    /// The model planned these steps.
    case planned([WorkflowStep])
    /// The steps not yet run were planned again.
    case replanned(Replan)

    /// A line each.
    public var consoleDisplay: ConsoleDisplay {
        switch self {
        case .planned(let steps): .line("planned: \(Self.names(steps))")
        case .replanned(let replan):
            .line("re-plan \(replan.number) (\(replan.reason)): \(Self.names(replan.old)) → \(Self.names(replan.new))")
        }
    }

    /// The plan as a decision: `plan`, choosing the steps' ids, or `replan`, choosing the new steps' ids, with
    /// its reason and the steps it replaced.
    public var decision: RunDecision? {
        switch self {
        case .planned(let steps):
            RunDecision(
                .plan, choice: Self.names(steps), reason: "the model planned \(Self.count(steps)) for the request",
                details: ["steps": String(steps.count)])
        case .replanned(let replan):
            RunDecision(
                .replan, choice: Self.names(replan.new), reason: replan.reason,
                details: ["number": String(replan.number), "replaced": Self.names(replan.old)])
        }
    }

    private static func count(_ steps: [WorkflowStep]) -> String {
        steps.count == 1 ? "1 step" : "\(steps.count) steps"
    }

    private static func names(_ steps: [WorkflowStep]) -> String {
        steps.isEmpty ? "nothing" : steps.map(\.id).joined(separator: ", ")
    }
}

/// One re-plan of the Reactive template: why, and the steps not yet run before and after.
public struct Replan: Sendable, Hashable {
    /// Which re-plan of the run, from 1.
    public var number: Int
    /// Why the steps were planned again: a step's failure, the reason a `decide` closure gave, or steps left
    /// waiting for steps that did not complete.
    public var reason: String
    /// The steps not yet run, as planned before.
    public var old: [WorkflowStep]
    /// The steps planned instead.
    public var new: [WorkflowStep]

    /// Creates a re-plan.
    public init(number: Int, reason: String, old: [WorkflowStep], new: [WorkflowStep]) {
        self.number = number
        self.reason = reason
        self.old = old
        self.new = new
    }
}
