/// The choices a ``ModelSelector`` remembers, by request: at most `capacity`, forgetting the least recently used
/// first. A value: the selector keeps it in a `Mutex`.
struct SelectionCache: Sendable {
    private struct Entry: Sendable {
        var choice: OrchestrationChoice
        var lastUsed: UInt64
    }

    /// The most choices remembered; none when 0 or less.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// How many choices are remembered.
    var count: Int { entries.count }

    /// The choice remembered for `key`, marked as used.
    mutating func choice(for key: String) -> OrchestrationChoice? {
        guard entries[key] != nil else { return nil }
        tick += 1
        entries[key]?.lastUsed = tick
        return entries[key]?.choice
    }

    /// Remembers `choice` for `key`, forgetting the least recently used choice when the cache is full.
    mutating func remember(_ choice: OrchestrationChoice, for key: String) {
        guard capacity > 0 else { return }
        if entries[key] == nil, entries.count >= capacity,
            let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key
        {
            entries[oldest] = nil
        }
        tick += 1
        entries[key] = Entry(choice: choice, lastUsed: tick)
    }
}
