public import Foundation

/// What one run did: the states it visited, how long each took, the transitions it took, and how
/// it ended. `Codable`, so it can be written as JSON:
///
/// ```swift
/// let handle = orchestration.start("AI in healthcare")
/// _ = await handle.result
/// let json = try JSONEncoder().encode(await handle.record)
/// ```
///
/// Times are measured on the orchestration's clock; `start` offsets are from the run's start.
/// In JSON, durations and offsets are seconds (`"duration": 0.0042`).
public struct RunRecord: Sendable, Codable, Hashable {
    /// The run.
    public var runID: RunID
    /// The wall-clock time the run started.
    public var startedAt: Date
    /// How the run ended, or ``Status/running`` while it has not.
    public var status: Status
    /// Every state executed, in the order of their step numbers, including the one that failed —
    /// with the children that composites ran (see ``Step/parent``) after the composite's own step.
    public var steps: [Step]
    /// The whole run's duration, once it has ended.
    public var duration: Duration?
    /// Why the run did not complete, when it failed or was cancelled.
    public var error: ErrorSummary?

    /// How a run ended.
    public enum Status: String, Sendable, Codable, Hashable {
        /// Still running.
        case running
        /// Ended with an output.
        case completed
        /// Ended with an error.
        case failed
        /// Ended by cancellation.
        case cancelled
        /// Waiting for an answer at an ``AwaitInput`` state; ``Orchestration/resume(_:answering:with:)``
        /// continues it.
        case suspended
    }

    /// One executed state.
    public struct Step: Sendable, Codable, Hashable {
        /// The step number, from 1.
        public var step: Int
        /// The state's name.
        public var state: String
        /// When the state started, from the run's start.
        public var start: Duration
        /// How long its `invoke` took, until it returned or threw; `nil` in a record that was decoded
        /// without it.
        public var duration: Duration?
        // Declared here, not last, so that it fills `duration`'s padding rather than adding its own.
        /// Whether the state threw.
        public var failed: Bool
        /// The state the run went to next; `nil` for the last step.
        public var next: String?
        /// The label of the advancer that chose `next`, if it had one.
        public var label: String?
        /// The composite that ran this state, as in `Research/ForEach[3]`; `nil` for a state of the
        /// machine itself. A composite's children have no `next`: the composite chooses what follows.
        public var parent: StatePath?
        /// The tokens the state's model calls used, as it recorded them with
        /// ``RunContext/recordTokens(_:model:)``; `nil` when it recorded none.
        public var tokens: TokenUsage?
        /// The part of ``tokens`` that each named model used; tokens recorded without a model's name are in
        /// ``tokens`` only. Empty when the state named no model.
        public var tokensByModel: [String: TokenUsage]
        /// How many times a ``Runnable/retry(_:adjust:)`` policy ran the state again after a failure; its
        /// ``duration`` covers every attempt.
        public var retries: Int

        /// Creates a step.
        public init(
            step: Int, state: String, start: Duration, duration: Duration?,
            next: String? = nil, label: String? = nil, failed: Bool = false, parent: StatePath? = nil,
            tokens: TokenUsage? = nil, tokensByModel: [String: TokenUsage] = [:], retries: Int = 0
        ) {
            self.tokensByModel = tokensByModel
            self.retries = retries
            self.step = step
            self.state = state
            self.start = start
            self.duration = duration
            self.next = next
            self.label = label
            self.failed = failed
            self.parent = parent
            self.tokens = tokens
        }

        /// Where the state sits: ``parent`` followed by ``state``, as in `Research/ForEach[3]/Search`.
        public var path: StatePath {
            StatePath(state, under: parent?.node)
        }
    }

    /// An ``OrchestrationError`` reduced to what can be written down.
    public struct ErrorSummary: Sendable, Codable, Hashable {
        /// The error's code in words, as in `dead end`.
        public var code: String
        /// The state it happened in: its name, or its path inside composites.
        public var state: String?
        /// The step it happened at.
        public var step: Int?
        /// The message.
        public var message: String
        /// The underlying error, described.
        public var underlying: String?

        /// Summarises an error.
        public init(_ error: OrchestrationError) {
            code = error.code.description
            state = error.state
            step = error.step
            message = error.message
            underlying = error.underlying.map { String(describing: $0) }
        }
    }

    /// Creates an empty record of a run that has just started.
    public init(runID: RunID, startedAt: Date) {
        self.runID = runID
        self.startedAt = startedAt
        status = .running
        steps = []
    }

    /// Appends one complete step.
    mutating func appendStep(
        _ step: Int, _ state: String, start: Duration, duration: Duration, next: String?, label: String?,
        failed: Bool = false
    ) {
        steps.append(
            Step(step: step, state: state, start: start, duration: duration, next: next, label: label, failed: failed))
    }

    /// Appends the steps of a composite's children, in the order of their step numbers: concurrent
    /// children finish, and are recorded, in any order.
    mutating func appendChildSteps(_ children: [Step]) {
        steps.append(contentsOf: children.sorted { $0.step < $1.step })
    }

    /// The names of the states visited, in order, composites' children included.
    public var statesVisited: [String] { steps.map(\.state) }

    /// The paths of the states visited, in order: as ``statesVisited``, but a composite's children
    /// are told apart, as in `Research/ForEach[3]/Search`.
    public var pathsVisited: [StatePath] { steps.map(\.path) }

