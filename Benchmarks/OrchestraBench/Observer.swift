import Orchestra

/// What watches the runs besides the counting hook: what a user's metrics or audit log costs a run.
enum Observer {
    /// A `MetricsCollector` with a price table.
    case metrics
    /// An `AuditLog` that formats and redacts every line, then drops it: the cost of the log, not of a disk.
    case audit

    /// How the table's heading names it.
    var described: String {
        switch self {
        case .metrics: " and a MetricsCollector"
        case .audit: " and an AuditLog"
        }
    }

    /// Attaches it; the bench's orchestrations keep records whenever events are on, as a collector needs.
    nonisolated func attach<Input, Output>(to orchestration: Orchestration<Input, Output>) throws {
        switch self {
        case .metrics:
            let prices = try PriceTable([ModelPrice(model: "bench", input: 1, output: 2)])
            _ = try orchestration.collectMetrics(prices: prices)
        case .audit:
            AuditLog { _ in }.attach(to: orchestration)
        }
    }
}

extension Settings {
    /// The hook's name in JSON: `sync`, `async`, `metrics` or `audit`.
    var hookName: String {
        switch observer {
        case .metrics: "metrics"
        case .audit: "audit"
        case nil: asyncHook ? "async" : "sync"
        }
    }
}
