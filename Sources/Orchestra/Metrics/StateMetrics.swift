public import Foundation

/// What one state did over every run measured: how often it ran and failed, its retries, its latency, its tokens
/// and their cost.
///
/// A state inside composites is one row however many times they ran it: the 100 items of a `ForEach` are 100
/// executions of `Research/ForEach/Search` (see ``RunMetrics/key(for:)``).
///
/// ```swift
/// let search = metrics.states["Research/ForEach/Search"]
/// print(search?.latency.p90 ?? .zero, search?.failures ?? 0)
/// ```
public struct StateMetrics: Sendable, Codable, Hashable {
    /// The state's path without composite indices, as in `Research/ForEach/Search`: its key in
    /// ``RunMetrics/states``.
    public let path: String
    /// How many times it ran.
    public private(set) var count = 0
    /// How many of those ended with the state throwing.
    public private(set) var failures = 0
    /// How many times a retry policy ran it again after a failure, in all.
    public private(set) var retries = 0
    /// Its durations, every retry of an execution included in that execution's.
    public private(set) var latencies = LatencySketch()
    /// The tokens it recorded.
    public private(set) var tokens = TokenUsage.zero
    /// What its priced tokens cost, in the currency of the ``PriceTable``; the tokens it could not price are in
    /// ``unpriced``.
    public private(set) var cost = Decimal.zero
    /// Tokens without a price, by model name; `""` for tokens recorded without a model's name. Every token is here
    /// when the metrics have no price table.
    public private(set) var unpriced: [String: TokenUsage] = [:]

    /// Creates the empty metrics of the state at `path`.
    ///
    /// - Parameter path: The path without composite indices.
    public init(path: String) {
        self.path = path
    }

    /// Its latency: count, percentiles, extremes, mean and total.
    public var latency: LatencySummary { latencies.summary }

    /// All the tokens it could not price, together.
    public var unpricedTokens: TokenUsage { unpriced.values.reduce(.zero, +) }

    /// Counts one execution.
    ///
    /// - Parameter observation: The execution.
    public mutating func add(_ observation: StateObservation) {
        count = saturatingSum(count, 1)
        if observation.failed { failures = saturatingSum(failures, 1) }
        retries = saturatingSum(retries, max(observation.retries, 0))
        if let duration = observation.duration { latencies.add(duration) }
        tokens += observation.tokens
        cost += observation.cost ?? .zero
        unpriced.merge(observation.unpriced, uniquingKeysWith: +)
    }

    /// Adds what `other` measured of the same state.
    ///
    /// - Parameter other: Metrics of the same state, from other runs.
    public mutating func merge(_ other: StateMetrics) {
        count = saturatingSum(count, other.count)
        failures = saturatingSum(failures, other.failures)
        retries = saturatingSum(retries, other.retries)
        latencies.merge(other.latencies)
        tokens += other.tokens
        cost += other.cost
        unpriced.merge(other.unpriced, uniquingKeysWith: +)
    }
}
