import Synchronization

/// Where one run's events go: the run's own log (runs started with `start`) and the hub.
final class RunSink: Sendable {
    private let hub: EventHub
    let log: RunEventLog?
    private let ended = Atomic<Bool>(false)

    init(hub: EventHub, log: RunEventLog?) {
        self.hub = hub
        self.log = log
    }

    /// Whether an event published now would reach anyone; cheap enough to ask per event.
    var isListened: Bool { log != nil || hub.hasSubscribers }

    func publish(_ event: OrchestrationEvent) {
        if event.isChunk && ended.load(ordering: .acquiring) { return }
        log?.append(event)
        if hub.hasSubscribers { hub.publish(event) }
    }

    /// Publishes the run's last event and closes the run's log.
    func finish(with event: OrchestrationEvent) {
        ended.store(true, ordering: .releasing)
        log?.append(event)
        log?.finish()
        if hub.hasSubscribers { hub.publish(event) }
    }
}

extension OrchestrationEvent {
    var isChunk: Bool {
        if case .chunk = kind { return true }
        return false
    }
}
