/// Something that happened in a run: a state started or finished, a transition, a chunk a state
/// emitted, what a resilience policy did (a retry, a timeout, a refusal…), or the end of the run.
///
/// Every event carries the run's id, the step, the state's name (and its ``path`` inside composites),
/// a timestamp, and its place in the run's trace (``spanID``, ``parentSpanID``). Events of one
/// run are delivered in the order they happened, to every subscriber.
///
/// ```swift
/// orchestration.onEvent { event in
///     switch event.kind {
///     case .stateStarted: print("▶ \(event.state)")
///     case .stateCompleted(let duration): print("✓ \(event.state) in \(duration)")
///     case .transition(let next): print("→ \(event.state) to \(next)")
///     case .runFailed(let error, _): print("✗ \(error.message)")
///     default: break
///     }
/// }
/// ```
public struct OrchestrationEvent: Sendable {
    /// The run the event belongs to.
    public let runID: RunID
    /// The step: 1 for the first state, one more for each state after it; 0 for ``Kind/runStarted``.
    public let step: Int
    /// The state's name: the state that started, completed, failed, emitted or was left; for
    /// run-level events, the state the run was in (the start state for ``Kind/runStarted``).
    /// For a state that runs inside a composite, see also ``parent`` and ``path``.
    public let state: String
    /// When it happened: the time since the orchestration was created, on its clock.
    public let timestamp: Duration
    /// The composite the state runs inside, when it is a composite's child.
    let parentNode: PathNode?
    /// What happened.
    public let kind: Kind
    /// On a ``Kind/transition(to:)``, the label of the advancer that chose it — the condition's name, as in
    /// `needs work` — when it has one; `nil` on every other event.
    public let label: String?

    /// What happened, with what only that kind of event carries.
    public enum Kind: Sendable {
        /// The run began; `state` is the start state.
        case runStarted
        /// A state's `invoke` is about to run.
        case stateStarted
        /// A state returned; `duration` is the time its `invoke` took.
        case stateCompleted(duration: Duration)
        /// A state threw; the run ends next with ``runFailed(_:_:)`` or ``runCancelled(_:)``.
        case stateFailed(OrchestrationError)
        /// The run leaves `state` for the named state.
        case transition(to: String)
        /// A state failed with `error` and runs again after `delay`, as its ``RetryPolicy`` allows;
        /// `attempt` is the attempt about to run, from 2.
        indirect case retrying(attempt: Int, delay: Duration, error: any Error)
        /// A state ran for `limit`, its `.timeout(_:)`, and was cancelled; it fails next with
        /// ``OrchestrationError/Code/timedOut``.
        case timedOut(limit: Duration)
        /// A state failed with `error`, and the state named `to`, its `.fallback(to:when:)`, runs instead
        /// on the same input.
        indirect case fallback(to: String, error: any Error)
        /// The ``CircuitBreaker`` named `breaker` changed to `to`, on a call of this state.
        indirect case circuitChanged(breaker: String, to: CircuitBreaker.State)
        /// A policy refused to run the state — an open ``CircuitBreaker``, a full ``Bulkhead``, a
        /// ``RateLimiter`` with no permit in time — with `error`; the state fails with it unless a retry or
        /// fallback around the policy takes it.
        indirect case rejected(OrchestrationError)
        /// The ``RateLimiter`` named `limiter` holds the state back for `wait` before it runs.
        indirect case throttled(limiter: String, wait: Duration)
        /// The ``Bulkhead`` named `bulkhead` is full, and the state waits in its queue.
        indirect case queued(bulkhead: String)
        /// A state emitted a value with ``RunContext/emit(_:)``.
        // Indirect: the existential would otherwise double the size of every event.
        indirect case chunk(any Sendable)
        /// The run ended with an output; the record is the whole run.
        indirect case runCompleted(RunRecord)
        /// The run ended with an error; the record holds everything done before it.
        indirect case runFailed(OrchestrationError, RunRecord)
        /// The run was cancelled; the record holds everything done before it.
        indirect case runCancelled(RunRecord)
        /// The run is waiting for an answer at an ``AwaitInput`` state, with its record so far; its last event
        /// until ``Orchestration/resume(_:answering:with:)`` continues it.
        indirect case runSuspended(Suspension, RunRecord)
        /// A run continues from its checkpoint (``Orchestration/resume(_:)``): the first event of the resumed
        /// part, at the step and state it continues with.
        case runResumed
    }

    init(
        run: RunID, step: Int, state: String, timestamp: Duration, kind: Kind, parent: PathNode? = nil,
        label: String? = nil
    ) {
        self.runID = run
        self.step = step
        self.state = state
        self.timestamp = timestamp
        self.parentNode = parent
        self.kind = kind
        self.label = label
    }

    /// Where the composite that ran this state sits, as in `Research/ForEach[3]` for a `Search` run
    /// for the fourth item of a `ForEach` inside `Research`; `nil` for a state of the machine itself.
    public var parent: StatePath? { parentNode.map(StatePath.init) }

    /// Where the state sits: ``parent`` followed by ``state``, as in `Research/ForEach[3]/Search`;
    /// just the state's name for a state of the machine itself.
    public var path: StatePath {
        StatePath(state, under: parentNode)
    }

