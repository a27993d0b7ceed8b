/// Runnables in a line: each step's output is the next step's input.
///
/// ```swift
/// let research = Pipeline {
///     Plan()        // String -> ResearchPlan
///     Search()      // ResearchPlan -> [Note]
///     Report()      // [Note] -> ReportData
/// }                 // Pipeline<String, ReportData>
/// ```
///
/// The compiler checks every joint: a step whose input is not the previous step's output is an
/// error on that step's line. Steps may be chosen when the pipeline is built — with `if`/`else`,
/// `else if` chains or `switch`, whose branches have the same input and output types, or with an
/// `if` alone around steps that return their input's type:
///
/// ```swift
/// let answer = Pipeline {
///     Retrieve()
///     if useReranker { Rerank() } else { TopFive() }
///     if verbose { Annotate() }      // Runnable<[Passage], [Passage]>
///     Answer()
/// }
/// ```
///
/// A plain `Pipeline` nested in another, or extended with ``Runnable/then(_:)``, is spliced into it:
/// its steps sit directly in the outer pipeline. Give it a name, or make it a subclass, to keep it one
/// step with its children under it.
///
/// A pipeline is a ``Runnable``: a state of a machine, a step or branch of another composite, or a
/// whole ``Orchestration`` (`Orchestration(research)`). Subclass it to give it a name and a place of
/// its own: `final class Research: Pipeline<String, ReportData>` is named `Research`. Its steps run
/// as its children (see ``RunContext/run(_:_:index:)``): each has its own step, events — at paths
/// such as `Research/Search` — and record entry, and the advancers of a step are not consulted.
open class Pipeline<Input: Sendable, Output: Sendable>: Runnable<Input, Output>, @unchecked Sendable {
    // @unchecked: `steps` is an immutable array of Sendable states.
    let steps: [any StateNode]

    override var composition: Composition? { Composition(kind: .pipeline, children: steps) }

    /// Creates a pipeline from its steps.
    ///
    /// - Parameters:
    ///   - name: The state's name; `nil` uses the type's name (`Pipeline`, or your subclass's).
    ///   - steps: The steps, one per line, first to last.
    public init(name: String? = nil, @PipelineBuilder _ steps: () -> PipelineSteps<Input, Output>) {
        self.steps = steps().nodes
        super.init(name: name)
    }

    init(steps: [any StateNode]) {
        self.steps = steps
        super.init(name: nil)
    }

    /// Runs the steps in order, each on the previous one's output.
    ///
    /// - Throws: ``OrchestrationError`` naming the step that failed (see ``RunContext/run(_:_:index:)``).
    override open func invoke(_ input: Input, context: RunContext) async throws -> Output {
        let parent = context.childParent()
        var value: any Sendable = input
        for step in steps {
            value = try await context.scope.runChild(step, value, parent: parent)
        }
        return try castErased(value, "the output of pipeline '\(context.state)'")
    }
}

/// The steps of a ``Pipeline`` from `Input` to `Output`, as ``PipelineBuilder`` assembles them.
public struct PipelineSteps<Input: Sendable, Output: Sendable>: Sendable {
    let nodes: [any StateNode]
}

/// Builds a ``Pipeline`` from runnables listed one per line, checking that each step's input is
/// the previous step's output — at that step's line.
@resultBuilder
public enum PipelineBuilder {
    /// The first step.
    public static func buildPartialBlock<Input, Output>(first: Runnable<Input, Output>) -> PipelineSteps<Input, Output>
    {
        PipelineSteps(nodes: Pipeline.spliced(first))
    }

    /// A step after the steps so far: its input must be their output.
    public static func buildPartialBlock<Input, Middle, Output>(
        accumulated: PipelineSteps<Input, Middle>, next: Runnable<Middle, Output>
    ) -> PipelineSteps<Input, Output> {
        PipelineSteps(nodes: accumulated.nodes + Pipeline.spliced(next))
    }

    /// The `if` branch of an `if`/`else`; both branches have the same input and output types.
    public static func buildEither<Input, Output>(first: PipelineSteps<Input, Output>) -> Runnable<Input, Output> {
        Pipeline(steps: first.nodes)
    }

    /// The `else` branch of an `if`/`else`.
    public static func buildEither<Input, Output>(second: PipelineSteps<Input, Output>) -> Runnable<Input, Output> {
        Pipeline(steps: second.nodes)
    }

    /// A branch of an `else if` chain or a `switch`, already built by the branches inside it.
    public static func buildEither<Input, Output>(first: Runnable<Input, Output>) -> Runnable<Input, Output> {
        first
    }

    /// A later branch of an `else if` chain or a `switch`.
    public static func buildEither<Input, Output>(second: Runnable<Input, Output>) -> Runnable<Input, Output> {
        second
    }

    /// Steps under an `if` with no `else`; they must return their input's type, since without them the
    /// value goes on unchanged.
    public static func buildOptional<Value>(_ steps: PipelineSteps<Value, Value>?) -> Runnable<Value, Value> {
        Pipeline(steps: steps?.nodes ?? [])
    }
}

extension Pipeline {
    /// The steps `step` stands for in a longer chain: the steps of a pipeline that only strings steps
    /// together — a plain `Pipeline` under its default name, such as an `if`/`else` branch or a `then` —
    /// spliced in, so that `Pipeline { a; b }.then(c)` is `a, b, c`; otherwise `step` itself. A pipeline
    /// with a name of its own, or of a subclass, stays one step with its children under it.
    static func spliced(_ step: Runnable<Input, Output>) -> [any StateNode] {
        if let pipeline = step as? Pipeline<Input, Output>, type(of: pipeline) == Pipeline.self,
            pipeline.name == "Pipeline"
        {
            return pipeline.steps
        }
        return [step]
    }
}

extension Runnable {
    /// A pipeline of this runnable followed by `next`, which takes this runnable's output.
    ///
    /// ```swift
    /// let research = plan.then(search).then(report)   // one Pipeline<String, ReportData> of three steps
    /// ```
    ///
    /// - Parameter next: The step after this one.
    /// - Returns: A ``Pipeline``; chaining `then` on it adds steps to it rather than nesting it.
    public func then<NextOutput>(_ next: Runnable<Output, NextOutput>) -> Pipeline<Input, NextOutput> {
        Pipeline(steps: Pipeline.spliced(self) + Pipeline.spliced(next))
    }
}
