/// A hook that never suspends, for `onEvent(_:)` of ``Orchestration``: its task calls it
/// without an asynchronous call per event, which is the cheapest way to watch every event.
///
/// ```swift
/// orchestration.onEvent(.synchronous { event in metrics.count(event.kind.name) })
/// ```
///
/// It runs on the hook's own task, never on an actor: a hook that must reach the main actor or
/// await anything uses the closure form, `orchestration.onEvent { event in await … }`.
public struct EventHook: Sendable {
    let body: @Sendable (OrchestrationEvent) throws -> Void

    /// A hook called synchronously, once per event, never concurrently with itself.
    ///
    /// - Parameter body: Called with each event; an error it throws is reported to
    ///   ``OrchestrationOptions/onHookFailure`` and the hook keeps receiving events.
    /// - Returns: The hook, to pass to `onEvent(_:)` of ``Orchestration``.
    public static func synchronous(_ body: @escaping @Sendable (OrchestrationEvent) throws -> Void) -> EventHook {
        EventHook(body: body)
    }
}