    /// Whether the event is about the run as a whole — it started, resumed or ended — rather than one state.
    public var isRunLevel: Bool {
        switch kind {
        case .runStarted, .runResumed, .runCompleted, .runFailed, .runCancelled, .runSuspended: true
        default: false
        }
    }

    /// The run's trace: the same for every event of the run, derived from ``runID``.
    public var traceID: TraceID { runID.traceID }

    /// The span the event belongs to: the run's root span for a run-level event (``isRunLevel``), otherwise
    /// the span of the state executed at ``step`` — one span per step, whatever happened in it.
    public var spanID: SpanID { runID.spanID(step: isRunLevel ? 0 : step) }

    /// The span's parent: for a state inside a composite, the composite's span; for a state of the machine,
    /// the run's root span; `nil` for a run-level event, whose span is the root. Enough to rebuild the run
    /// as an OpenTelemetry trace:
    ///
    /// ```swift
    /// orchestration.onEvent { event in
    ///     switch event.kind {
    ///     case .stateStarted: tracer.begin(event.spanID, parent: event.parentSpanID, name: event.path.description)
    ///     case .stateCompleted, .stateFailed: tracer.end(event.spanID)
    ///     default: break
    ///     }
    /// }
    /// ```
    public var parentSpanID: SpanID? {
        if isRunLevel { return nil }
        return runID.spanID(step: parentNode?.step ?? 0)
    }

    /// The event's place in the trace, as a model call made for this state would send it.
    public var trace: TraceContext { TraceContext(traceID: traceID, spanID: spanID) }

    /// The chunk's value if this is a chunk event of type `T`, otherwise `nil`.
    ///
    /// - Parameter type: The type the state emitted.
    /// - Returns: The value, or `nil`.
    public func chunk<T>(as type: T.Type = T.self) -> T? {
        if case .chunk(let value) = kind { return value as? T }
        return nil
    }

    /// Whether this event ends its run (completed, failed, cancelled or suspended).
    public var isTerminal: Bool {
        switch kind {
        case .runCompleted, .runFailed, .runCancelled, .runSuspended: true
        default: false
        }
    }

    /// The run's record, on the event that ends the run.
    public var record: RunRecord? {
        switch kind {
        case .runCompleted(let record), .runFailed(_, let record), .runCancelled(let record),
            .runSuspended(_, let record):
            record
        default: nil
        }
    }
}

extension OrchestrationEvent: CustomStringConvertible {
    /// One line, as in `[run 1F3A9C2B step 2 Research] state completed in 212 ms` (the run id's first
    /// eight characters); a state inside a composite is shown by its path, as in
    /// `[run 1F3A9C2B step 7 Research/ForEach[3]/Search] state started`.
    public var description: String {
        let prefix = "[run \(runID.description.prefix(8)) step \(step) \(path)]"
        switch kind {
        case .runStarted: return "\(prefix) run started"
        case .stateStarted: return "\(prefix) state started"
        case .stateCompleted(let duration): return "\(prefix) state completed in \(ConsoleFormat.duration(duration))"
        case .stateFailed(let error): return "\(prefix) state failed: \(error.message)"
        case .transition(let next): return "\(prefix) transition to \(next)\(label.map { " (\($0))" } ?? "")"
        case .retrying(let attempt, let delay, let error):
            return "\(prefix) retrying (attempt \(attempt)) in \(ConsoleFormat.duration(delay)) after: \(error)"
        case .timedOut(let limit): return "\(prefix) timed out after \(ConsoleFormat.duration(limit))"
        case .fallback(let other, let error): return "\(prefix) falling back to \(other) after: \(error)"
        case .circuitChanged(let breaker, let state): return "\(prefix) circuit breaker '\(breaker)' is \(state)"
        case .rejected(let error): return "\(prefix) rejected: \(error.message)"
        case .throttled(let limiter, let wait):
            return "\(prefix) rate limiter '\(limiter)' holds it for \(ConsoleFormat.duration(wait))"
        case .queued(let bulkhead): return "\(prefix) queued at bulkhead '\(bulkhead)'"
        case .chunk(let value): return "\(prefix) chunk: \(value)"
        case .runCompleted: return "\(prefix) run completed"
        case .runFailed(let error, _): return "\(prefix) run failed: \(error.message)"
        case .runCancelled: return "\(prefix) run cancelled"
        case .runSuspended: return "\(prefix) run suspended, waiting for an answer"
        case .runResumed: return "\(prefix) run resumed"
        }
    }
}

extension OrchestrationEvent.Kind {
    /// The case's name without its payload, as in `"stateCompleted"`.
    public var name: String {
        switch self {
        case .runStarted: "runStarted"
        case .stateStarted: "stateStarted"
        case .stateCompleted: "stateCompleted"
        case .stateFailed: "stateFailed"
        case .transition: "transition"
        case .retrying: "retrying"
        case .timedOut: "timedOut"
        case .fallback: "fallback"
        case .circuitChanged: "circuitChanged"
        case .rejected: "rejected"
        case .throttled: "throttled"
        case .queued: "queued"
        case .chunk: "chunk"
        case .runCompleted: "runCompleted"
        case .runFailed: "runFailed"
        case .runCancelled: "runCancelled"
        case .runSuspended: "runSuspended"
        case .runResumed: "runResumed"
        }
    }
}
