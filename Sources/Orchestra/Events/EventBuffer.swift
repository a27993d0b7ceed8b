/// The events of the run's current transition, owned by the run's task (a local of the engine,
/// so no lock and no dynamic exclusivity check per event), handed over once per transition.
///
/// Handing over before each state's `invoke` means a live subscriber sees a state start before
/// the state does any work, while a tight loop pays one hand-over per transition, not per event.
struct EventBuffer {
    let scope: RunScope
    private var pending: [OrchestrationEvent] = []
    private var subscribers = EventHub.Snapshot()

    init(scope: RunScope) {
        self.scope = scope
    }

    /// Buffers an event when anyone listens; `kind` is only built then.
    @inline(__always)
    mutating func append(
        _ step: Int, _ state: String, _ time: Duration,
        _ kind: @autoclosure () -> OrchestrationEvent.Kind
    ) {
        guard scope.isListened else { return }
        if pending.capacity == 0 { pending.reserveCapacity(4) }
        pending.append(OrchestrationEvent(run: scope.runID, step: step, state: state, timestamp: time, kind: kind()))
    }

    /// Hands the buffered events to the run's log and to every subscriber.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        scope.hand(pending, subscribers: &subscribers)
        pending.removeAll(keepingCapacity: true)
    }

    /// Hands over the run's last event with anything still buffered, and closes the run's log.
    /// The event is only built when anyone listens.
    mutating func finish(with event: () -> OrchestrationEvent) {
        if scope.isListened { pending.append(event()) }
        scope.finish(pending, subscribers: &subscribers)
        pending.removeAll()
    }
}
