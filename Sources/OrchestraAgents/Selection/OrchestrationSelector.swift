/// Chooses how to orchestrate a request: which of the four ``OrchestrationType``s, how sure it is, and why.
///
/// ```swift
/// let selector: any OrchestrationSelector = RuleBasedSelector(tools: tools)   // tools has web_search
/// let choice = try await selector.select("Search the web for recent papers on protein folding and summarize them.")
/// print(choice)   // planner (0.72, rules): no rule matched; the default ladder scores planner 0.60, …
/// ```
///
/// Three selectors come with the package: ``RuleBasedSelector`` reads the words of the request, with rules of
/// your own or a default ladder; ``ModelSelector`` asks a model for a schema-forced answer and falls back when it
/// cannot use it; ``HybridSelector`` asks the model only when the rules are unsure.
public protocol OrchestrationSelector: Sendable {
    /// Chooses the orchestration type for `request`.
    ///
    /// - Parameter request: What the user asked, as they wrote it.
    /// - Returns: The type, the confidence in it, and the reason.
    /// - Throws: `CancellationError` when the task is cancelled; what a selector cannot recover from otherwise.
    func select(_ request: String) async throws -> OrchestrationChoice
}
