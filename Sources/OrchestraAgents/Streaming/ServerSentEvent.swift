/// One event of a Server-Sent Events stream, as the WHATWG HTML standard dispatches it.
struct ServerSentEvent: Sendable, Hashable {
    /// The type from the event's `event` field; `nil` for the default type, "message".
    var event: String?
    /// The values of the event's `data` fields, joined with "\n".
    var data: String
    /// The stream's last event ID when the event was dispatched: set by the latest `id` field so far, in this
    /// event or an earlier one, as the standard's `lastEventId`; `nil` while the stream has sent no `id`.
    var id: String?
    /// The reconnection time in milliseconds from a `retry` field of this event; `nil` if it had none.
    var retry: Int?

    /// Creates an event.
    /// - Parameters:
    ///   - event: The type; `nil` for "message".
    ///   - data: The data, its lines joined with "\n".
    ///   - id: The last event ID; `nil` if none was set.
    ///   - retry: The reconnection time in milliseconds the event carried, if any.
    init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
