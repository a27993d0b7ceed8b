/// Where a ``MetricsCollector`` sends what it measures as runs end, to bridge to your metrics system — Prometheus,
/// StatsD, swift-metrics, OpenTelemetry.
///
/// When a run ends, the sink receives one ``StateObservation`` per state the run executed, then one
/// ``RunObservation``. Both methods have empty defaults, so a sink implements what it needs. With swift-metrics, a
/// bridge is a few lines (a sample, not a dependency of Orchestra):
///
/// ```swift
/// import Foundation
/// import Metrics
/// import Orchestra
///
/// struct SwiftMetricsSink: MetricsSink {
///     func record(_ state: StateObservation) {
///         let dimensions = [("state", state.key)]
///         Counter(label: "orchestra_state_executions", dimensions: dimensions).increment()
///         if state.failed { Counter(label: "orchestra_state_failures", dimensions: dimensions).increment() }
///         Counter(label: "orchestra_state_retries", dimensions: dimensions).increment(by: state.retries)
///         if let duration = state.duration { Timer(label: "orchestra_state_duration", dimensions: dimensions).record(duration) }
///         Counter(label: "orchestra_tokens_in", dimensions: dimensions).increment(by: state.tokens.promptTokens)
///         Counter(label: "orchestra_tokens_out", dimensions: dimensions).increment(by: state.tokens.completionTokens)
///     }
///
///     func record(_ run: RunObservation) {
///         Counter(label: "orchestra_runs", dimensions: [("status", run.status.rawValue)]).increment()
///         if let duration = run.duration { Timer(label: "orchestra_run_duration").record(duration) }
///         if let cost = run.cost {
///             FloatingPointCounter(label: "orchestra_cost").increment(by: NSDecimalNumber(decimal: cost).doubleValue)
///         }
///     }
/// }
///
/// let metrics = try orchestration.collectMetrics(prices: prices, sinks: [SwiftMetricsSink()])
/// ```
///
/// A sink is called on the collector's hook task, one run after another for one orchestration, never while the
/// collector holds its lock; a slow sink delays only the collector's own hook, not the runs.
public protocol MetricsSink: Sendable {
    /// Receives one execution of a state, when the run it belongs to ends.
    ///
    /// - Parameter state: The execution.
    func record(_ state: StateObservation)

    /// Receives the end of a run, after the executions of its states.
    ///
    /// - Parameter run: The run.
    func record(_ run: RunObservation)
}

extension MetricsSink {
    /// Does nothing: a sink that wants only runs need not implement it.
    ///
    /// - Parameter state: The execution.
    public func record(_ state: StateObservation) {}

    /// Does nothing: a sink that wants only states need not implement it.
    ///
    /// - Parameter run: The run.
    public func record(_ run: RunObservation) {}
}
