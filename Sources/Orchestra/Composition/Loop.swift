/// Runs a runnable on its own output until a condition holds, at most `maxIterations` times.
///
/// ```swift
/// let polish = Loop(Revise(), until: { $0.score >= 0.9 }, maxIterations: 5)   // Runnable<Draft, Draft>
/// ```
///
/// The body always runs at least once; after each iteration, `until` decides on its output whether
/// to stop. When the body has run `maxIterations` times and the condition still does not hold, the
/// state fails with ``OrchestrationError/Code/iterationLimitReached``, naming the loop, its body and
/// the bound — a loop that never converges is an error, not a hang. Each iteration is a child at a
/// path numbered from 0, as in `Loop[2]/Revise`, and counts toward the run's step limit. A
/// `maxIterations` below 1 fails the state with ``OrchestrationError/Code/invalidConfiguration``.
///
/// For a loop between states of the machine, with other states inside it, advance back to an
/// earlier state instead: `review.advance(to: draft, when: { !$0.approved })`.
open class Loop<Value: Sendable>: Runnable<Value, Value>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let body: Runnable<Value, Value>

    override var composition: Composition? { Composition(kind: .loop, children: [body]) }
    let condition: @Sendable (Value) throws -> Bool
    let maxIterations: Int

    /// Creates a loop.
    ///
    /// - Parameters:
    ///   - body: The runnable to repeat; each iteration's output is the next one's input.
    ///   - condition: Decides on an iteration's output whether the loop is done; if it throws, the
    ///     state fails with its error.
    ///   - maxIterations: The most times the body may run; at least 1.
    ///   - name: The state's name; `nil` uses the type's name (`Loop`, or your subclass's).
    public init(
        _ body: Runnable<Value, Value>,
        until condition: @escaping @Sendable (Value) throws -> Bool,
        maxIterations: Int,
        name: String? = nil
    ) {
        self.body = body
        self.condition = condition
        self.maxIterations = maxIterations
        super.init(name: name)
    }

    /// Repeats the body until the condition holds.
    ///
    /// - Throws: ``OrchestrationError`` of a failed iteration, naming its path;
    ///   ``OrchestrationError/Code/iterationLimitReached`` when the bound is hit;
    ///   ``OrchestrationError/Code/invalidConfiguration`` for a `maxIterations` below 1; or the
    ///   condition's own error.
    override open func invoke(_ input: Value, context: RunContext) async throws -> Value {
        guard maxIterations >= 1 else {
            throw context.settingBelowOne("Loop", "maxIterations", is: maxIterations)
        }
        var value = input
        for iteration in 0..<maxIterations {
            value = try await context.run(body, value, index: iteration)
            if try condition(value) { return value }
        }
        throw context.failure(
            .iterationLimitReached,
            "Loop '\(context.path)' ran '\(body.name)' \(maxIterations) times (its maxIterations) and its "
                + "condition never held; raise maxIterations, or check that the body moves toward the condition"
        )
    }
}
