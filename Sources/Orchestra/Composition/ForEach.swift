import Synchronization

/// Runs one runnable on every element of an array, at most `maxConcurrency` at once, and returns
/// the outputs in the order of the input.
///
/// ```swift
/// let searchAll = ForEach(Search(), maxConcurrency: 4)        // Runnable<[Query], [Notes]>
/// ```
///
/// Each element is processed by a child at a path numbered by the element's index, as in
/// `ForEach[3]/Search`; each counts toward the run's step limit, so raise
/// ``OrchestrationOptions/stepLimit`` for inputs of more than a few thousand elements.
///
/// **Failure.** By default the first failure cancels the elements in flight, starts no more, and
/// fails the state with that element's error, which names its path. To run every element whatever
/// happens and see each one's outcome, collect:
///
/// ```swift
/// let searchAll = ForEach(collecting: Search(), maxConcurrency: 4)
/// // Runnable<[Query], [Result<Notes, OrchestrationError>]>
/// ```
///
/// What stops the whole run is never collected — cancellation, the step limit — it fails the state
/// either way.
///
/// **Concurrency.** `maxConcurrency` child tasks each take the next element until none is left, so
/// no more than `maxConcurrency` elements are ever in flight, and a large input costs no more tasks
/// than a small one. A body made from a synchronous closure never suspends, so it gains nothing from
/// tasks: its elements run one after another in the state's own task. A `maxConcurrency` below 1
/// fails the state with ``OrchestrationError/Code/invalidConfiguration``.
open class ForEach<Element: Sendable, Value: Sendable>: Runnable<[Element], [Value]>, @unchecked Sendable {
    // @unchecked: every stored property is immutable and Sendable.
    let body: any StateNode

    override var composition: Composition? { Composition(kind: .forEach, children: [body]) }
    let maxConcurrency: Int
    /// Whether a failed element ends the state (fail fast) or becomes that element's value.
    let collects: Bool
    /// Turns an element's outcome into its value: its output, or for a collecting ForEach its result.
    let value: @Sendable (Result<any Sendable, OrchestrationError>) throws(OrchestrationError) -> Value

    /// Creates a ForEach that fails fast: the first element to fail fails the state.
    ///
    /// - Parameters:
    ///   - body: The runnable run on each element.
    ///   - maxConcurrency: The most elements in flight at once; at least 1.
    ///   - name: The state's name; `nil` uses the type's name (`ForEach`, or your subclass's).
    public init(_ body: Runnable<Element, Value>, maxConcurrency: Int, name: String? = nil) {
        self.body = body
        self.maxConcurrency = maxConcurrency
        collects = false
        value = { outcome throws(OrchestrationError) in try castErased(outcome.get(), "the output of '\(body.name)'") }
        super.init(name: name)
    }

    /// Creates a ForEach that runs every element and returns each one's outcome, success or failure.
    ///
    /// - Parameters:
    ///   - body: The runnable run on each element.
    ///   - maxConcurrency: The most elements in flight at once; at least 1.
    ///   - name: The state's name; `nil` uses the type's name (`ForEach`, or your subclass's).
    public init<ElementOutput>(
        collecting body: Runnable<Element, ElementOutput>, maxConcurrency: Int, name: String? = nil
    ) where Value == Result<ElementOutput, OrchestrationError> {
        self.body = body
        self.maxConcurrency = maxConcurrency
        collects = true
        value = { outcome throws(OrchestrationError) in
            switch outcome {
            case .success(let output): .success(try castErased(output, "the output of '\(body.name)'"))
            case .failure(let error): .failure(error)
            }
        }
        super.init(name: name)
    }

    /// Runs the body on every element.
    ///
    /// - Throws: ``OrchestrationError``: the first failed element's when failing fast;
    ///   ``OrchestrationError/Code/cancelled`` when the run is cancelled;
    ///   ``OrchestrationError/Code/invalidConfiguration`` for a `maxConcurrency` below 1.
    override open func invoke(_ elements: [Element], context: RunContext) async throws -> [Value] {
        guard maxConcurrency >= 1 else {
            throw context.settingBelowOne("ForEach", "maxConcurrency", is: maxConcurrency)
        }
        if body.isSynchronous || maxConcurrency == 1 || elements.count == 1 {
            return try await inOrder(elements, context: context)
        }
        return try await concurrently(elements, context: context)
    }

    /// One element after another, in this task.
    private nonisolated(nonsending) func inOrder(
        _ elements: [Element], context: RunContext
    ) async throws(OrchestrationError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            values.append(try value(try await outcome(of: element, at: index, context: context)))
        }
        return values
    }

    /// `maxConcurrency` workers, each taking the next element until none is left.
    private nonisolated(nonsending) func concurrently(
        _ elements: [Element], context: RunContext
    ) async throws(OrchestrationError) -> [Value] {
        let cursor = Cursor()
        let workers = min(maxConcurrency, elements.count)
        var outcomes = [Result<any Sendable, OrchestrationError>?](repeating: nil, count: elements.count)
        var failure: OrchestrationError?
        await withTaskGroup(of: Worked.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done = Worked()
                    // A cancelled worker takes the next element, whose child run refuses at once and says
                    // why; the first such error becomes the state's error, and the worker stops.
                    while let index = cursor.next(below: elements.count) {
                        do throws(OrchestrationError) {
                            let result = try await self.outcome(of: elements[index], at: index, context: context)
                            done.outcomes.append((index, result))
                        } catch {
                            cursor.stop()  // before cancelAll reaches the others: no new element starts
                            done.failure = error
                            break
                        }
                    }
                    return done
                }
            }
            for await done in group {
                for (index, outcome) in done.outcomes { outcomes[index] = outcome }
                guard let error = done.failure else { continue }
                if error.isCause(over: failure) {
                    failure = error
                    group.cancelAll()
                }
            }
        }
        if let failure { throw failure }
        var values: [Value] = []
        values.reserveCapacity(elements.count)
        for (index, outcome) in outcomes.enumerated() {
            guard let outcome else {
                throw .internalInconsistency("element \(index) of ForEach '\(context.state)' was never run")
            }
            values.append(try value(outcome))
        }
        return values
    }

    /// Runs the body on one element. The element's failure is returned when collecting, thrown
    /// otherwise; what stops the whole run — cancellation, the step limit — is always thrown.
    private nonisolated(nonsending) func outcome(
        of element: Element, at index: Int, context: RunContext
    ) async throws(OrchestrationError) -> Result<any Sendable, OrchestrationError> {
        do throws(OrchestrationError) {
            let parent = context.childParent(index: index)
            return .success(try await context.scope.runChild(body, element, parent: parent))
        } catch {
            guard collects, !error.stopsTheRun else { throw error }
            return .failure(error)
        }
    }
}

/// What one worker did: the elements it finished, and the failure that stopped it, if any.
private struct Worked: Sendable {
    var outcomes: [(Int, Result<any Sendable, OrchestrationError>)] = []
    var failure: OrchestrationError?
}

/// Hands out element indices to workers, each once, until all are out or a worker stops it.
private final class Cursor: Sendable {
    private let position = Atomic(0)
    private let stopped = Atomic(false)

    func next(below count: Int) -> Int? {
        guard !stopped.load(ordering: .relaxed) else { return nil }
        let index = position.add(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }

    func stop() { stopped.store(true, ordering: .relaxed) }
}
