import Synchronization

/// A state of a machine: an asynchronous step from `Input` to `Output`.
///
/// Subclass it and override ``invoke(_:context:)``, or pass a closure:
///
/// ```swift
/// final class Plan: Runnable<String, ResearchPlan>, @unchecked Sendable {
///     override func invoke(_ topic: String, context: RunContext) async throws -> ResearchPlan {
///         ResearchPlan(queries: ["\(topic) history", "\(topic) today"])
///     }
/// }
///
/// let increment = Runnable<Int, Int>("increment") { n, _ in n + 1 }
/// ```
///
/// A runnable says where a run goes after it with advancers, tried in the order they were
/// added (``advance(to:label:)``, ``route(to:label:_:)``, ``advance(with:)``).
///
/// ## Concurrency
///
/// One runnable instance serves every run of every orchestration it belongs to, possibly at
/// the same time, so `invoke` must be safe to call concurrently. The class is
/// `@unchecked Sendable`: a subclass restates `@unchecked Sendable` and keeps its own stored
/// properties immutable (`let` of `Sendable` types) or behind a `Mutex`. In a target whose
/// default isolation is the main actor, mark subclasses `nonisolated` so that `invoke` does
/// not run on the main actor.
///
/// ## Lifetime
///
/// A runnable holds its advancers, and an advancer holds the states it leads to. A machine with a
/// loop is therefore a reference cycle: its states stay alive as long as the process. That is what
/// a machine built once and reused wants; a machine built per request leaks unless you break the
/// cycle when done, with ``removeAllAdvancers()`` on its states.
open class Runnable<Input: Sendable, Output: Sendable>: AnyRunnable<Input>, @unchecked Sendable {
    // @unchecked: `advancers` is behind a Mutex; the three bodies are immutable @Sendable closures.
    // Advancers are stored erased (not as [AdvancerEntry<Output>]) so that the step, which runs as
    // unspecialized generic code, does not look up generic metadata at run time on every visit.
    private let advancers = Mutex(AdvancerList())
    private let body: (nonisolated(nonsending) @Sendable (Input, RunContext) async throws -> Output)?
    /// `body`, when this object is exactly a closure runnable (not a subclass, which may override
    /// `invoke`): the step then calls it without going through `invoke`, one async frame fewer.
    private let directBody: (nonisolated(nonsending) @Sendable (Input, RunContext) async throws -> Output)?
    /// The closure of a synchronous closure runnable (exactly this class, not a subclass): the step
    /// then runs it without an async call, so a state that never awaits costs no suspension point.
    private let synchronousBody: (@Sendable (Input, RunContext) throws -> Output)?

    /// Creates a runnable for a subclass that overrides ``invoke(_:context:)``.
    ///
    /// - Parameter name: The state's name; `nil` uses the subclass's type name, without generic arguments.
    public init(name: String? = nil) {
        body = nil
        directBody = nil
        synchronousBody = nil
        super.init(stateName: "")
        self.name = name ?? Self.typeName(of: self)
    }

    /// Creates a runnable from a closure, with no subclass.
    ///
    /// ```swift
    /// let double = Runnable<Int, Int>("double") { n, _ in n * 2 }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The state's name, used by events, records and graphs.
    ///   - body: The work of the state. It receives the input and the run's context.
    public init(
        _ name: String,
        _ body: nonisolated(nonsending) @escaping @Sendable (Input, RunContext) async throws -> Output
    ) {
        self.body = body
        directBody = Self.self == Runnable<Input, Output>.self ? body : nil
        synchronousBody = nil
        super.init(stateName: name)
    }

    /// Creates a runnable from a synchronous closure, with no subclass.
    ///
    /// A closure that does not `await` — a router, a parser, a formatter — gets this initializer,
    /// and the run calls it directly, without the cost of an asynchronous call:
    ///
    /// ```swift
    /// let parse = Runnable<String, Int>("parse") { text, _ in Int(text) ?? 0 }
    /// ```
    ///
    /// - Parameters:
    ///   - name: The state's name, used by events, records and graphs.
    ///   - body: The work of the state. It receives the input and the run's context.
    public init(_ name: String, _ body: @escaping @Sendable (Input, RunContext) throws -> Output) {
        self.body = { input, context in try body(input, context) }
        directBody = nil
        synchronousBody = Self.self == Runnable<Input, Output>.self ? body : nil
        super.init(stateName: name)
    }

    /// The work of the state: turns the input into the output.
    ///
    /// Override it in a subclass. It is called once per visit of the state, possibly from several
    /// runs at once. Throwing ends the run with an ``OrchestrationError`` whose code is
    /// ``OrchestrationError/Code/stateFailed`` and whose ``OrchestrationError/underlying`` is
    /// your error. Cancellation of the run reaches this method as Swift task cancellation:
    /// check `Task.isCancelled` or call `try Task.checkCancellation()` in long work.
    ///
    /// - Parameters:
    ///   - input: The value the previous state's advancer passed on (or the run's input).
    ///   - context: The run's id, step, memory, clock and event emitter.
    /// - Returns: The state's output, handed to its advancers.
    /// - Throws: Any error; it fails the run.
    nonisolated(nonsending) open func invoke(_ input: Input, context: RunContext) async throws -> Output {
        guard let body else {
            throw RunnableNotImplemented(state: name, type: Self.typeName(of: self))
        }
        return try await body(input, context)
    }

