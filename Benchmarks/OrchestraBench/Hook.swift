import Orchestra

/// What watches the runs, chosen with `--hook`: the hook that counts events, in one of its two forms, and for
/// `metrics` and `audit` what a user's metrics or audit log costs a run besides.
enum Hook: String {
    /// `onEvent(.synchronous { … })`.
    case sync
    /// The closure form, `onEvent { … }`, called with `await`.
    case async
    /// The synchronous hook, and a `MetricsCollector` with a price table.
    case metrics
    /// The synchronous hook, and an `AuditLog` that formats and redacts every line, then drops it: the cost of the
    /// log, not of a disk.
    case audit

    /// How the table's heading names it.
    var described: String {
        switch self {
        case .sync: "a synchronous hook"
        case .async: "an async closure hook"
        case .metrics: "a synchronous hook and a MetricsCollector"
        case .audit: "a synchronous hook and an AuditLog"
        }
    }

    /// Attaches what watches the runs besides the counting hook, if anything; the bench's orchestrations keep records
    /// whenever events are on, as a collector needs.
    nonisolated func attachObserver<Input, Output>(to orchestration: Orchestration<Input, Output>) throws {
        switch self {
        case .sync, .async: break
        case .metrics:
            let prices = try PriceTable([ModelPrice(model: "bench", input: 1, output: 2)])
            _ = try orchestration.collectMetrics(prices: prices)
        case .audit:
            AuditLog { _ in }.attach(to: orchestration)
        }
    }
}
