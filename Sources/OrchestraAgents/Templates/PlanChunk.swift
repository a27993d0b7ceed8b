/// What the Planner and Reactive templates tell a run's watchers about their plans, as chunks of the run's
/// events: `event.chunk(as: PlanChunk.self)`.
public enum PlanChunk: Sendable, Hashable, ConsoleDisplayable {
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
