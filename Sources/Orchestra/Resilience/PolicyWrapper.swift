/// A runnable that stands in for another under a policy: the other's name, input and output, its `invoke`
/// called as the policy allows. Every resilience modifier returns one.
class PolicyWrapper<Input: Sendable, Output: Sendable>: Runnable<Input, Output>, @unchecked Sendable {
    // @unchecked: the wrapped runnable is immutable and Sendable, and so is every property subclasses add.
    let wrapped: Runnable<Input, Output>

    init(_ wrapped: Runnable<Input, Output>) {
        self.wrapped = wrapped
        super.init(name: wrapped.name)
    }

    /// A policy draws as the runnable it wraps.
    override var composition: Composition? { wrapped.composition }
}
