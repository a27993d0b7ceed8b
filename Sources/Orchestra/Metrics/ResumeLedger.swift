/// What a ``MetricsCollector`` remembers of runs that may be resumed, so that a resumed run's record — which holds
/// the steps of its earlier parts again — is counted from where the earlier part's record ended.
///
/// Pure: the collector calls it under its lock, and it decides which steps of a record are new.
struct ResumeLedger {
    /// How many runs that ended resumable (suspended, failed, cancelled) it remembers, the most recent.
    static let capacity = 4096

    /// The runs resumed and not yet ended: the step each resumed at and when (on the orchestration's clock).
    private var resumed: [RunID: (step: Int, at: Duration)] = [:]
    /// How many steps the last record of each remembered run had, and when it was remembered.
    private var counted: [RunID: (steps: Int, serial: Int)] = [:]
    /// The remembered runs, oldest first from `head`, with when each was remembered: an entry whose serial is no
    /// longer the run's in `counted` is stale (the run was resumed since).
    private var order: [(id: RunID, serial: Int)] = []
    private var head = 0
    private var serial = 0

    /// A run continues from its checkpoint at `step`.
    mutating func resume(_ runID: RunID, at step: Int, time: Duration) {
        resumed[runID] = (step, time)
    }

    /// A run ended with `record` at `time`: where the steps it ran in this part begin, the step it resumed at
    /// (`nil` for a run from its start), and this part's duration when the run was resumed.
    mutating func end(_ record: RunRecord, time: Duration) -> (first: Int, resumedAt: Int?, duration: Duration?) {
        let id = record.runID
        let earlier = counted.removeValue(forKey: id)?.steps
        var result: (first: Int, resumedAt: Int?, duration: Duration?) = (0, nil, nil)
        if let resumed = resumed.removeValue(forKey: id) {
            let first =
                if let earlier, earlier <= record.steps.count { earlier } else {
                    Self.start(of: record, resumedAt: resumed.step)
                }
            result = (first, resumed.step, time - resumed.at)
        }
        if [.suspended, .failed, .cancelled].contains(record.status) { remember(id, steps: record.steps.count) }
        return result
    }

    /// Where the part of a resumed run that began at `step` begins in its record, when the earlier record is not
    /// known: at the last step of the machine (not a composite's child) numbered `step` — the state it resumed with
    /// runs first, as that step, after the steps carried over, which may hold an earlier failed attempt of it.
    /// A resumed run that ran nothing (cancelled at once) has no such step: nothing of it is new.
    static func start(of record: RunRecord, resumedAt step: Int) -> Int {
        record.steps.lastIndex { $0.step == step && $0.parent == nil } ?? record.steps.count
    }

    private mutating func remember(_ id: RunID, steps: Int) {
        serial += 1
        counted[id] = (steps, serial)
        order.append((id, serial))
        while counted.count > Self.capacity, head < order.count {
            let oldest = order[head]
            if counted[oldest.id]?.serial == oldest.serial { counted.removeValue(forKey: oldest.id) }
            head += 1
        }
        // Ids of runs resumed since are still in `order`: drop the consumed prefix once it is most of the array.
        if head > Self.capacity {
            order.removeFirst(head)
            head = 0
        }
        if order.count > 4 * Self.capacity {
            order = order[head...].filter { counted[$0.id]?.serial == $0.serial }
            head = 0
        }
    }
}
