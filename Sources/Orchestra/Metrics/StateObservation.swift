public import Foundation

/// One state's execution, as a ``MetricsSink`` receives it when the run it belongs to ends.
///
/// A composite's children are observed one by one: each item of a `ForEach` is an observation, with its own
/// ``path`` (`Research/ForEach[3]/Search`) and the same ``key`` (`Research/ForEach/Search`).
public struct StateObservation: Sendable, Hashable {
    /// The run.
    public var runID: RunID
    /// The step the state ran as.
    public var step: Int
    /// Where the state ran, composite indices included: `Research/ForEach[3]/Search`.
    public var path: StatePath
    /// The path without composite indices, as ``RunMetrics/states`` is keyed: `Research/ForEach/Search`. A label
    /// of few values, fit for a metrics system's dimension.
    public var key: String
    /// How long the state took, every retry included; `nil` when the record did not measure it.
    public var duration: Duration?
    /// Whether the state threw.
    public var failed: Bool
    /// How many times a retry policy ran it again after a failure.
    public var retries: Int
    /// The tokens it recorded; ``TokenUsage/zero`` when none.
    public var tokens: TokenUsage
    /// The part of ``tokens`` each named model used.
    public var tokensByModel: [String: TokenUsage]
    /// What the priced tokens cost; `nil` when there is no price table. Tokens it could not price are in
    /// ``unpriced``, not costed as free.
    public var cost: Decimal?
    /// Tokens without a price, by model name; `""` for tokens recorded without a model's name.
    public var unpriced: [String: TokenUsage]

    /// Creates an observation; its ``key`` is `path` without composite indices.
    ///
    /// - Parameters:
    ///   - runID: The run.
    ///   - step: The step the state ran as.
    ///   - path: Where the state ran, composite indices included.
    ///   - duration: How long it took, if measured.
    ///   - failed: Whether it threw.
    ///   - retries: How many times a retry policy ran it again.
    ///   - tokens: The tokens it recorded.
    ///   - tokensByModel: The part of `tokens` each named model used.
    ///   - cost: What the priced tokens cost; `nil` without a price table.
    ///   - unpriced: Tokens without a price, by model name (`""` for none).
    public init(
        runID: RunID, step: Int, path: StatePath, duration: Duration?, failed: Bool = false, retries: Int = 0,
        tokens: TokenUsage = .zero, tokensByModel: [String: TokenUsage] = [:], cost: Decimal? = nil,
        unpriced: [String: TokenUsage] = [:]
    ) {
        self.runID = runID
        self.step = step
        self.path = path
        self.key = RunMetrics.key(for: path)
        self.duration = duration
        self.failed = failed
        self.retries = retries
        self.tokens = tokens
        self.tokensByModel = tokensByModel
        self.cost = cost
        self.unpriced = unpriced
    }
}