    /// Removes every advancer of this state, so it leads nowhere.
    ///
    /// Use it to take apart a machine you built for one job: a machine with a loop is a reference
    /// cycle (see "Lifetime" above), freed only once its states' advancers are removed. Runs already
    /// in flight keep the advancers they read; orchestrations re-validate before their next run.
    public func removeAllAdvancers() {
        advancers.withLock { $0 = AdvancerList() }
        GraphVersion.bump()
    }

    /// Adds an advancer entry; entries are tried in the order they were added.
    func addAdvancer(_ make: (Int) -> AdvancerEntry<Output>) {
        advancers.withLock { list in
            let entry = make(list.edges.count)
            let typed = entry.decide
            list.edges.append(entry.edge)
            // Only this runnable calls its own deciders, always with a pointer to its own `Output`,
            // so reading the output back needs no cast.
            list.deciders.append { output in
                try typed(output.assumingMemoryBound(to: Output.self).pointee)
            }
        }
        GraphVersion.bump()
    }

    nonisolated(nonsending) override func execute(
        _ input: any Sendable, context: RunContext, clock: RunClock?
    ) async throws -> StepResult {
        // A pattern cast, not `as?`: no Optional<Input>, whose metadata unspecialized code would
        // look up at run time on every visit.
        var output: Output
        switch input {
        case let typed as Input:
            if let directBody {
                output = try await directBody(typed, context)
            } else {
                output = try await invoke(typed, context: context)
            }
        default:
            throw inputMismatch(input, context: context)
        }
        return finish(&output, clock: clock)
    }

    override func executeSynchronously(
        _ input: any Sendable, context: RunContext, clock: RunClock?
    ) throws -> StepResult? {
        guard let synchronousBody else { return nil }
        var output: Output
        switch input {
        case let typed as Input:
            output = try synchronousBody(typed, context)
        default:
            throw inputMismatch(input, context: context)
        }
        return finish(&output, clock: clock)
    }

    override var isSynchronous: Bool { synchronousBody != nil }

    nonisolated(nonsending) override func invoke(
        erased input: any Sendable, context: RunContext
    ) async throws -> any Sendable {
        switch input {
        case let typed as Input:
            if let directBody { return try await directBody(typed, context) }
            return try await invoke(typed, context: context)
        default:
            throw inputMismatch(input, context: context)
        }
    }

    override func invokeSynchronously(erased input: any Sendable, context: RunContext) throws -> (any Sendable)? {
        guard let synchronousBody else { return nil }
        switch input {
        case let typed as Input: return try synchronousBody(typed, context)
        default: throw inputMismatch(input, context: context)
        }
    }

    /// The error for an input of the wrong type, which only a bug in Orchestra could pass.
    private func inputMismatch(_ input: any Sendable, context: RunContext) -> OrchestrationError {
        .internalInconsistency("state '\(context.state)' received a \(type(of: input)) where it expects \(Input.self)")
    }

    /// Times the end of the state and lets the advancers decide where the run goes.
    private func finish(_ output: inout Output, clock: RunClock?) -> StepResult {
        let finishedAt = clock?.now()
        let deciders = advancers.withLock { $0.deciders }
        // `&output` hands a pointer to the typed output without a generic `withUnsafePointer` call.
        let decision = decide(deciders, on: &output)
        return StepResult(output: output, finishedAt: finishedAt, decision: decision)
    }

    /// Takes the output as a typed pointer: forming a raw pointer from `&output` directly is
    /// (rightly, in general) a compiler warning, since `Output` may hold references.
    private func decide(
        _ deciders: [AdvancerList.Decider], on output: UnsafePointer<Output>
    ) -> Result<Decision, AdvancerFailure> {
        AdvancerList.decide(deciders, on: UnsafeRawPointer(output))
    }

    override var declaredEdges: [DeclaredEdge] {
        advancers.withLock { $0.edges }
    }

    override var outputType: Any.Type { Output.self }

    override func restoreOutput(_ value: CheckpointValue) throws(CheckpointError) -> any Sendable {
        let output: Output = try value.decoded(location: "the output of state '\(name)'")
        return output
    }

    /// The class's name without generic arguments: `Pipeline`, not `Pipeline<String, Int>`.
    private static func typeName(of object: AnyObject) -> String {
        let name = String(describing: type(of: object))
        return name.firstIndex(of: "<").map { String(name[..<$0]) } ?? name
    }
}

/// Thrown when a `Runnable` created without a closure is run without overriding `invoke`.
public struct RunnableNotImplemented: Error, CustomStringConvertible {
    /// The state's name.
    public var state: String
    /// The runnable's dynamic type.
    public var type: String

    /// A message naming the state and what to do.
    public var description: String {
        "state '\(state)' (\(type)) does not override invoke(_:context:) and was created without a closure; "
            + "override invoke in the subclass or use Runnable(name) { input, context in … }"
    }
}
