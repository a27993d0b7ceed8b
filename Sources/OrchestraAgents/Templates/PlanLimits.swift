/// The bounds of the Planner and Reactive templates: how big a plan may be, how often an invalid plan goes back
/// to the model, how often a run may plan again.
public struct PlanLimits: Sendable, Hashable {
    /// The most steps of a plan, and of a re-plan.
    public var maxSteps: Int
    /// The most times an invalid plan goes back to the model with its problems, before the run fails.
    public var maxRepairs: Int
    /// The most re-plans of a Reactive run.
    public var maxReplans: Int
    /// The most tokens per model call; the model's default when `nil`.
    public var maxTokens: Int?
    /// The most characters of a step's output shown to the model when it plans again or answers; longer
    /// outputs are cut, with a mark.
    public var outputExcerpt: Int

    /// What is wrong with these limits, naming the field; `nil` when they can be used.
    var problem: String? {
        if maxSteps < 1 { return "PlanLimits.maxSteps is \(maxSteps); it must be at least 1" }
        if maxRepairs < 0 { return "PlanLimits.maxRepairs is \(maxRepairs); it must be 0 or more" }
        if maxReplans < 0 { return "PlanLimits.maxReplans is \(maxReplans); it must be 0 or more" }
        if let maxTokens, maxTokens < 1 { return "PlanLimits.maxTokens is \(maxTokens); it must be at least 1" }
        if outputExcerpt < 1 { return "PlanLimits.outputExcerpt is \(outputExcerpt); it must be at least 1" }
        return nil
    }

    /// Creates limits. A Planner or Reactive run with limits out of range fails at its first state with
    /// ``OrchestrationError/Code/invalidConfiguration``, naming the field.
    public init(
        maxSteps: Int = 8, maxRepairs: Int = 2, maxReplans: Int = 3, maxTokens: Int? = nil, outputExcerpt: Int = 2_000
    ) {
        self.maxSteps = maxSteps
        self.maxRepairs = maxRepairs
        self.maxReplans = maxReplans
        self.maxTokens = maxTokens
        self.outputExcerpt = outputExcerpt
    }
}

/// Why a Reactive run stopped planning: it needed another re-plan, and had used them all.
public struct ReplanLimitReached: Error, Sendable, Hashable, CustomStringConvertible {
    /// The re-plans it made.
    public var replans: Int
    /// Why it needed another.
    public var reason: String

    /// Creates the error.
    public init(replans: Int, reason: String) {
        self.replans = replans
        self.reason = reason
    }

    /// As in `the plan was revised 3 times, the most allowed, and needs revising again: step 'fetch' failed: …`.
    public var description: String {
        "the plan was revised \(replans) \(replans == 1 ? "time" : "times"), the most allowed, and needs revising "
            + "again: \(reason); raise maxReplans, or give the model tools that can do the work"
    }
}
