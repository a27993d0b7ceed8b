public import Foundation

/// One run's end, as a ``MetricsSink`` receives it, after the observations of the states it ran.
///
/// A run that suspends and is resumed is observed once per part: the part that ended in
/// ``RunRecord/Status/suspended``, then the resumed part (``resumedAt`` is its first step), each with only the states
/// it ran and its own duration.
public struct RunObservation: Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// How it ended.
    public var status: RunRecord.Status
    /// How long it took, or the resumed part took; `nil` when the record did not measure it.
    public var duration: Duration?
    /// The step the observed part began at: `nil` for a run from its start, the step it resumed at otherwise.
    public var resumedAt: Int?
    /// How many states it executed, composites' children included.
    public var states: Int
    /// The tokens its states recorded.
    public var tokens: TokenUsage
    /// What the priced tokens cost; `nil` when there is no price table.
    public var cost: Decimal?
    /// Tokens without a price, by model name; `""` for tokens recorded without a model's name.
    public var unpriced: [String: TokenUsage]

    /// Creates an observation.
    ///
    /// - Parameters:
    ///   - runID: The run.
    ///   - status: How it ended.
    ///   - duration: How long it, or its resumed part, took, if measured.
    ///   - resumedAt: The step a resumed part began at; `nil` for a run from its start.
    ///   - states: How many states it executed.
    ///   - tokens: The tokens its states recorded.
    ///   - cost: What the priced tokens cost; `nil` without a price table.
    ///   - unpriced: Tokens without a price, by model name (`""` for none).
    public init(
        runID: RunID, status: RunRecord.Status, duration: Duration?, resumedAt: Int? = nil, states: Int = 0,
        tokens: TokenUsage = .zero, cost: Decimal? = nil, unpriced: [String: TokenUsage] = [:]
    ) {
        self.runID = runID
        self.status = status
        self.duration = duration
        self.resumedAt = resumedAt
        self.states = states
        self.tokens = tokens
        self.cost = cost
        self.unpriced = unpriced
    }
}
