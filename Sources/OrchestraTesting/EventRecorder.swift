public import Orchestra
import Synchronization

/// Collects the events of an orchestration, for assertions in tests.
///
/// ```swift
/// let recorder = EventRecorder()
/// recorder.attach(to: orchestration)
/// let handle = orchestration.start(1)
/// _ = await handle.result
/// await orchestration.waitForHooks()
/// #expect(recorder.kinds(of: handle.id) == ["runStarted", "stateStarted", "stateCompleted", "runCompleted"])
/// ```
public final class EventRecorder: Sendable {
    private let recorded = Mutex<[OrchestrationEvent]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Adds the recorder as a hook of `orchestration`.
    ///
    /// - Parameter orchestration: The orchestration to watch.
    /// - Returns: The hook's subscription.
    @discardableResult
    public func attach<Input, Output>(to orchestration: Orchestration<Input, Output>) -> EventSubscription {
        orchestration.onEvent { [self] event in record(event) }
    }

    /// Records one event; usable directly as a hook.
    ///
    /// - Parameter event: The event.
    public func record(_ event: OrchestrationEvent) {
        recorded.withLock { $0.append(event) }
    }

    /// Every event recorded so far, in the order received.
    public var events: [OrchestrationEvent] { recorded.withLock { $0 } }

    /// The events of one run, in order.
    ///
    /// - Parameter run: The run.
    /// - Returns: Its events.
    public func events(of run: RunID) -> [OrchestrationEvent] {
        events.filter { $0.runID == run }
    }

    /// The kinds of one run's events as short names (`"stateStarted"`, `"transition"` …), in order.
    ///
    /// - Parameter run: The run.
    /// - Returns: The names.
    public func kinds(of run: RunID) -> [String] {
        events(of: run).map(\.kind.name)
    }

    /// Forgets everything recorded.
    public func removeAll() {
        recorded.withLock { $0.removeAll() }
    }
}
