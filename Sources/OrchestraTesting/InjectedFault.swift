/// The error a ``Fault`` throws unless it was given another.
public struct InjectedFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The state the fault was injected into.
    public let state: String
    /// The call that failed, from 1.
    public let call: Int

    /// Creates the error of `call` of `state`.
    public init(state: String, call: Int) {
        self.state = state
        self.call = call
    }

    /// As in `injected fault in call 3 of 'Search'`.
    public var description: String { "injected fault in call \(call) of '\(state)'" }
}
