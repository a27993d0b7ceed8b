import Foundation
import OrchestraAgents
import OrchestraTesting
import Synchronization
import Testing

/// A model that plays every part of the Planner and Reactive templates: it writes the plans given, in order
/// (repairs included), answers `llm` steps with `llm(<prompt>)`, and answers the request with the prompt it got.
func planningModel(_ plans: [String]) -> ScriptedModel {
    let next = Mutex(0)
    return ScriptedModel { request in
        if case .jsonSchema("AgentPlan", _) = request.responseFormat {
            let index = next.withLock { count in
                defer { count += 1 }
                return count
            }
            guard index < plans.count else { throw ScriptedModel.Exhausted(replies: plans.count, request: index + 1) }
            return .text(plans[index])
        }
        let prompt = lastUserText(request)
        return .text(prompt.hasPrefix("Request:") ? "ANSWER\n\(prompt)" : "llm(\(prompt))")
    }
}

/// The plan requests a model received, in order.
func planRequests(_ model: ScriptedModel) -> [ChatRequest] {
    model.requests.filter { if case .jsonSchema("AgentPlan", _) = $0.responseFormat { true } else { false } }
}

@Suite("The Planner template")
struct PlannerTemplateTests {
    static func tools(_ bench: ToolBench) throws -> ToolRegistry {
        try ToolRegistry([
            bench.tool(
                "web_search", parameters: .object(properties: ["query": .string()], required: ["query"])
            ) { arguments in ["results": .array([.string("found: \(arguments["query"]?.stringValue ?? "")")])] },
            bench.tool(
                "calculator", parameters: .object(properties: ["expression": .string()], required: ["expression"])
            ) {
                _ in 42
            },
        ])
    }

    static let comparison = #"""
        {"steps": [
          {"id": "tokyo", "kind": "tool", "tool": "web_search", "input": {"query": "population of Tokyo"}},
          {"id": "osaka", "kind": "tool", "tool": "web_search", "input": {"query": "population of Osaka"}},
          {"id": "compare", "kind": "llm", "depends_on": ["tokyo", "osaka"],
           "prompt": "Compare ${tokyo.output.results.0} with ${osaka.output.results}"}
        ]}
        """#

    @Test("the model plans, the plan runs with independent steps at once, and the answer is written from the outputs")
    func plansRunsAndAnswers() async throws {
        let bench = ToolBench()
        let model = planningModel([Self.comparison])
        let planner = Orchestration.planner(model: model, tools: try Self.tools(bench))
        let recorder = EventRecorder()
        _ = recorder.attach(to: planner)

        let answer = try await planner.run("Compare Tokyo and Osaka")
        await planner.waitForHooks()

        #expect(
            answer == """
                ANSWER
                Request: Compare Tokyo and Osaka
                Results of the steps run for it:
                - tokyo (tool web_search): {"results":["found: population of Tokyo"]}
                - osaka (tool web_search): {"results":["found: population of Osaka"]}
                - compare (llm): llm(Compare found: population of Tokyo with ["found: population of Osaka"])
                Answer the request from these results.
                """)
        #expect(Set(bench.made.map(\.tool)) == ["web_search"])
        #expect(bench.made.count == 2)
        // The request asked for a plan with the schema built from the tools, and listed them.
        let request = try #require(planRequests(model).first)
        guard case .jsonSchema(_, let schema) = request.responseFormat else {
            Issue.record("the plan request did not ask for the plan's schema: \(request.responseFormat)")
            return
        }
        let kinds = schema.properties?["steps"]?.items?.anyOf?.compactMap { $0.properties?["tool"]?.constant }
        #expect(kinds == ["calculator", "web_search"] || kinds == ["web_search", "calculator"])
        #expect(request.messages.first?.content?.contains("- web_search: The web_search tool. Input: ") == true)
        let planned = recorder.events.compactMap { $0.chunk(as: PlanChunk.self) }
        let written = try AgentPlan(try JSONValue(json: Self.comparison), tools: try Self.tools(ToolBench()))
        #expect(planned == [.planned(written.steps)])
        let paths = recorder.events.filter { $0.kind.name == "stateCompleted" }.map(\.path.description)
        #expect(
            paths.filter { $0.hasPrefix("Execute/") }.sorted() == ["Execute/compare", "Execute/osaka", "Execute/tokyo"])
        #expect(paths.filter { !$0.contains("/") } == ["Plan", "Execute", "Answer"])
    }

    @Test("an invalid plan goes back to the model with every problem and its path, and the repaired plan runs")
    func repair() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"""
            {"steps": [
              {"id": "find", "kind": "tool", "tool": "web_serch", "input": {"query": "${input}"}},
              {"id": "sum", "kind": "llm", "prompt": "Summarise ${find.output}"}
            ]}
            """#,
            #"""
            {"steps": [
              {"id": "find", "kind": "tool", "tool": "web_search", "input": {"query": "${input}"}},
              {"id": "sum", "kind": "llm", "depends_on": ["find"], "prompt": "Summarise ${find.output}"}
            ]}
            """#,
        ])
        let planner = Orchestration.planner(model: model, tools: try Self.tools(bench))
        let answer = try await planner.run("solar panels")
        #expect(answer.contains(#"- sum (llm): llm(Summarise {"results":["found: solar panels"]})"#))
        let repairRequest = lastUserText(try #require(planRequests(model).dropFirst().first))
        #expect(
            repairRequest == """
                Your answer is not valid:
                - $.steps[0].tool: no tool 'web_serch' is registered; the tools are calculator, web_search
                - $.steps[1].prompt: ${find.output} names 'find', which does not run before 'sum'; add 'find' to its depends_on, or to the depends_on of a step it depends on
                Reply again with only the corrected JSON, and nothing else.
                """)
    }

    @Test("a model that keeps writing invalid plans fails the run after its repairs, with every problem")
    func keepsFailing() async throws {
        let invalid = #"{"steps": [{"id": "a", "kind": "llm", "prompt": "x", "depends_on": ["a"]}]}"#
        let model = planningModel(Array(repeating: invalid, count: 5))
        let planner = Orchestration.planner(
            model: model, tools: try Self.tools(ToolBench()), limits: PlanLimits(maxRepairs: 1))
        do {
            _ = try await planner.run("anything")
            Issue.record("an invalid plan ran")
        } catch {
            #expect(error.code == .stateFailed)
            #expect(error.state == "Plan")
            let agentError = try #require(error.underlying as? AgentError)
            #expect(
                agentError.violations.map(\.description) == [
                    "$.steps[0].depends_on[0]: dependency cycle: 'a' depends on itself"
                ])
        }
        #expect(planRequests(model).count == 2)
    }

    @Test("a step of the plan that fails fails the run, naming the step")
    func stepFails() async throws {
        struct Down: Error {}
        let bench = ToolBench()
        let tools = try ToolRegistry([bench.tool("web_search") { _ in throw Down() }])
        let model = planningModel([#"{"steps": [{"id": "find", "kind": "tool", "tool": "web_search", "input": {}}]}"#])
        do {
            _ = try await Orchestration.planner(model: model, tools: tools).run("x")
            Issue.record("a failed step was answered")
        } catch {
            #expect(error.state == "Execute/find")
            #expect(error.underlying is Down)
        }
    }
}
