/// Any number of runnables of one type that run at once on the same input, their outputs gathered
/// in an array in the order of the branches.
///
/// ```swift
/// let reviewers = Reviewer.all.map { Review(by: $0) }      // [Runnable<Draft, Verdict>]
/// let review = FanOut(reviewers)                            // Runnable<Draft, [Verdict]>
/// ```
///
/// It behaves as ``Parallel`` does — branches at paths such as `FanOut[7]/Review`, cancelled together
/// when one fails, none outliving the state, synchronous branches run in the state's own task — but
/// its branches share one output type, so it takes an array of any length, known only at run time.
open class FanOut<Input: Sendable, Output: Sendable>: Runnable<Input, [Output]>, @unchecked Sendable {
    // @unchecked: `branches` is an immutable array of Sendable states.
    let branches: [any StateNode]

    override var composition: Composition? { Composition(kind: .fanOut, children: branches) }

    /// Creates a fan-out from its branches.
    ///
    /// - Parameters:
    ///   - branches: The branches; the output array has one element per branch, in this order. With
    ///     none, the output is empty.
    ///   - name: The state's name; `nil` uses the type's name (`FanOut`, or your subclass's).
    public init(_ branches: [Runnable<Input, Output>], name: String? = nil) {
        self.branches = branches
        super.init(name: name)
    }

    /// Runs every branch at once on `input`.
    ///
    /// - Throws: ``OrchestrationError`` of the first branch that failed, naming its path.
    override open func invoke(_ input: Input, context: RunContext) async throws -> [Output] {
        let outputs = try await context.runBranches(branches, on: input)
        var typed: [Output] = []
        typed.reserveCapacity(outputs.count)
        for (index, output) in outputs.enumerated() {
            typed.append(try castErased(output, "the output of branch \(index) of '\(context.state)'"))
        }
        return typed
    }
}
