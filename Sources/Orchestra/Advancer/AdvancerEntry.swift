/// One advancer of a runnable, erased to a decision function over the runnable's output.
struct AdvancerEntry<Output: Sendable>: Sendable {
    /// The declared edge, for validation and graphs.
    var edge: DeclaredEdge
    /// Returns the decision, or `nil` when this advancer does not advance. Errors are `AdvancerFailure`.
    var decide: @Sendable (Output) throws -> Decision?
}

/// A runnable's advancers as the step stores them: no generic parameter, so reading and
/// iterating them needs no generic metadata at run time. Each decider reads the output from a
/// pointer to the owning runnable's `Output` (see `Runnable.addAdvancer`), so deciding needs no
/// dynamic cast. The edges live apart, so a step copies nothing but the deciders.
struct AdvancerList: Sendable {
    typealias Decider = @Sendable (UnsafeRawPointer) throws -> Decision?

    var deciders: [Decider] = []
    var edges: [DeclaredEdge] = []

    /// Tries `deciders` in order on the output at `output`.
    static func decide(_ deciders: [Decider], on output: UnsafeRawPointer) -> Result<Decision, AdvancerFailure> {
        for index in deciders.indices {
            do {
                if let decision = try deciders[index](output) { return .success(decision) }
            } catch let failure as AdvancerFailure {
                return .failure(failure)
            } catch {
                return .failure(AdvancerFailure(phase: .condition, advancer: index, label: nil, underlying: error))
            }
        }
        return .success(.noMatch)
    }
}

extension AdvancerFailure {
    /// Runs `body`, wrapping anything it throws as a failure of `phase`.
    static func wrap<T>(_ phase: Phase, advancer: Int, label: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw AdvancerFailure(phase: phase, advancer: advancer, label: label, underlying: error)
        }
    }
}
