/// Where a ``Runnable/route(to:label:_:)`` closure sends the run: to a state, with that
/// state's input, or out through the exit.
///
/// ```swift
/// review.route(to: draft) { verdict in
///     switch verdict {
///     case .approved(let report): .exit
///     case .rejected(let notes): .to(draft, notes)   // compiles only if `notes` is draft's Input
///     }
/// }
/// ```
public struct Route: Sendable {
    let decision: Decision

    /// Continue with `target`, passing `value` as its input.
    ///
    /// The compiler checks that `value` is `target`'s `Input`.
    ///
    /// - Parameters:
    ///   - target: The next state.
    ///   - value: The next state's input.
    /// - Returns: The route.
    public static func to<NextInput>(_ target: AnyRunnable<NextInput>, _ value: NextInput) -> Route {
        Route(decision: .advance(to: target, value: value, label: nil))
    }

    /// End the run with this state's output.
    ///
    /// Only the orchestration's exit state can end a run; `.exit` from any other state fails the
    /// run with ``OrchestrationError/Code/deadEnd`` and a message saying so.
    public static var exit: Route { Route(decision: .exit(advancer: -1)) }
}
