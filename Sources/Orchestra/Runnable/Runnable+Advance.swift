extension Runnable {
    /// Always advances to `next`, passing the output on unchanged.
    ///
    /// ```swift
    /// plan.advance(to: research)        // Plan's Output is Research's Input
    /// ```
    ///
    /// - Parameters:
    ///   - next: The next state; its `Input` must be this state's `Output`.
    ///   - label: A short name for the transition, shown in diagnostics and graphs.
    /// - Returns: This runnable, so that calls can be chained: `a.advance(to: b, when: …).advance(to: c)`
    ///   adds two advancers to `a` (tried in that order); it does not make a pipeline.
    @discardableResult
    public func advance(to next: AnyRunnable<Output>, label: String? = nil) -> Self {
        addAdvancer { index in
            AdvancerEntry(
                edge: .init(
                    advancer: index, label: label, targets: [next], alwaysDecides: true,
                    alwaysLeaves: true
                )
            ) {
                .advance(to: next, value: $0, label: label)
            }
        }
        return self
    }

    /// Advances to `next` when `condition` holds, passing the output on unchanged.
    ///
    /// A trailing closure after `advance(to:)` is this condition when it returns `Bool` and `next`
    /// takes this state's output — `check.advance(to: use) { !$0 }` reads "advance to `use` when not
    /// …", even if both sides are `Bool`. Label a conversion: `advance(to: use, convert: { !$0 })`.
    ///
    /// - Parameters:
    ///   - next: The next state; its `Input` must be this state's `Output`.
    ///   - label: A short name for the transition, such as `"needs review"`.
    ///   - condition: Decides on the output; `false` lets the next advancer decide.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func advance(
        to next: AnyRunnable<Output>,
        label: String? = nil,
        when condition: @escaping @Sendable (Output) throws -> Bool
    ) -> Self {
        advance(to: next, label: label, when: condition, convert: { $0 })
    }

    /// Advances to `next`, converting the output into `next`'s input, optionally only when
    /// `condition` holds.
    ///
    /// ```swift
    /// research.advance(to: report, convert: { notes in notes.joined(separator: "\n") })
    /// ```
    ///
    /// - Parameters:
    ///   - next: The next state.
    ///   - label: A short name for the transition.
    ///   - condition: Decides on the output; `nil` means always.
    ///   - convert: Turns this state's output into `next`'s input; the compiler checks both types.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func advance<NextInput>(
        to next: AnyRunnable<NextInput>,
        label: String? = nil,
        when condition: (@Sendable (Output) throws -> Bool)? = nil,
        convert: @escaping @Sendable (Output) throws -> NextInput
    ) -> Self {
        addAdvancer { index in
            AdvancerEntry(
                edge: .init(
                    advancer: index, label: label, targets: [next],
                    alwaysDecides: condition == nil, alwaysLeaves: condition == nil
                )
            ) { output in
                if let condition {
                    guard try AdvancerFailure.wrap(.condition, advancer: index, label: label, { try condition(output) })
                    else {
                        return nil
                    }
                }
                let value = try AdvancerFailure.wrap(.conversion, advancer: index, label: label) { try convert(output) }
                return .advance(to: next, value: value, label: label)
            }
        }
        return self
    }

    /// Adds an ``Advancer`` subclass instance.
    ///
    /// - Parameter advancer: The advancer; it is tried after those added before it.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func advance<NextInput>(with advancer: Advancer<Output, NextInput>) -> Self {
        let targets: [any StateNode]? = advancer.targets.map { $0.map { $0 as any StateNode } }
        addAdvancer { index in
            AdvancerEntry(
                edge: .init(
                    advancer: index, label: advancer.label, targets: targets, alwaysDecides: false,
                    alwaysLeaves: false
                )
            ) { output in
                guard
                    try AdvancerFailure.wrap(
                        .condition, advancer: index, label: advancer.label, { try advancer.shouldAdvance(output) })
                else {
                    return nil
                }
                let value = try AdvancerFailure.wrap(.conversion, advancer: index, label: advancer.label) {
                    try advancer.convert(output)
                }
                let next = try AdvancerFailure.wrap(.target, advancer: index, label: advancer.label) {
                    try advancer.next(for: output)
                }
                return .advance(to: next, value: value, label: advancer.label)
            }
        }
        return self
    }

    /// Routes every output: to one of several states, each with a value of its own input type,
    /// or out through the exit. The closure must return a ``Route`` for every output, so a
    /// `switch` in it is checked for exhaustiveness by the compiler.
    ///
    /// ```swift
    /// report.route(to: research) { draft in
    ///     switch draft.review {
    ///     case .approved: .exit
    ///     case .rejected(let notes): .to(research, ResearchPlan(retry: notes))
    ///     }
    /// }
    /// ```
    ///
    /// A route always decides, so advancers added after it are never tried.
    ///
    /// - Parameters:
    ///   - targets: Every state the closure may route to, declared so the graph can be validated
    ///     and drawn. Omit them only when they are not known in advance.
    ///   - label: A short name for the routing decision.
    ///   - body: Chooses the route for an output.
    /// - Returns: This runnable, so that calls can be chained.
    @discardableResult
    public func route<each Target>(
        to targets: repeat AnyRunnable<each Target>,
        label: String? = nil,
        _ body: @escaping @Sendable (Output) throws -> Route
    ) -> Self {
        var declared: [any StateNode] = []
        for target in repeat each targets {
            declared.append(target)
        }
        let known: [any StateNode]? = declared.isEmpty ? nil : declared
        addAdvancer { index in
            AdvancerEntry(
                edge: .init(
                    advancer: index, label: label, targets: known, alwaysDecides: true,
                    alwaysLeaves: false
                )
            ) { output in
                let route = try AdvancerFailure.wrap(.route, advancer: index, label: label) { try body(output) }
                switch route.decision {
                case .advance(let target, let value, _):
                    return .advance(to: target, value: value, label: label)
                case .exit: return .exit(advancer: index)
                case .noMatch: return .noMatch
                }
            }
        }
        return self
    }
}
