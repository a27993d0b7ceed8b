public import Foundation

/// Metrics of runs and of their states — counts, failures, retries, latency percentiles, tokens, and cost from a
/// ``PriceTable`` — built from run records, as a value.
///
/// ```swift
/// let prices = try PriceTable([ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.60)])
/// var metrics = RunMetrics(records: records, prices: prices)
/// metrics.add(await handle.record)
/// print(metrics.latency.p99, metrics.cost, metrics.states["Research/Search"]?.failures ?? 0)
/// print(metrics.table)   // as a Markdown table
/// ```
///
/// A ``MetricsCollector`` keeps one up to date as an orchestration's runs end. Its memory does not grow with the
/// number of runs: percentiles come from a ``LatencySketch``. Two values ``merge(_:)`` into the metrics of both
/// sets of runs, so that metrics from several processes or periods add up.
///
/// Tokens whose model the price table does not price, or that a state recorded without a model's name, are not
/// costed as free: ``unpriced`` reports them, by model. Costs are in the price table's currency.
public struct RunMetrics: Sendable, Codable, Hashable {
    /// The prices ``add(_:)`` costs tokens with; `nil` leaves every token ``unpriced``.
    public var prices: PriceTable?
    /// How many runs were measured (a run that suspended and was resumed counts once per part).
    public private(set) var runs = 0
    /// How many completed.
    public private(set) var completed = 0
    /// How many failed.
    public private(set) var failed = 0
    /// How many were cancelled.
    public private(set) var cancelled = 0
    /// How many suspended, waiting for an answer.
    public private(set) var suspended = 0
    /// The runs' durations.
    public private(set) var latencies = LatencySketch()
    /// The tokens every state of every run recorded.
    public private(set) var tokens = TokenUsage.zero
    /// What the priced tokens cost, in the currency of ``prices``.
    public private(set) var cost = Decimal.zero
    /// Tokens without a price, by model name; `""` for tokens recorded without a model's name.
    public private(set) var unpriced: [String: TokenUsage] = [:]
    /// Each state's metrics, by its path without composite indices (``key(for:)``), as in `Research/ForEach/Search`:
    /// a `ForEach` of 100 items is one entry.
    public private(set) var states: [String: StateMetrics] = [:]

    /// Creates empty metrics.
    ///
    /// - Parameter prices: The prices to cost tokens with; `nil` leaves every token unpriced.
    public init(prices: PriceTable? = nil) {
        self.prices = prices
    }

    /// Creates the metrics of `records`.
    ///
    /// - Parameters:
    ///   - records: Records of ended runs, as the terminal events and ``RunHandle/record`` hand them out.
    ///   - prices: The prices to cost tokens with; `nil` leaves every token unpriced.
    public init(records: some Sequence<RunRecord>, prices: PriceTable? = nil) {
        self.init(prices: prices)
        for record in records { add(record) }
    }

    /// The runs' latency: count, percentiles, extremes, mean and total.
    public var latency: LatencySummary { latencies.summary }

    /// All the tokens that could not be priced, together.
    public var unpricedTokens: TokenUsage { unpriced.values.reduce(.zero, +) }

    /// The metrics of the state at `path`, composite indices and all: `Research/ForEach[3]/Search` finds those of
    /// `Research/ForEach/Search`.
    ///
    /// - Parameter path: The state's path, as an event or a record step names it.
    public subscript(path: StatePath) -> StateMetrics? { states[Self.key(for: path)] }

    /// Adds one run: its status, duration, and every state it executed.
    ///
    /// - Parameter record: The run's record.
    public mutating func add(_ record: RunRecord) {
        add(RecordObservations(record, prices: prices))
    }

    /// Adds the part of a run that ran after it was resumed at `step`: the record of a resumed run also holds the
    /// steps of its earlier parts, which the records they ended with (suspended, failed or cancelled) counted.
    ///
    /// The part begins at the last step of the machine numbered `step` — the state it resumed with, which runs first;
    /// the steps before it were carried over, an earlier failed attempt of that state included. Its duration is
    /// measured from that step's start.
    ///
    /// - Parameters:
    ///   - record: The resumed run's record.
    ///   - step: The step it resumed at: ``OrchestrationEvent/step`` of its ``OrchestrationEvent/Kind/runResumed``
    ///     event, or ``Suspension/step`` for a suspended run.
    public mutating func add(_ record: RunRecord, resumedAt step: Int) {
        add(
            RecordObservations(
                record, from: ResumeLedger.start(of: record, resumedAt: step), resumedAt: step, prices: prices))
    }

    /// Adds what one record came to.
    mutating func add(_ observations: RecordObservations) {
        for state in observations.states {
            states[state.key, default: StateMetrics(path: state.key)].add(state)
        }
        let run = observations.run
        runs = saturatingSum(runs, 1)
        switch run.status {
        case .completed: completed = saturatingSum(completed, 1)
        case .failed: failed = saturatingSum(failed, 1)
        case .cancelled: cancelled = saturatingSum(cancelled, 1)
        case .suspended: suspended = saturatingSum(suspended, 1)
        case .running: break
        }
        if let duration = run.duration { latencies.add(duration) }
        tokens += run.tokens
        cost += run.cost ?? .zero
        unpriced.merge(run.unpriced, uniquingKeysWith: +)
    }

    /// Adds the runs `other` measured: the result is the metrics of both sets of runs. The prices stay this value's;
    /// `other`'s costs were computed with its own.
    ///
    /// - Parameter other: Metrics of other runs.
    public mutating func merge(_ other: RunMetrics) {
        runs = saturatingSum(runs, other.runs)
        completed = saturatingSum(completed, other.completed)
        failed = saturatingSum(failed, other.failed)
        cancelled = saturatingSum(cancelled, other.cancelled)
        suspended = saturatingSum(suspended, other.suspended)
        latencies.merge(other.latencies)
        tokens += other.tokens
        cost += other.cost
        unpriced.merge(other.unpriced, uniquingKeysWith: +)
        for (key, state) in other.states {
            states[key, default: StateMetrics(path: key)].merge(state)
        }
    }

    /// The metrics of both this value's runs and `other`'s.
    ///
    /// - Parameter other: Metrics of other runs.
    /// - Returns: The merged metrics; see ``merge(_:)``.
    public func merging(_ other: RunMetrics) -> RunMetrics {
        var merged = self
        merged.merge(other)
        return merged
    }

    /// The key of the state at `path` in ``states``: its components without composite indices, joined by `/` —
    /// `Research/ForEach[3]/Search` is `Research/ForEach/Search`.
    ///
    /// - Parameter path: The state's path.
    /// - Returns: The key.
    public static func key(for path: StatePath) -> String {
        path.components.map(withoutIndex).joined(separator: "/")
    }

    /// `ForEach[3]` as `ForEach`; a component with no index as it is.
    private static func withoutIndex(_ component: String) -> Substring {
        guard component.last == "]", let open = component.lastIndex(of: "[") else { return Substring(component) }
        let digits = component[component.index(after: open)..<component.index(before: component.endIndex)]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return Substring(component)
        }
        return component[..<open]
    }
}
