import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

/// The Planner template against the real llama.cpp server: the plan is asked for with `json_schema`, so the
/// server's grammar only lets the model write plans that call the registered tools with well-shaped inputs.
/// The assertions are on that contract — never on the words a 135M-parameter model writes.
@Suite(
    "Planner on the local llama.cpp server",
    .enabled(
        if: localLLM != nil,
        "ORCHESTRA_LLM_BASE_URL is not set; run `export ORCHESTRA_LLM_BASE_URL=$(Scripts/llm-server start)` to run these"
    ))
struct PlannerLLMTests {
    @Test("the model writes a schema-valid plan that calls the registered tool, and the run answers from its outputs")
    func plansAndAnswers() async throws {
        let base = try #require(localLLM)
        let model = OpenAICompatibleModel(baseURL: base, model: "smollm2-135m", apiKey: nil)
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool(
                "web_search", parameters: .object(properties: ["query": .string(minLength: 1)], required: ["query"])
            ) { arguments in
                ["results": [.string("Solar panels convert about 20% of sunlight (\(arguments["query"] ?? .null)).")]]
            }
        ])
        let planner = Orchestration.planner(
            model: model, tools: tools, limits: PlanLimits(maxSteps: 3, maxRepairs: 3, maxTokens: 400))
        let recorder = EventRecorder()
        _ = recorder.attach(to: planner)
        let result = await planner.start("Use web_search to find how efficient solar panels are.").result
        await planner.waitForHooks()

        // Every plan the server let the model write is valid against the schema built from the tools.
        let planCalls = recorder.events.compactMap { $0.chunk(as: StreamChunk.self) }.compactMap { chunk -> String? in
            guard case .final(let response) = chunk, response.finishReason != .length,
                response.text.contains("\"steps\"")
            else { return nil }
            return response.text
        }
        let schema = AgentPlan.schema(tools: tools, maxSteps: 3)
        for text in planCalls {
            #expect(schema.validate(try JSONValue(json: text)) == [], "\(text)")
        }
        switch result {
        case .success(let answer):
            let planned = try #require(recorder.events.compactMap { $0.chunk(as: PlanChunk.self) }.first)
            guard case .planned(let steps) = planned else {
                Issue.record("the first plan chunk is not the plan: \(planned)")
                return
            }
            #expect(!steps.isEmpty)
            // Each tool step of the plan ran, with arguments the tool's schema accepts.
            let toolSteps = steps.filter { if case .tool = $0.kind { true } else { false } }
            #expect(bench.made.count == toolSteps.count)
            #expect(!answer.isEmpty)
        case .failure(let error):
            // The small model may write a plan that still breaks the checks a schema cannot state (ids,
            // references) after every repair, or stop at the token limit: the run must say where and why, as a
            // typed error of the agent that failed.
            let agentError = try #require(error.underlying as? AgentError, "\(error)")
            #expect(agentError.agent == error.state, "\(agentError)")
            #expect(["Plan", "Answer"].contains(error.state) || error.state?.hasPrefix("Execute/") == true)
            if case .invalidOutput = agentError.reason {
                #expect(!agentError.violations.isEmpty, "\(agentError)")
            }
        }
    }
}
