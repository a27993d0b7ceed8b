import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

@Suite("Metrics of agents: tokens by the model each response names, priced")
struct AgentMetricsTests {
    struct Outage: Error {}

    @Test("an agent's calls are costed by the model each response names; an unpriced one is reported, not free")
    func agentCosts() async throws {
        let call = ToolCall(id: "c1", name: "search", arguments: #"{"q":"solar"}"#)
        let model = ScriptedModel([
            // ScriptedModel names itself "scripted", which the table does not price.
            .toolCalls([call], usage: TokenUsage(promptTokens: 10, completionTokens: 3)),
            .response(
                ChatResponse(
                    message: .assistant("Solar is growing."), finishReason: .stop,
                    usage: TokenUsage(promptTokens: 30, completionTokens: 4), model: "gpt-4o-mini-2024-07-18")),
            .failure(Outage()),
        ])
        let search = FunctionTool(
            name: "search", description: "Searches.", parameters: .object(properties: ["q": .string()], required: ["q"])
        ) { _ in .string("results") }
        let agent = AgentRunnable<String, String>(
            "Research", model: model, instructions: "", tools: try ToolRegistry([search]))
        let orchestration = Orchestration(agent)
        let prices = try PriceTable([
            ModelPrice(model: "gpt-4o", input: 2.5, output: 10),
            ModelPrice(model: "gpt-4o-mini", input: 0.15, output: 0.6),
        ])
        let metrics = try orchestration.collectMetrics(prices: prices)

        #expect(try await orchestration.run("solar") == "Solar is growing.")
        await #expect(throws: OrchestrationError.self) { try await orchestration.run("wind") }
        await orchestration.waitForHooks()

        let snapshot = metrics.snapshot
        #expect(snapshot.runs == 2)
        #expect(snapshot.completed == 1)
        #expect(snapshot.failed == 1)
        let research = try #require(snapshot.states["Research"])
        #expect(research.count == 2)
        #expect(research.failures == 1)
        #expect(research.tokens == TokenUsage(promptTokens: 40, completionTokens: 7))
        // 30 × 0.15 / 1e6 + 4 × 0.6 / 1e6, at gpt-4o-mini's price, not gpt-4o's.
        #expect(research.cost == Decimal(string: "0.0000069"))
        #expect(research.unpriced == ["scripted": TokenUsage(promptTokens: 10, completionTokens: 3)])
        #expect(snapshot.cost == research.cost)
    }
}
