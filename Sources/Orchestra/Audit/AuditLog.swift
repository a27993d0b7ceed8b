public import Foundation
import Synchronization

/// Writes what runs decide and how they end as JSON lines — for audits, compliance and "why did it do that?" —
/// and never writes a secret.
///
/// ```swift
/// let audit = try AuditLog(file: URL(filePath: "audit.jsonl"), redacting: [customerToken])
/// audit.attach(to: orchestration)
/// let report = try await orchestration.run("AI in healthcare")
/// await orchestration.waitForHooks()   // every line of the run is written
/// ```
///
/// Each line is one JSON object with sorted keys: when (`time`, ISO 8601 wall clock, and `clock`, seconds on the
/// orchestration's clock), which run, trace and span (`run`, `trace`, `span`, `parentSpan`), where (`step`, `state`,
/// `path`) and what (`event`). The log writes runs starting and resuming; states starting, completing and
/// failing; every transition, with `because`, the advancer's label; what resilience policies did (retries,
/// timeouts, fallbacks, circuit breakers, refusals, throttling, queueing); the decisions states report
/// (``RunDecision``, ``Auditable`` chunks: plans, re-plans, selectors' choices); and each run's outcome, with its
/// duration, steps, tokens and error. Inputs, outputs and other chunks (a model's tokens) are never written.
///
/// **Redaction.** Every key and string of a line is redacted before it is written: the values given to
/// ``init(file:redacting:)`` or ``redact(_:)``; every ``Sensitive`` value's text and every API key of the process;
/// and, in case a secret was never marked, the value of anything named like a credential (`Authorization: …`,
/// `api_key=…`, `"password": "…"`), bearer tokens, and keys shaped like `sk-…`. Each becomes `<redacted>`. A secret
/// is recognised as written; one transformed (encoded, split, cut short) is not, unless its shape gives it away.
///
/// **Writing.** Lines are written as the hook receives events, in order per run, each with one `write` and no
/// buffer of the log's own: once ``Orchestration/waitForHooks()`` (or the subscription's `waitUntilDelivered()`)
/// returns, every line of the runs that ended before is written. A line that cannot be written is reported to
/// ``OrchestrationOptions/onHookFailure``; the run goes on.
public final class AuditLog: Sendable {
    private let sink: @Sendable (String) throws -> Void
    /// The redactor, under a lock of its own, so that a sink may mark more values.
    private let redactor: Mutex<Redactor>
    /// Keeps lines whole and in order when several hooks write at once.
    private let writing = Mutex(())

    /// A log that appends to a file, creating it (readable and writable by its owner only) when it is missing.
    ///
    /// The file is opened for appending: each line is written at its end with one `write`, so several logs and
    /// several processes may share a file without breaking each other's lines.
    ///
    /// - Parameters:
    ///   - file: The file, usually `….jsonl`.
    ///   - redacting: Values never to write, such as a customer's token; values of fewer than four characters are
    ///     ignored.
    /// - Throws: ``AuditLogError`` naming the file, when it cannot be opened or created.
    public convenience init(file: URL, redacting: [String] = []) throws(AuditLogError) {
        let file = try AuditFile(file)
        self.init(redacting: redacting) { line in try file.append(line) }
    }

    /// A log that hands each line to `write`, to ship it wherever you keep logs.
    ///
    /// ```swift
    /// let audit = AuditLog { line in try socket.send(line + "\n") }      // a log shipper of yours
    /// let kept = Mutex<[String]>([])
    /// let inMemory = AuditLog { line in kept.withLock { $0.append(line) } }
    /// ```
    ///
    /// - Parameters:
    ///   - redacting: Values never to write; values of fewer than four characters are ignored.
    ///   - write: Called with each line — one JSON object, without a newline — in order, never concurrently; an error
    ///     it throws is reported to ``OrchestrationOptions/onHookFailure``.
    public init(redacting: [String] = [], write: @escaping @Sendable (String) throws -> Void) {
        var redactor = Redactor()
        redactor.mark(redacting)
        self.redactor = Mutex(redactor)
        sink = write
    }

    /// Marks values as never to be written, from the next line on.
    ///
    /// - Parameter values: The values; those of fewer than four characters are ignored.
    public func redact(_ values: String...) {
        redactor.withLock { $0.mark(values) }
    }

    /// The log as a hook, for `onEvent(_:)` of ``Orchestration``. Prefer `attach(to:)`, which also knows the
    /// machine's graph, to say when a transition was a state's only way out.
    public var hook: EventHook {
        .synchronous { [self] event in try write(event) }
    }

    /// Writes every run of `orchestration`.
    ///
    /// - Parameter orchestration: The orchestration to audit.
    /// - Returns: The hook's subscription: wait for it to catch up, or cancel it to stop writing.
    @discardableResult
    public func attach<Input, Output>(to orchestration: Orchestration<Input, Output>) -> EventSubscription {
        let graph = orchestration.graph
        let leaving = Dictionary(grouping: graph.edges, by: \.from)
        let soleWays = Set(
            graph.nodes.filter { node in
                guard node.parent == nil, let edges = leaving[node.id], edges.count == 1 else { return false }
                return !edges[0].isConditional
            }.map(\.name))
        return orchestration.onEvent(.synchronous { [self] event in try write(event, soleWays: soleWays) })
    }

    /// Writes the line of one event, if it has one: chunks that report no decision have none.
    ///
    /// - Parameter event: The event.
    /// - Throws: What the sink throws, such as ``AuditLogError``.
    public func write(_ event: OrchestrationEvent) throws {
        try write(event, soleWays: nil)
    }

    /// Writes a decision made outside a run, such as a selector's choice before the run it chose: as a
    /// `decision` line of `run` when there is one.
    ///
    /// - Parameters:
    ///   - decision: What was chosen and why.
    ///   - run: The run it was made for, if any.
    /// - Throws: What the sink throws, such as ``AuditLogError``.
    public func record(_ decision: RunDecision, run: RunID? = nil) throws {
        try append(Self.line(for: decision, run: run, time: Date()))
    }

    private func write(_ event: OrchestrationEvent, soleWays: Set<String>?) throws {
        guard let line = Self.line(for: event, soleWays: soleWays, time: Date()) else { return }
        try append(line)
    }

    private func append(_ line: AuditLine) throws {
        try writing.withLock { _ in
            // Redacted under the writing lock too, so that lines go out in the order they were redacted.
            let text = redactor.withLock { redactor in
                redactor.refresh()
                return line.json(redacting: redactor)
            }
            try sink(text)
        }
    }
}
