/// Chooses by rules first, and asks a model only when the rules are unsure.
///
/// ```swift
/// let selector = HybridSelector(
///     rules: try RuleBasedSelector(json: rules, tools: registry),
///     model: ModelSelector(model: model, tools: registry, cacheCapacity: 256))
/// let choice = try await selector.select("What is the capital of France?")
/// // simple (0.95, rules): the rules were sure (0.95 ≥ 0.70): no rule matched; …   — no model call
/// ```
///
/// The rules' choice stands when its confidence is at least ``threshold``. Below it, the model is asked, as
/// ``ModelSelector`` asks it (with its instructions, types and cache), and its choice is taken when it is at
/// least the model selector's ``ModelSelector/minimumConfidence`` and more than the rules' confidence. When the
/// model fails, answers what cannot be used, or is less sure, the rules' choice stands, as
/// ``OrchestrationChoice/Decider/fallback``; the model selector's own fallback is not used. The reason says which
/// happened.
public struct HybridSelector: OrchestrationSelector {
    /// Chooses first.
    public let rules: RuleBasedSelector
    /// Asked when the rules are unsure.
    public let model: ModelSelector
    /// The least confidence, from 0 to 1, at which the rules' choice stands without asking the model.
    public let threshold: Double

    /// Creates a selector.
    ///
    /// - Parameters:
    ///   - rules: Chooses first; the default ladder by default.
    ///   - model: Asked when the rules are unsure.
    ///   - threshold: The least confidence at which the rules' choice stands without asking the model.
    public init(rules: RuleBasedSelector = RuleBasedSelector(), model: ModelSelector, threshold: Double = 0.7) {
        self.rules = rules
        self.model = model
        self.threshold = threshold
    }

    /// Chooses by rules; asks the model when they are unsure.
    ///
    /// - Parameter request: What the user asked.
    /// - Returns: The rules' choice, or the model's when the rules were unsure and the model was surer.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func select(_ request: String) async throws -> OrchestrationChoice {
        let ruled = rules.choice(for: request)
        let (confidence, bar) = (OrchestrationChoice.format(ruled.confidence), OrchestrationChoice.format(threshold))
        guard ruled.confidence < threshold else {
            var sure = ruled
            sure.reason = "the rules were sure (\(confidence) ≥ \(bar)): \(ruled.reason)"
            return sure
        }
        let unsure = "the rules were unsure of \(ruled.type) (\(confidence) < \(bar)), so the model was asked"
        let why: String
        switch try await model.ask(request) {
        case .chosen(let chosen)
        where chosen.confidence >= model.minimumConfidence && chosen.confidence > ruled.confidence:
            return OrchestrationChoice(
                type: chosen.type, confidence: chosen.confidence, reason: "\(unsure); \(chosen.reason)",
                decidedBy: .model)
        case .chosen(let chosen):
            let its = OrchestrationChoice.format(chosen.confidence)
            why =
                chosen.confidence <= ruled.confidence
                ? "it chose \(chosen.type) less surely (\(its) ≤ \(confidence))"
                : "it chose \(chosen.type) with confidence \(its), below the model selector's minimum "
                    + OrchestrationChoice.format(model.minimumConfidence)
        case .unusable(let problem):
            why = problem
        }
        return OrchestrationChoice(
            type: ruled.type, confidence: ruled.confidence,
            reason: "\(unsure), but \(why); kept the rules' choice: \(ruled.reason)", decidedBy: .fallback,
            rule: ruled.rule)
    }
}
