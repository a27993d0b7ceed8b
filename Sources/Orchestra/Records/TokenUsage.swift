/// Tokens a model call used: what the prompt took and what the model generated.
///
/// A model's answer reports it, and a state records what its calls used with
/// ``RunContext/recordTokens(_:model:)``, so that the ``RunRecord`` shows the tokens of each step and of the run.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Tokens of the prompt.
    public var promptTokens: Int
    /// Tokens generated.
    public var completionTokens: Int

    /// Creates a count.
    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    /// Both together; `Int.max` rather than an overflow.
    public var totalTokens: Int { saturatingSum(promptTokens, completionTokens) }

    /// No tokens.
    public static let zero = TokenUsage(promptTokens: 0, completionTokens: 0)

    /// The sum of two counts, as of the several calls of one agent.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            promptTokens: saturatingSum(lhs.promptTokens, rhs.promptTokens),
            completionTokens: saturatingSum(lhs.completionTokens, rhs.completionTokens))
    }

    /// Adds `rhs` to `lhs`.
    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
        lhs = lhs + rhs
    }
}

/// `a + b`, held at the bounds of `Int` rather than overflow: a count a model reported wrongly, or one read from a
/// file of records or metrics, must not trap the run, the hook or the report that adds it up.
func saturatingSum(_ a: Int, _ b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b < 0 ? .min : .max) : sum
}
