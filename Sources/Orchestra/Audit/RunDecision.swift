/// A choice a state made that a run's watchers, and an ``AuditLog``, should see: what was chosen and why — a
/// plan a model wrote, a re-plan, the orchestration type a selector chose, a route of your own.
///
/// A state reports one with ``RunContext/record(_:)``; it travels as a ``OrchestrationEvent/Kind/chunk(_:)``
/// event, and an ``AuditLog`` writes it as a `decision` line.
///
/// ```swift
/// let tier = order.total > 1_000 ? "manual review" : "automatic"
/// context.record(RunDecision(.route, choice: tier, reason: "order total \(order.total)", details: ["limit": "1000"]))
/// ```
///
/// A decision is written down as it is, bar what the audit log redacts: keep inputs, outputs and model text out
/// of it, and say why in a few words.
public struct RunDecision: Sendable, Hashable, Codable {
    /// What kind of decision it is, as the audit log's `decision` field writes it.
    public struct Kind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
        CustomStringConvertible
    {
        /// The kind in words, as in `replan`.
        public let rawValue: String

        /// A kind of your own.
        ///
        /// - Parameter rawValue: The kind in words, as in `discount`.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A kind of your own, from a string literal: `RunDecision("discount", …)`.
        ///
        /// - Parameter value: The kind in words.
        public init(stringLiteral value: String) { rawValue = value }

        /// A model planned the steps of a request.
        public static let plan: Kind = "plan"
        /// The steps not yet run were planned again.
        public static let replan: Kind = "replan"
        /// A selector chose how to orchestrate a request.
        public static let selection: Kind = "selection"
        /// A state chose where the work goes, in a way the machine's advancers do not show.
        public static let route: Kind = "route"

        /// ``rawValue``.
        public var description: String { rawValue }
    }

    /// What kind of decision it is.
    public var kind: Kind
    /// What was chosen, in a few words: `planner`, `step3, step4`.
    public var choice: String
    /// Why, for a person.
    public var reason: String
    /// What else explains it, by name: a confidence, a rule, a count.
    public var details: [String: String]

    /// Creates a decision.
    ///
    /// - Parameters:
    ///   - kind: What kind of decision it is.
    ///   - choice: What was chosen.
    ///   - reason: Why.
    ///   - details: What else explains it, by name.
    public init(_ kind: Kind, choice: String, reason: String, details: [String: String] = [:]) {
        self.kind = kind
        self.choice = choice
        self.reason = reason
        self.details = details
    }
}

/// A chunk type whose values carry a ``RunDecision``, so that an ``AuditLog`` writes them as decisions; chunks of
/// other types are never written. ``RunDecision`` itself is one.
///
/// ```swift
/// enum RoutingChunk: Auditable {
///     case routed(to: String, because: String)
///     var decision: RunDecision? {
///         switch self { case .routed(let to, let why): RunDecision(.route, choice: to, reason: why) }
///     }
/// }
/// ```
public protocol Auditable: Sendable {
    /// The decision this chunk reports, or `nil` for one that reports none.
    var decision: RunDecision? { get }
}

extension RunDecision: Auditable {
    /// The decision itself.
    public var decision: RunDecision? { self }
}

extension RunDecision: ConsoleDisplayable {
    /// A line, as in `replan: step3, step4 (step 'step2' failed: timeout)`.
    public var consoleDisplay: ConsoleDisplay { .line("\(kind): \(choice) (\(reason))") }
}

extension RunContext {
    /// Reports a decision this state made, as a chunk of the run's event stream, for an ``AuditLog`` and other
    /// watchers; `decision` is only built when anyone listens.
    ///
    /// ```swift
    /// context.record(RunDecision(.route, choice: "manual review", reason: "order total 1,250 above 1,000"))
    /// ```
    ///
    /// - Parameter decision: What was chosen and why.
    public func record(_ decision: @autoclosure () -> RunDecision) {
        publish(.chunk(decision()))
    }
}