    /// The tokens every step used together, failed steps' included; ``TokenUsage/zero`` when no state
    /// recorded any.
    public var tokens: TokenUsage {
        steps.reduce(into: .zero) { total, step in
            if let tokens = step.tokens { total += tokens }
        }
    }

    /// Sets the steps' tokens and retries from what states recorded, by step number.
    static func add<Steps: MutableCollection<Step>>(_ usage: [Int: StepUsage], to steps: inout Steps) {
        guard !usage.isEmpty else { return }
        for index in steps.indices {
            guard let used = usage[steps[index].step] else { continue }
            steps[index].tokens = used.tokens
            steps[index].tokensByModel = used.tokensByModel
            steps[index].retries = used.retries
        }
    }

    /// The transitions taken, in order, as (from, to) pairs of state names.
    public var transitions: [(from: String, to: String)] {
        steps.compactMap { step in step.next.map { (step.state, $0) } }
    }
}

extension RunRecord {
    private enum CodingKeys: String, CodingKey { case runID, startedAt, status, steps, duration, error }

    /// Decodes a record written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runID = try c.decode(RunID.self, forKey: .runID)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        status = try c.decode(Status.self, forKey: .status)
        steps = try c.decode([Step].self, forKey: .steps)
        duration = try Duration.decodeSeconds(c, .duration)
        error = try c.decodeIfPresent(ErrorSummary.self, forKey: .error)
    }

    /// Encodes the record, with durations as seconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(runID, forKey: .runID)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(status, forKey: .status)
        try c.encode(steps, forKey: .steps)
        try c.encodeIfPresent(duration?.jsonSeconds, forKey: .duration)
        try c.encodeIfPresent(error, forKey: .error)
    }
}

extension RunRecord.Step {
    private enum CodingKeys: String, CodingKey {
        case step, state, start, duration, next, label, failed, parent, tokens, tokensByModel, retries
    }

    /// Decodes a step written by ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(Int.self, forKey: .step)
        state = try c.decode(String.self, forKey: .state)
        start = try Duration.decodeSeconds(c, .start, required: true) ?? .zero
        duration = try Duration.decodeSeconds(c, .duration)
        next = try c.decodeIfPresent(String.self, forKey: .next)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        failed = try c.decodeIfPresent(Bool.self, forKey: .failed) ?? false
        parent = try c.decodeIfPresent(StatePath.self, forKey: .parent)
        tokens = try c.decodeIfPresent(TokenUsage.self, forKey: .tokens)
        tokensByModel = try c.decodeIfPresent([String: TokenUsage].self, forKey: .tokensByModel) ?? [:]
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 0
        guard retries >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .retries, in: c, debugDescription: "\(retries) retries: a count cannot be negative")
        }
    }

    /// Encodes the step, with times as seconds.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(state, forKey: .state)
        try c.encode(start.jsonSeconds, forKey: .start)
        try c.encodeIfPresent(duration?.jsonSeconds, forKey: .duration)
        try c.encodeIfPresent(next, forKey: .next)
        try c.encodeIfPresent(label, forKey: .label)
        if failed { try c.encode(true, forKey: .failed) }
        try c.encodeIfPresent(parent, forKey: .parent)
        try c.encodeIfPresent(tokens, forKey: .tokens)
        if !tokensByModel.isEmpty { try c.encode(tokensByModel, forKey: .tokensByModel) }
        if retries > 0 { try c.encode(retries, forKey: .retries) }
    }
}

/// What the states at one step recorded as they ran: tokens, by model where named, and retries.
struct StepUsage: Sendable {
    var tokens: TokenUsage?
    var tokensByModel: [String: TokenUsage] = [:]
    var retries = 0

    mutating func add(_ used: TokenUsage, model: String?) {
        tokens = (tokens ?? .zero) + used
        if let model { tokensByModel[model, default: .zero] += used }
    }
}

extension Duration {
    /// A duration written in seconds under `key`, as a record writes it; `nil` when absent (and not `required`).
    /// Seconds no `Duration` of a record holds — beyond ±292 years, the range of `Int64` nanoseconds — are a
    /// `DecodingError`: `Duration.seconds(_:)` would trap on them.
    static func decodeSeconds<Key: CodingKey>(
        _ c: KeyedDecodingContainer<Key>, _ key: Key, required: Bool = false
    ) throws -> Duration? {
        let seconds =
            required ? try c.decode(Double.self, forKey: key) : try c.decodeIfPresent(Double.self, forKey: key)
        guard let seconds else { return nil }
        guard seconds.isFinite, Int64(exactly: (seconds * 1e9).rounded()) != nil else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(seconds) seconds is not a duration a run record holds")
        }
        return .seconds(seconds)
    }

    /// The duration in seconds, to the nanosecond: the `Double` nearest to that decimal, so that JSON shows
    /// `0.030467446` where the exact sum of the components shows `0.030467446000000002`.
    var jsonSeconds: Double {
        let (s, atto) = components
        guard s.magnitude < 9_000_000_000 else { return seconds }
        // Rounded, not truncated: a duration read back from JSON may sit a few attoseconds below its nanosecond.
        let nanoseconds = s * 1_000_000_000 + Int64((Double(atto) / 1e9).rounded())
        return Double(nanoseconds) / 1e9
    }

    /// The duration in seconds, as a `Double`; for the package's other modules too.
    package var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }
}
