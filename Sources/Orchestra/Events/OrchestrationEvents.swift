/// The events of every run of one orchestration, from the moment iteration begins.
///
/// Each iterator is an independent subscriber with its own unbounded queue: it receives every
/// event published while it exists, in order per run (runs interleave). Iteration ends when the
/// iterating task is cancelled, or once the orchestration has been released and its last run
/// has finished.
///
/// ```swift
/// Task {
///     for await event in orchestration.events where event.isTerminal {
///         print("run \(event.runID) ended")
///     }
/// }
/// ```
public struct OrchestrationEvents: AsyncSequence, Sendable {
    /// Events.
    public typealias Element = OrchestrationEvent
    /// Iteration never throws.
    public typealias Failure = Never

    private weak let hub: EventHub?

    init(hub: EventHub) {
        self.hub = hub
    }

    /// Subscribes: the iterator receives every event published from now on.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(subscription: Subscription(hub: hub))
    }

    /// Iterates the events, subscribed from the moment it was made until it is released.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let subscription: Subscription
        private var batch: [OrchestrationEvent] = []
        private var position = 0

        init(subscription: Subscription) {
            self.subscription = subscription
        }

        /// The next event, or `nil` once the orchestration is gone or the task is cancelled.
        public mutating func next() async -> OrchestrationEvent? {
            if position == batch.count {
                guard let next = await subscription.queue.nextBatch() else { return nil }
                batch = next
                position = 0
            }
            defer { position += 1 }
            return batch[position]
        }
    }

    /// Owns the iterator's queue and unsubscribes when the iterator is released.
    final class Subscription: Sendable {
        let queue = EventQueue()
        private weak let hub: EventHub?

        init(hub: EventHub?) {
            self.hub = hub
            if let hub { hub.add(queue, isHook: false) } else { queue.close() }
        }

        deinit { hub?.remove(queue) }
    }
}
