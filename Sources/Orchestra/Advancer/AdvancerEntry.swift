/// One advancer of a runnable, erased to a decision function over the runnable's output.
struct AdvancerEntry<Output: Sendable>: Sendable {
    /// Position in the runnable's advancer list.
    var index: Int
    /// The declared edge, for validation and graphs.
    var edge: DeclaredEdge
    /// Returns the decision, or `nil` when this advancer does not advance. Errors are `AdvancerFailure`.
    var decide: @Sendable (Output) throws -> Decision?
}

/// An advancer as the step stores it: no generic parameter, so reading and iterating the list
/// needs no generic metadata at run time. Its closure reads the output from a pointer to the
/// owning runnable's `Output` (see `Runnable.addAdvancer`), so deciding needs no dynamic cast.
struct ErasedAdvancer: Sendable {
    var index: Int
    var edge: DeclaredEdge
    var decide: @Sendable (UnsafeRawPointer) throws -> Decision?
}

extension AdvancerFailure {
    /// Runs `body`, wrapping anything it throws as a failure of `phase`.
    static func wrap<T>(_ phase: Phase, advancer: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw AdvancerFailure(phase: phase, advancer: advancer, underlying: error)
        }
    }
}
