import Foundation

extension AuditLog {
    /// The line of `event`, or `nil` for an event the log does not write: a chunk that reports no decision.
    /// `soleWays` names the states whose only way out is one unconditional advancer, when the graph is known.
    static func line(for event: OrchestrationEvent, soleWays: Set<String>?, time: Date) -> AuditLine? {
        var line = AuditLine()
        switch event.kind {
        case .runStarted, .runResumed, .stateStarted: break
        case .stateCompleted(let duration): line.set("duration", seconds: duration)
        case .stateFailed(let error): line["error"] = summary(of: error)
        case .transition(let next):
            line.set("from", event.state)
            line.set("to", next)
            line.set("because", event.label ?? unlabelled(event.state, soleWays))
        case .retrying(let attempt, let delay, let error):
            line["attempt"] = .int(attempt)
            line.set("delay", seconds: delay)
            line["error"] = summary(of: error)
        case .timedOut(let limit): line.set("limit", seconds: limit)
        case .fallback(let other, let error):
            line.set("to", other)
            line["error"] = summary(of: error)
        case .circuitChanged(let breaker, let state):
            line.set("breaker", breaker)
            line.set("to", state.description)
        case .rejected(let error): line["error"] = summary(of: error)
        case .throttled(let limiter, let wait):
            line.set("limiter", limiter)
            line.set("wait", seconds: wait)
        case .queued(let bulkhead): line.set("bulkhead", bulkhead)
        case .chunk(let value):
            guard let decision = (value as? any Auditable)?.decision else { return nil }
            add(decision, to: &line)
        case .runCompleted(let record): addOutcome("completed", record, event, to: &line)
        case .runFailed(let error, let record):
            addOutcome("failed", record, event, to: &line)
            line["error"] = summary(of: error)
        case .runCancelled(let record): addOutcome("cancelled", record, event, to: &line)
        case .runSuspended(let suspension, let record):
            addOutcome("suspended", record, event, to: &line)
            line.set("waitingAt", suspension.state)
        }
        let name = if case .chunk = event.kind { "decision" } else { event.kind.name }
        line.set("event", verbatim: name)
        line.set("time", verbatim: timestamp(time))
        line.set("clock", seconds: event.timestamp)
        line.set("run", verbatim: event.runID.description)
        line.set("trace", verbatim: event.traceID.description)
        line.set("span", verbatim: event.spanID.description)
        line.set("parentSpan", verbatim: event.parentSpanID?.description)
        line["step"] = .int(event.step)
        line.set("state", event.state)
        line.set("path", event.path.description)
        return line
    }

    /// The line of a decision made outside a run; in the run's trace, at its root span, when it has a run.
    static func line(for decision: RunDecision, run: RunID?, time: Date) -> AuditLine {
        var line = AuditLine()
        add(decision, to: &line)
        line.set("event", verbatim: "decision")
        line.set("time", verbatim: timestamp(time))
        line.set("run", verbatim: run?.description)
        line.set("trace", verbatim: run?.traceID.description)
        line.set("span", verbatim: run?.spanID(step: 0).description)
        return line
    }

    private static func add(_ decision: RunDecision, to line: inout AuditLine) {
        line.set("decision", decision.kind.rawValue)
        line.set("choice", decision.choice)
        line.set("reason", decision.reason)
        if !decision.details.isEmpty { line["details"] = .strings(decision.details) }
    }

    /// Why an unlabelled advancer's transition was taken, as far as the graph tells.
    private static func unlabelled(_ state: String, _ soleWays: Set<String>?) -> String {
        soleWays?.contains(state) == true ? "the only way out" : "an unlabelled advancer"
    }

    private static func addOutcome(
        _ outcome: String, _ record: RunRecord, _ event: OrchestrationEvent, to line: inout AuditLine
    ) {
        line.set("outcome", verbatim: outcome)
        line.set("duration", seconds: record.duration)
        line["steps"] = .int(record.steps.isEmpty ? event.step : record.steps.count)
        let tokens = record.tokens
        if tokens != .zero {
            line["tokens"] = .object([
                "prompt": .int(tokens.promptTokens), "completion": .int(tokens.completionTokens),
                "total": .int(tokens.totalTokens),
            ])
        }
    }

    /// An error as its type, and its code and message when it is an ``OrchestrationError``, or its description.
    private static func summary(of error: any Error) -> AuditLine.Value {
        var members: [String: AuditLine.Value] = ["type": .string(String(reflecting: type(of: error)))]
        if let error = error as? OrchestrationError {
            members["code"] = .verbatim(error.code.description)
            members["message"] = .string(error.message)
            if let state = error.state { members["state"] = .string(state) }
            if let step = error.step { members["step"] = .int(step) }
            if let underlying = error.underlying { members["type"] = .string(String(reflecting: type(of: underlying))) }
        } else {
            members["message"] = .string(String(describing: error))
        }
        return .object(members)
    }

    /// `time` in ISO 8601, to the millisecond, in UTC.
    private static func timestamp(_ time: Date) -> String {
        time.formatted(RunRecord.dateStyle)
    }
}
