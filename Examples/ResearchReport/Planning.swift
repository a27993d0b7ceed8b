import Foundation
import OrchestraAgents

/// The first state: a model turns the topic into a plan of searches.
///
/// A subclass that keeps its agent: the agent does the model work (schema, streaming, repair of an invalid
/// plan), and the state adds what the model cannot be trusted with — the bound on the number of searches.
final class Planning: Runnable<String, ResearchPlan>, @unchecked Sendable {
    // @unchecked: every stored property is an immutable `let` of a Sendable type.
    private let planner: AgentRunnable<String, ResearchPlan>
    private let maxSearches: Int

    init(model: any ChatModel, maxSearches: Int, maxTokens: Int) {
        planner = AgentRunnable(
            "Planner", model: model,
            instructions: """
                You are a research planner. Given a research topic, write a search plan: \
                between 1 and \(maxSearches) specific web searches that together cover the topic, \
                each with the information it should find. Answer with JSON only.
                """,
            maxTokens: maxTokens,
            prompt: { topic in "Create a research plan for: \(topic)" })
        self.maxSearches = maxSearches
        super.init()  // the state's name is the type's: "Planning"
    }

    override func invoke(_ topic: String, context: RunContext) async throws -> ResearchPlan {
        context.memory[.topic] = topic  // for Reporting, later in the run
        var plan = try await planner.invoke(topic, context: context)
        plan.searches = Array(
            plan.searches.filter { !$0.query.trimmingCharacters(in: .whitespaces).isEmpty }.prefix(maxSearches))
        return plan
    }
}
