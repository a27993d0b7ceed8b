/// A transition out of a state, as a type: whether to advance, how to convert the output,
/// and which state comes next.
///
/// Subclass it when a transition deserves a name and tests of its own; for one-liners use the
/// closure forms on ``Runnable`` (``Runnable/advance(to:label:when:)`` and friends).
///
/// ```swift
/// final class Triage: Advancer<Ticket, Ticket>, @unchecked Sendable {
///     let billing: AnyRunnable<Ticket>, support: AnyRunnable<Ticket>
///     init(billing: AnyRunnable<Ticket>, support: AnyRunnable<Ticket>) {
///         self.billing = billing; self.support = support
///         super.init(targets: [billing, support], label: "triage")
///     }
///     override func shouldAdvance(_ ticket: Ticket) -> Bool { !ticket.isSpam }
///     override func next(for ticket: Ticket) -> AnyRunnable<Ticket> { ticket.isBilling ? billing : support }
/// }
/// intake.advance(with: Triage(billing: billing, support: support))
/// ```
///
/// The run asks ``shouldAdvance(_:)`` first; only if it returns `true` does it call
/// ``convert(_:)`` and then ``next(for:)``. An error thrown by any of them ends the run with an
/// ``OrchestrationError`` naming the state, the advancer and the decision that threw.
///
/// Subclasses restate `@unchecked Sendable` and keep their stored properties immutable or
/// behind a `Mutex`: one advancer serves every run at once.
open class Advancer<Output: Sendable, NextInput: Sendable>: @unchecked Sendable {
    // @unchecked: the stored properties are immutable and Sendable.
    /// The states this advancer can choose, declared so the graph can be validated and drawn.
    ///
    /// `nil` means the advancer chooses at run time without declaring its targets;
    /// ``Orchestration/validate()`` then reports that it cannot check the graph fully.
    public let targets: [AnyRunnable<NextInput>]?
    /// A short name for the transition, shown in diagnostics and graphs.
    public let label: String?

    /// Creates an advancer.
    ///
    /// - Parameters:
    ///   - targets: Every state ``next(for:)`` may return, or `nil` if they are not known in advance.
    ///   - label: A short name for the transition, such as `"has queries"`.
    public init(targets: [AnyRunnable<NextInput>]?, label: String? = nil) {
        self.targets = targets
        self.label = label
    }

    /// Whether the run leaves the state through this advancer. The default is `true`.
    ///
    /// - Parameter output: The state's output.
    /// - Returns: `true` to advance; `false` to let the next advancer decide.
    /// - Throws: Any error; it ends the run with code ``OrchestrationError/Code/transitionFailed``.
    open func shouldAdvance(_ output: Output) throws -> Bool { true }

    /// Turns the state's output into the next state's input.
    ///
    /// The default passes the output on unchanged when `Output` and `NextInput` are the same
    /// type, and otherwise throws an error asking you to override this method.
    ///
    /// - Parameter output: The state's output.
    /// - Returns: The next state's input.
    /// - Throws: Any error; it ends the run with code ``OrchestrationError/Code/conversionFailed``.
    open func convert(_ output: Output) throws -> NextInput {
        // Judged on the types, not the value: an `Advancer<Int?, Int>` must fail for every output, not
        // only for `nil`.
        guard Output.self == NextInput.self, let same = output as? NextInput else {
            throw AdvancerMisconfigured(
                advancer: String(describing: type(of: self)),
                problem: "it does not override convert(_:), and \(Output.self) is not \(NextInput.self)"
            )
        }
        return same
    }

    /// The next state for this output.
    ///
    /// The default returns the single declared target, and throws if there is not exactly one.
    ///
    /// - Parameter output: The state's output.
    /// - Returns: The state the run goes to.
    /// - Throws: Any error; it ends the run with code ``OrchestrationError/Code/transitionFailed``.
    open func next(for output: Output) throws -> AnyRunnable<NextInput> {
        guard let targets, targets.count == 1, let only = targets.first else {
            throw AdvancerMisconfigured(
                advancer: String(describing: type(of: self)),
                problem: "it does not override next(for:) and declares \(targets?.count ?? 0) targets instead of one"
            )
        }
        return only
    }
}

/// Thrown when an ``Advancer`` subclass relies on a default it cannot use.
public struct AdvancerMisconfigured: Error, CustomStringConvertible {
    /// The advancer's type name.
    public var advancer: String
    /// What is missing.
    public var problem: String

    /// A message naming the advancer and what to override.
    public var description: String { "advancer \(advancer) cannot decide: \(problem)" }
}
