import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

@Suite("Hybrid selector")
struct HybridSelectorTests {
    /// A request the default ladder is unsure of: planner 0.50 against simple 0.42, so confidence 0.58.
    static let unsure = "Summarize the attached report, then list three action items."

    @Test("rules that are sure decide without a model request")
    func sure() async throws {
        let model = ScriptedModel([])
        let selector = HybridSelector(model: ModelSelector(model: model))
        let choice = try await selector.select("What is the capital of France?")
        #expect(choice.type == .simple)
        #expect(choice.decidedBy == .rules)
        #expect(choice.reason.hasPrefix("the rules were sure (0.95 ≥ 0.70): no rule matched;"), "\(choice.reason)")
        #expect(model.requests.isEmpty)

        let rules = try RuleBasedSelector(rules: [SelectionRule(name: "report", type: .fixed, keywords: ["report"])])
        let fixed = try await HybridSelector(rules: rules, model: ModelSelector(model: model)).select(Self.unsure)
        #expect(fixed.type == .fixed)
        #expect(fixed.rule == "report")
        #expect(model.requests.isEmpty)
    }

    @Test("rules that are unsure ask the model, whose surer answer decides")
    func unsureAsksTheModel() async throws {
        #expect(RuleBasedSelector().choice(for: Self.unsure).confidence == 0.58)
        let model = ScriptedModel([.json(ModelSelectorTests.answer("simple", 0.8, "One call can summarize."))])
        let choice = try await HybridSelector(model: ModelSelector(model: model)).select(Self.unsure)
        #expect(choice.type == .simple)
        #expect(choice.confidence == 0.8)
        #expect(choice.decidedBy == .model)
        #expect(
            choice.reason
                == "the rules were unsure of planner (0.58 < 0.70), so the model was asked; the model chose simple "
                + "with confidence 0.80: One call can summarize.")
        #expect(model.requests.count == 1)
        #expect(model.requests.first?.messages.last?.content == Self.unsure)
    }

    @Test(
        "when the model fails, cannot be read, or is less sure, the rules' choice stands and the reason says why",
        arguments: [
            (
                ScriptedModel.Reply.failure(ModelError(.connectionFailed("refused"), endpoint: "http://model")),
                "the model failed: could not connect to http://model: refused"
            ),
            (.text("simple"), "its answer is not JSON"),
            (.json(ModelSelectorTests.answer("simple", 0.55)), "it chose simple less surely (0.55 ≤ 0.58)"),
            (
                .json(ModelSelectorTests.answer("simple", 0.59)),
                "it chose simple with confidence 0.59, below the model selector's minimum 0.60"
            ),
        ] as [(ScriptedModel.Reply, String)])
    func keepsTheRules(reply: ScriptedModel.Reply, why: String) async throws {
        let model = ScriptedModel([reply])
        let choice = try await HybridSelector(model: ModelSelector(model: model)).select(Self.unsure)
        let rules = RuleBasedSelector().choice(for: Self.unsure)
        #expect(choice.type == .planner)
        #expect(choice.confidence == rules.confidence)
        #expect(choice.decidedBy == .fallback)
        #expect(choice.reason.hasPrefix("the rules were unsure of planner (0.58 < 0.70), so the model was asked, but "))
        #expect(choice.reason.contains(why), "\(choice.reason)")
        #expect(choice.reason.hasSuffix("; kept the rules' choice: \(rules.reason)"))
        #expect(model.requests.count == 1)
    }

    @Test("the threshold decides when the rules are unsure; cancellation goes through")
    func thresholdAndCancellation() async throws {
        let model = ScriptedModel([.failure(CancellationError())])
        let lenient = HybridSelector(model: ModelSelector(model: model), threshold: 0.5)
        #expect(try await lenient.select(Self.unsure).decidedBy == .rules)
        #expect(model.requests.isEmpty)
        let strict = HybridSelector(model: ModelSelector(model: model), threshold: 1)
        await #expect(throws: CancellationError.self) { try await strict.select("What is the capital of France?") }
        #expect(model.requests.count == 1)
    }
}
