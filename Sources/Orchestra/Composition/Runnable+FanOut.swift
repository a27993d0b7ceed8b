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
