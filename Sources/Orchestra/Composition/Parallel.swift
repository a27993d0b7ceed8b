/// Runnables that run at once on the same input, their outputs gathered in a tuple in the order the
/// branches are listed.
///
/// ```swift
/// let gather = Parallel(Weather(), News(), Stocks())   // Runnable<City, (Forecast, [Headline], Quote)>
/// let (forecast, headlines, quote) = try await Orchestration(gather).run(paris)
/// ```
///
/// Any number of branches, each with its own output type, through parameter packs. With the
/// branches one per line in a builder, a branch that does not take the common input is an error on
/// that branch's line:
///
/// ```swift
/// let gather = Parallel {
///     Weather()
///     News()
///     Stocks()
/// }
/// ```
///
/// Branches run as children of the parallel state, at paths such as `Parallel[1]/News` (numbered by
/// position, from 0). When one fails, the others are cancelled and awaited, and the parallel state
/// fails with the failing branch's error, which names its path. No branch outlives the state. A
/// branch made from a synchronous closure (`Runnable(name) { input, _ in … }` with no `await`) never
/// suspends, so it runs in the parallel state's own task rather than in a task of its own; so does a
/// lone branch that can suspend, since no other branch runs while it does. Never suspending, a
/// synchronous branch cannot be interrupted either: it runs to its end even when another branch has
/// already failed, and its own failure then counts as the first.
///
/// For any number of branches of one type, chosen at run time or too many to list, use ``FanOut``.
///
/// The first branch's type is a generic parameter of its own (`Parallel<City, Forecast, [Headline],
/// Quote>`): it fixes the input, so that a later branch taking another input is reported at that
/// branch, as taking the wrong input.
open class Parallel<Input: Sendable, First: Sendable, each Rest: Sendable>:
    Runnable<Input, (First, repeat each Rest)>, @unchecked Sendable
{
    // @unchecked: `branches` is an immutable array of Sendable states.
    let branches: [any StateNode]

    override var composition: Composition? { Composition(kind: .parallel, children: branches) }

    /// Creates a parallel state from its branches.
    ///
    /// - Parameters:
    ///   - first: The first branch; its input is the state's input.
    ///   - rest: The other branches, each taking the same input; with `first`, their outputs form the
    ///     tuple, in this order.
    ///   - name: The state's name; `nil` uses the type's name (`Parallel`, or your subclass's).
    public init(_ first: Runnable<Input, First>, _ rest: repeat Runnable<Input, each Rest>, name: String? = nil) {
        var list: [any StateNode] = [first]
        for branch in repeat each rest { list.append(branch) }
        self.branches = list
        super.init(name: name)
    }

    /// Creates a parallel state from branches listed one per line, each checked at its own line.
    ///
    /// - Parameters:
    ///   - name: The state's name; `nil` uses the type's name (`Parallel`, or your subclass's).
    ///   - branches: The branches, each taking `Input`; their outputs form the tuple, in this order.
    public init(
        name: String? = nil, @ParallelBuilder _ branches: () -> ParallelBranches<Input, First, repeat each Rest>
    ) {
        self.branches = branches().nodes
        super.init(name: name)
    }

    /// Runs every branch at once on `input`.
    ///
    /// - Throws: ``OrchestrationError`` of the first branch that failed, naming its path.
    override open func invoke(_ input: Input, context: RunContext) async throws -> (First, repeat each Rest) {
        let outputs = Outputs(try await context.runBranches(branches, on: input), of: context.state)
        return (try outputs.next(as: First.self), repeat try outputs.next(as: (each Rest).self))
    }
}

/// The branches' outputs, taken in order to build the tuple.
private final class Outputs {
    let values: [any Sendable]
    let state: String
    var position = 0

    init(_ values: [any Sendable], of state: String) {
        self.values = values
        self.state = state
    }

    func next<T>(as _: T.Type) throws(OrchestrationError) -> T {
        guard position < values.count else {
            throw .internalInconsistency("parallel state '\(state)' has fewer outputs than branches")
        }
        defer { position += 1 }
        return try castErased(values[position], "the output of branch \(position) of '\(state)'")
    }
}

/// The branches of a ``Parallel``, as ``ParallelBuilder`` assembles them.
public struct ParallelBranches<Input: Sendable, First: Sendable, each Rest: Sendable>: Sendable {
    let nodes: [any StateNode]
}

/// Builds a ``Parallel`` from branches listed one per line, checking each branch's input at its line.
@resultBuilder
public enum ParallelBuilder {
    /// The first branch.
    public static func buildPartialBlock<Input, Output>(first: Runnable<Input, Output>) -> ParallelBranches<
        Input, Output
    > {
        ParallelBranches(nodes: [first])
    }

    /// One more branch: it takes the same input as the branches so far.
    public static func buildPartialBlock<Input, First, each Rest, Next>(
        accumulated: ParallelBranches<Input, First, repeat each Rest>, next: Runnable<Input, Next>
    ) -> ParallelBranches<Input, First, repeat each Rest, Next> {
        ParallelBranches(nodes: accumulated.nodes + [next])
    }
}
