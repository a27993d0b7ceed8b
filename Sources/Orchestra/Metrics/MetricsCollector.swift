import Synchronization

/// Keeps ``RunMetrics`` of an orchestration's runs up to date as they end, and sends what it measures to
/// ``MetricsSink``s.
///
/// ```swift
/// let prices = try PriceTable([ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.60)])
/// let metrics = try orchestration.collectMetrics(prices: prices, sinks: [StatsDSink()])
/// _ = try await orchestration.run("AI in healthcare")
/// await orchestration.waitForHooks()
/// print(metrics.snapshot.cost)
/// ```
///
/// It is an event hook: it folds each terminal event's record (``OrchestrationEvent/record``) into its metrics, so
/// it measures runs from its attachment on, a moment after they end (``Orchestration/waitForHooks()`` waits for it).
///
/// A resumed run's record holds the steps of its earlier parts again. The collector counts only what each part ran:
/// for a run whose ``OrchestrationEvent/Kind/runResumed`` event it saw, the steps beyond those of the record that
/// run last ended with here (suspended, failed or cancelled), with the part's own duration, from that event to the
/// end. So a run that suspends and is resumed counts as two runs, one suspended and one as it ended, and each state
/// execution once — a failed attempt and the attempt after resuming are two executions. It remembers the step count
/// of the 4,096 runs that last ended resumable; for a run it does not remember (one that ended in another process,
/// or long ago), the part begins at the last step of the machine numbered as the step the run resumed at, which
/// counts the same unless the resumed run was stopped before that state began. Across processes, each process counts
/// what ran in it.
public final class MetricsCollector: Sendable {
    private struct State {
        var metrics: RunMetrics
        var ledger = ResumeLedger()
        var subscriptions: [EventSubscription] = []
    }

    private let state: Mutex<State>
    /// The prices tokens are costed with; `nil` leaves every token unpriced.
    public let prices: PriceTable?
    /// Where observations go, in this order.
    public let sinks: [any MetricsSink]

    /// Creates a collector, to attach to orchestrations with ``attach(to:)``.
    ///
    /// - Parameters:
    ///   - prices: The prices to cost tokens with; `nil` leaves every token unpriced.
    ///   - sinks: Where to send each run's observations as it ends.
    public init(prices: PriceTable? = nil, sinks: [any MetricsSink] = []) {
        self.prices = prices
        self.sinks = sinks
        state = Mutex(State(metrics: RunMetrics(prices: prices)))
    }

    /// The metrics of every run measured so far.
    public var snapshot: RunMetrics { state.withLock { $0.metrics } }

    /// Returns the metrics so far and starts again from none — for a report per period.
    ///
    /// - Returns: The metrics measured since the collector was created or last reset.
    @discardableResult
    public func reset() -> RunMetrics {
        state.withLock { state in
            defer { state.metrics = RunMetrics(prices: prices) }
            return state.metrics
        }
    }

    /// Measures the runs of `orchestration` from now on. One collector may measure several orchestrations.
    ///
    /// - Parameter orchestration: The orchestration.
    /// - Returns: The hook's subscription, to wait for it (``EventSubscription/waitUntilDelivered()``) or cancel it.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/recordsOff`` when the orchestration keeps no run
    ///   records (``OrchestrationOptions/recordsRuns`` is `false` and it has no checkpoint store): its runs' records
    ///   would be empty, and the metrics would silently show nothing.
    @discardableResult
    public func attach<Input, Output>(to orchestration: Orchestration<Input, Output>) throws(MetricsError)
        -> EventSubscription
    {
        let options = orchestration.options
        guard options.recordsRuns || options.checkpoints != nil else {
            throw MetricsError(
                code: .recordsOff,
                message: "the orchestration keeps no run records (OrchestrationOptions.recordsRuns is false and it has "
                    + "no checkpoint store), so there is nothing to measure; set recordsRuns to true")
        }
        let subscription = orchestration.onEvent(.synchronous { [self] event in observe(event) })
        state.withLock { $0.subscriptions.append(subscription) }
        return subscription
    }

    /// Stops measuring every orchestration attached; the metrics so far stay.
    public func detach() {
        let subscriptions = state.withLock { state in
            defer { state.subscriptions = [] }
            return state.subscriptions
        }
        for subscription in subscriptions { subscription.cancel() }
    }

    /// Folds a terminal event's record into the metrics and hands its observations to the sinks.
    func observe(_ event: OrchestrationEvent) {
        if case .runResumed = event.kind {
            state.withLock { $0.ledger.resume(event.runID, at: event.step, time: event.timestamp) }
            return
        }
        guard let record = event.record else { return }
        let part = state.withLock { $0.ledger.end(record, time: event.timestamp) }
        let observations = RecordObservations(
            record, from: part.first, resumedAt: part.resumedAt, duration: part.duration, prices: prices)
        state.withLock { $0.metrics.add(observations) }
        for sink in sinks {
            for observation in observations.states { sink.record(observation) }
            sink.record(observations.run)
        }
    }
}

extension Orchestration {
    /// Measures this orchestration's runs from now on: a ``MetricsCollector`` attached to it.
    ///
    /// ```swift
    /// let metrics = try orchestration.collectMetrics(prices: prices)
    /// // … runs …
    /// await orchestration.waitForHooks()
    /// print(metrics.snapshot.cost)
    /// ```
    ///
    /// - Parameters:
    ///   - prices: The prices to cost tokens with; `nil` leaves every token unpriced.
    ///   - sinks: Where to send each run's observations as it ends.
    /// - Returns: The collector; its ``MetricsCollector/snapshot`` is the metrics so far.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/recordsOff`` when the orchestration keeps no run
    ///   records.
    public nonisolated func collectMetrics(prices: PriceTable? = nil, sinks: [any MetricsSink] = [])
        throws(MetricsError) -> MetricsCollector
    {
        let collector = MetricsCollector(prices: prices, sinks: sinks)
        try collector.attach(to: self)
        return collector
    }
}
