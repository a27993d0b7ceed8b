import Synchronization

/// Where one run's events go: the run's own log (runs started with `start`) and the hub.
///
/// The engine buffers a transition's events in an ``EventBuffer`` it owns and hands them over
/// together before the next state runs; chunks come from inside states, possibly from child
/// tasks, and go through ``publishChunk(_:)`` at once.
final class RunSink: Sendable {
    let hub: EventHub
    let log: RunEventLog?
    /// Whether the run's last event was published; checked and set under this lock, so that a chunk
    /// from a task a state left running is either delivered before the last event or dropped.
    private let ended = Mutex(false)

    init(hub: EventHub, log: RunEventLog?) {
        self.hub = hub
        self.log = log
    }

    /// Whether an event published now would reach anyone; cheap enough to ask per event.
    var isListened: Bool { log != nil || hub.hasSubscribers }

    /// Publishes a chunk from inside a state, at once; dropped after the run has ended.
    func publishChunk(_ event: OrchestrationEvent) {
        ended.withLock { ended in
            guard !ended else { return }
            var snapshot = (version: -1, queues: [EventQueue]())
            hand([event], subscribers: &snapshot)
        }
    }

    /// Hands events to the run's log and to every subscriber.
    func hand(_ events: [OrchestrationEvent], subscribers: inout (version: Int, queues: [EventQueue])) {
        log?.append(contentsOf: events)
        if hub.hasSubscribers {
            for queue in hub.subscribers(&subscribers) {
                queue.append(contentsOf: events)
            }
        }
    }

    /// Publishes the run's last events, closes the run's log, and tells the hub the run is over.
    func finish(_ events: [OrchestrationEvent], subscribers: inout (version: Int, queues: [EventQueue])) {
        ended.withLock { ended in
            ended = true
            hand(events, subscribers: &subscribers)
            log?.finish()
        }
        hub.runEnded()
    }
}

/// The events of the run's current transition, owned by the run's task (a local of the engine,
/// so no lock and no dynamic exclusivity check per event), handed over once per transition.
///
/// Handing over before each state's `invoke` means a live subscriber sees a state start before
/// the state does any work, while a tight loop pays one hand-over per transition, not per event.
struct EventBuffer {
    let sink: RunSink
    let run: RunID
    private var pending: [OrchestrationEvent] = []
    private var subscribers = (version: -1, queues: [EventQueue]())

    init(sink: RunSink, run: RunID) {
        self.sink = sink
        self.run = run
        pending.reserveCapacity(4)
    }

    /// Buffers an event when anyone listens; `kind` is only built then.
    @inline(__always)
    mutating func append(
        _ step: Int, _ state: String, _ time: Duration,
        _ kind: @autoclosure () -> OrchestrationEvent.Kind
    ) {
        guard sink.isListened else { return }
        pending.append(OrchestrationEvent(run: run, step: step, state: state, timestamp: time, kind: kind()))
    }

    /// Hands the buffered events to the run's log and to every subscriber.
    mutating func flush() {
        guard !pending.isEmpty else { return }
        sink.hand(pending, subscribers: &subscribers)
        pending.removeAll(keepingCapacity: true)
    }

    /// Hands over the run's last event with anything still buffered, and closes the run's log.
    mutating func finish(with event: OrchestrationEvent) {
        pending.append(event)
        sink.finish(pending, subscribers: &subscribers)
        pending.removeAll()
    }
}
