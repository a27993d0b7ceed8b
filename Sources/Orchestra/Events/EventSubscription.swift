/// A hook added with `onEvent` (see ``Orchestration``); cancel it to stop the hook.
///
/// Dropping the subscription does not remove the hook: hooks live as long as their
/// orchestration unless cancelled.
public struct EventSubscription: Sendable {
    private let hub: EventHub
    private let queue: EventQueue

    init(hub: EventHub, queue: EventQueue) {
        self.hub = hub
        self.queue = queue
    }

    /// Removes the hook. Events published before this call are still delivered to it.
    public func cancel() {
        hub.remove(queue)
    }

    /// Whether the hook still receives events: `false` once cancelled. For hooks that also act outside the event
    /// stream, such as an audit log writing an orchestrator's choices.
    package var isActive: Bool { hub.contains(queue) }

    /// Waits until the hook has handled every event published before this call.
    public func waitUntilDelivered() async {
        await queue.waitUntilHandled()
    }
}

/// A hook threw while handling an event; see ``OrchestrationOptions/onHookFailure``.
public struct HookFailure: Sendable, CustomStringConvertible {
    /// The event the hook was handling.
    public let event: OrchestrationEvent
    /// What the hook threw.
    public let error: any Error

    /// A line naming the event and the error, with what an ``AuditLog`` redacts of its own accord redacted —
    /// ``Sensitive`` values, API keys, text shaped like a credential — since it is written to standard error by
    /// default: when an audit log cannot write, the event it reports quotes what the log kept out.
    public var description: String {
        var redactor = Redactor()
        redactor.refresh()
        return redactor.redact("event hook threw \(error) while handling: \(event)")
    }
}
