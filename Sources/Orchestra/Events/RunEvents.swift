/// The events of one run, from its first event to its last, whenever you start reading.
///
/// Every iterator starts at the run's ``OrchestrationEvent/Kind/runStarted`` and ends after the
/// terminal event (``OrchestrationEvent/Kind/runCompleted(_:)``, `runFailed` or `runCancelled`).
/// Several iterators may read one run; each sees every event, in order.
///
/// ```swift
/// let handle = orchestration.start(input)
/// for await event in handle.events { print(event) }
/// ```
public struct RunEvents: AsyncSequence, Sendable {
    /// Events.
    public typealias Element = OrchestrationEvent
    /// Iteration never throws.
    public typealias Failure = Never

    private let log: RunEventLog

    init(log: RunEventLog) {
        self.log = log
    }

    /// Starts reading at the run's first event.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(log: log)
    }

    /// Reads one run's events in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private let log: RunEventLog
        private var batch: [OrchestrationEvent] = []
        private var position = 0
        private var read = 0

        init(log: RunEventLog) {
            self.log = log
        }

        /// The next event; `nil` after the run's last event, or when the task is cancelled.
        public mutating func next() async -> OrchestrationEvent? {
            if position == batch.count {
                guard let next = await log.read(from: read) else { return nil }
                batch = next
                position = 0
                read += next.count
            }
            defer { position += 1 }
            return batch[position]
        }
    }
}
