/// What a state knows about the run it is part of; handed to every ``Runnable/invoke(_:context:)``.
///
/// ```swift
/// override func invoke(_ query: String, context: RunContext) async throws -> Notes {
///     context.emit("searching \(query)")                 // a chunk on the run's event stream
///     context.memory[.queriesRun, default: 0] += 1       // shared with later states of this run
///     try await Task.sleep(for: .seconds(1), clock: context.clock) // the orchestration's clock
///     …
/// }
/// ```
public struct RunContext: Sendable {
    let scope: RunScope
    /// The step being executed: 1 for the first state, one more for each state after it.
    public let step: Int
    /// The name of the state being executed.
    public let state: String
    /// The composite running this state, when it is a composite's child.
    let parentNode: PathNode?

    init(scope: RunScope, step: Int, state: String, parent: PathNode? = nil) {
        self.scope = scope
        self.step = step
        self.state = state
        self.parentNode = parent
    }

    /// Where the state being executed sits, as in `Research/ForEach[3]/Search`; its name alone for a
    /// state of the machine itself. See ``StatePath``.
    public var path: StatePath { StatePath(state, under: parentNode) }

    /// The run's identity.
    public var runID: RunID { scope.runID }
    /// Where this state sits in the run's trace: the run's trace and this state's span, the
    /// ``OrchestrationEvent/spanID`` of its events. Send ``TraceContext/traceparent`` with the calls the state
    /// makes, so that the services it calls join the run's trace.
    public var trace: TraceContext { TraceContext(traceID: runID.traceID, spanID: runID.spanID(step: step)) }
    /// The run's memory, shared by every state of this run and by no other run.
    public var memory: RunMemory { scope.memory }
    /// The orchestration's clock (``OrchestrationOptions/clock``); sleep and measure with it so
    /// that tests can drive time with a manual clock.
    public var clock: any Clock<Duration> { scope.clock.clock }

    /// Sends a chunk — a token, a status line, a partial result — to the run's event stream as a
    /// ``OrchestrationEvent/Kind/chunk(_:)`` event of this state and step.
    ///
    /// Chunks reach subscribers in the order they were emitted, after this state's
    /// ``OrchestrationEvent/Kind/stateStarted`` and — when emitted from the state's own task or its
    /// child tasks — before its ``OrchestrationEvent/Kind/stateCompleted(duration:)``. When nobody
    /// listens, emitting costs almost nothing. A chunk from a task the state left running is delivered
    /// wherever it falls while the run is live (possibly among later states' events), and dropped once
    /// the run's last event has been published: it never follows it.
    ///
    /// - Parameter chunk: Any `Sendable` value; subscribers cast it back (`event.chunk(as: String.self)`).
    public func emit(_ chunk: some Sendable) {
        publish(.chunk(chunk))
    }

    /// Adds tokens that this state's model calls used to this step of the run's ``RunRecord``, whether
    /// the state goes on to return or to throw: tokens spent on a failed attempt were spent.
    ///
    /// Each call adds to what the step recorded before — a state that calls a model three times
    /// records three times — and ``RunRecord/tokens`` sums the steps. Name the model that used them, as
    /// its response reported it, to have ``RunMetrics`` price them with a ``PriceTable``. Costs nothing when
    /// the orchestration keeps no records.
    ///
    /// ```swift
    /// let response = try await model.respond(to: request)
    /// if let usage = response.usage { context.recordTokens(usage, model: response.model) }
    /// ```
    ///
    /// - Parameters:
    ///   - usage: What one or more calls used, as their responses reported it.
    ///   - model: The model that used them, as in `gpt-4o-mini-2024-07-18`; `nil` when unknown, which leaves
    ///     them unpriced.
    public func recordTokens(_ usage: TokenUsage, model: String? = nil) {
        scope.recordTokens(usage, model: model, step: step)
    }
}

extension RunContext {
    /// Publishes an event of this state at once — a chunk, or what a policy wrapped around the state
    /// reports, such as a retry — when anyone listens; `kind` is only built then.
    func publish(_ kind: @autoclosure () -> OrchestrationEvent.Kind) {
        guard scope.isListened else { return }
        scope.publish(
            OrchestrationEvent(
                run: scope.runID, step: step, state: state, timestamp: scope.clock.now(), kind: kind(),
                parent: parentNode
            )
        )
    }
}
