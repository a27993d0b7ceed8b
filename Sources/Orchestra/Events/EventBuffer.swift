/// The events of the run's current transition, owned by the run's task (a local of the engine,
/// so no lock and no dynamic exclusivity check per event), handed over once per transition.
///
/// Handing over before each state's `invoke` means a live subscriber sees a state start before
/// the state does any work, while a tight loop pays one hand-over per transition, not per event.
///
/// The events are handed over by move: the last queue to receive them takes them without copying
/// each one (a copy and the destruction of the original cost more than the rest of the hand-over).
/// So the buffer is raw storage, and noncopyable, so that only one owner ever frees it.
struct EventBuffer: ~Copyable {
    let scope: RunScope
    /// Allocated on the first event, and only if anyone listens.
    private var storage: UnsafeMutablePointer<OrchestrationEvent>?
    private var capacity = 0
    private var count = 0
    private var subscribers = EventHub.Snapshot()

    init(scope: RunScope) {
        self.scope = scope
    }

    deinit {
        guard let storage else { return }
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Buffers an event when anyone listens; `kind` is only built then.
    @inline(__always)
    mutating func append(
        _ step: Int, _ state: String, _ time: Duration,
        _ kind: @autoclosure () -> OrchestrationEvent.Kind, label: String? = nil
    ) {
        guard scope.isListened else { return }
        let run = scope.runID
        store { OrchestrationEvent(run: run, step: step, state: state, timestamp: time, kind: kind(), label: label) }
    }

    /// Builds an event where it is stored. Built first and then passed in, each event was copied once
    /// more, and that copy's wide loads stalled on the narrow stores that had just built it: about
    /// 0.05 µs per transition.
    @inline(__always)
    private mutating func store(_ make: () -> OrchestrationEvent) {
        if count == capacity { grow() }
        guard let storage else { return }  // `grow` always allocates
        (storage + count).initialize(to: make())
        count += 1
    }

    /// Makes room for more events: a transition buffers at most four, so this runs about once per run.
    private mutating func grow() {
        let larger = max(4, capacity * 2)
        let moved = UnsafeMutablePointer<OrchestrationEvent>.allocate(capacity: larger)
        if let storage {
            moved.moveInitialize(from: storage, count: count)
            storage.deallocate()
        }
        storage = moved
        capacity = larger
    }

    /// Hands the buffered events to the run's log and to every subscriber.
    mutating func flush() {
        guard count > 0 else { return }
        let events = UnsafeMutableBufferPointer(start: storage, count: count)
        if !scope.hand(events, subscribers: &subscribers) { _ = events.deinitialize() }
        count = 0
    }

    /// Hands over the run's last event with anything still buffered, and closes the run's log.
    /// The event is only built when anyone listens.
    mutating func finish(with event: () -> OrchestrationEvent) {
        if scope.isListened { store(event) }
        scope.finish(UnsafeMutableBufferPointer(start: storage, count: count), subscribers: &subscribers)
        count = 0
    }
}
