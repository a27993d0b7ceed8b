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

extension Runnable {
    /// Fans out to every branch at once, and meets in `join`, which receives all their outputs as a
    /// tuple in the order the branches are listed — not the order they finish in.
    ///
    /// ```swift
    /// fetch.advance(toAll: weather, news, stocks, join: summarize)
    /// // summarize: Runnable<(Forecast, [Headline], Quote), Summary>
    /// ```
    ///
    /// The branches run as one state of the machine between this state and `join`: a ``Parallel``
    /// named `name`, which you see in events, records and validation, and whose children the branches
    /// are (at paths such as `Fetch fan-out[1]/News`). A branch's own advancers are not consulted.
    /// When a branch fails, the others are cancelled and the run fails with that branch's error.
    ///
    /// - Parameters:
    ///   - first: The first state to run.
    ///   - branches: The other states to run at the same time, each taking this state's output.
    ///   - join: The state that receives every branch's output.
    ///   - label: A short name for the transition to the branches.
    ///   - name: The fan-out state's name; `nil` names it after this state, as in `Fetch fan-out`.
    ///   - condition: Fans out only when it holds; `nil` means always.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func advance<First, each Branch>(
        toAll first: Runnable<Output, First>,
        _ branches: repeat Runnable<Output, each Branch>,
        join: AnyRunnable<(First, repeat each Branch)>,
        label: String? = nil,
        name: String? = nil,
        when condition: (@Sendable (Output) throws -> Bool)? = nil
    ) -> Self {
        let fanOut = Parallel(first, repeat each branches, name: name ?? "\(self.name) fan-out")
        fanOut.advance(to: join)
        return advance(to: fanOut, label: label, when: condition, convert: { $0 })
    }

    /// Fans out to any number of branches of one type at once, and meets in `join`, which receives
    /// their outputs as an array in the order of `branches` — not the order they finish in.
    ///
    /// ```swift
    /// draft.advance(toAll: reviewers, join: tally)    // reviewers: [Runnable<Draft, Verdict>]
    /// ```
    ///
    /// The branches run as one state of the machine between this state and `join`: a ``FanOut`` named
    /// `name`, as the form with a list of branches of different types describes.
    ///
    /// - Parameters:
    ///   - branches: The states to run at once, each taking this state's output.
    ///   - join: The state that receives every branch's output.
    ///   - label: A short name for the transition to the branches.
    ///   - name: The fan-out state's name; `nil` names it after this state, as in `Draft fan-out`.
    ///   - condition: Fans out only when it holds; `nil` means always.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func advance<Branch>(
        toAll branches: [Runnable<Output, Branch>],
        join: AnyRunnable<[Branch]>,
        label: String? = nil,
        name: String? = nil,
        when condition: (@Sendable (Output) throws -> Bool)? = nil
    ) -> Self {
        let fanOut = FanOut(branches, name: name ?? "\(self.name) fan-out")
        fanOut.advance(to: join)
        return advance(to: fanOut, label: label, when: condition, convert: { $0 })
    }
}
