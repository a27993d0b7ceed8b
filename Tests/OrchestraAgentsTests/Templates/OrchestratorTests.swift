import Foundation
import OrchestraAgents
import OrchestraTesting
import Testing

@Suite("The orchestrator")
struct OrchestratorTests {
    static func tools(_ bench: ToolBench) throws -> ToolRegistry {
        try ToolRegistry([
            bench.tool("web_search", parameters: .object(properties: ["query": .string()], required: ["query"])) {
                arguments in ["results": [.string("about \(arguments["query"]?.stringValue ?? "")")]]
            },
            bench.tool("database_query", parameters: .object(properties: ["query": .string()], required: ["query"])) {
                _ in ["rows": [["total": 3]]]
            },
        ])
    }

    static let report = WorkflowDefinition(
        name: "sales-report", version: "1",
        steps: [WorkflowStep(id: "load", kind: .tool(name: "database_query", input: ["query": "sales for ${input}"]))],
        output: try? WorkflowTemplate("${load.output.rows.0.total} sales"))

    static func selector(_ tools: ToolRegistry) throws -> RuleBasedSelector {
        try RuleBasedSelector(
            rules: [
                SelectionRule(name: "sales-report", type: .fixed, keywords: ["sales report"], priority: 10),
                SelectionRule(name: "stuck", type: .fixed, keywords: ["inventory report"], priority: 10),
                SelectionRule(name: "news", type: .reactive, keywords: ["keep watching"], priority: 10),
            ], tools: tools)
    }

    @Test(
        "each request runs the template its type names",
        arguments: [
            ("What is a state machine?", OrchestrationType.simple, "llm(What is a state machine?)"),
            ("Make the sales report for March", .fixed, "3 sales"),
        ])
    func routes(request: String, type: OrchestrationType, answer: String) async throws {
        let bench = ToolBench()
        let tools = try Self.tools(bench)
        let model = planningModel([])
        let orchestrator = try Orchestrator(
            model: model, tools: tools, selector: try Self.selector(tools), workflows: [Self.report])
        let run = try await orchestrator.start(request)
        #expect(run.choice.type == type)
        var states: Set<String> = []
        for await event in run.events where event.kind.name == "stateStarted" { states.insert(event.path.description) }
        #expect(try await run.handle.value == answer)
        #expect(states == (type == .simple ? ["Answer"] : ["sales-report", "sales-report/load"]))
        #expect(
            bench.arguments(of: "database_query")
                == (type == .fixed ? [["query": "sales for Make the sales report for March"]] : []))
    }

    @Test("a request with steps and tools is planned, run and answered")
    func plans() async throws {
        let bench = ToolBench()
        let tools = try Self.tools(bench)
        let model = planningModel([
            #"{"steps": [{"id": "step1", "kind": "tool", "tool": "web_search", "input": {"query": "panel prices"}}]}"#
        ])
        let orchestrator = try Orchestrator(model: model, tools: tools, selector: try Self.selector(tools))
        let run = try await orchestrator.start("Search the web for solar panel prices, then compare them by brand")
        #expect(run.choice.type == .planner)
        let answer = try await run.handle.value
        #expect(answer.contains(#"- step1 (tool web_search): {"results":["about panel prices"]}"#))
    }

    @Test("a fixed choice with no workflow to run is a typed error, before anything runs")
    func noWorkflow() async throws {
        let tools = try Self.tools(ToolBench())
        let model = planningModel([])
        let none = try Orchestrator(model: model, tools: tools, selector: try Self.selector(tools))
        await #expect(throws: OrchestratorError.self) { try await none.run("Make the sales report") }
        let other = WorkflowDefinition(
            name: "audit", version: "1",
            steps: [
                WorkflowStep(
                    id: "a", kind: .llm(prompt: try WorkflowTemplate("."), instructions: nil, outputSchema: nil))
            ])
        let several = try Orchestrator(
            model: model, tools: tools, selector: try Self.selector(tools), workflows: [Self.report, other])
        do {
            _ = try await several.run("Make the inventory report")
            Issue.record("a fixed choice naming no workflow ran")
        } catch let error as OrchestratorError {
            #expect(
                error.description
                    == "the request was given to a fixed workflow by rule 'stuck', and no workflow is named so; the "
                    + "workflows are audit, sales-report: name a selection rule after the workflow it chooses")
        }
        #expect(model.requests.isEmpty)
    }

    @Test("a rule that names no workflow is an error even with one workflow; two workflows may not share a name")
    func namedWorkflows() async throws {
        let tools = try Self.tools(ToolBench())
        let one = try Orchestrator(
            model: planningModel([]), tools: tools, selector: try Self.selector(tools), workflows: [Self.report])
        await #expect(throws: OrchestratorError.self) { try await one.run("Make the inventory report") }
        #expect(throws: WorkflowError.self) {
            _ = try Orchestrator(model: planningModel([]), tools: tools, workflows: [Self.report, Self.report])
        }
    }

    @Test("a workflow that cannot run with the tools is refused when the orchestrator is made")
    func invalidWorkflow() throws {
        let broken = WorkflowDefinition(
            name: "broken", version: "1", steps: [WorkflowStep(id: "a", kind: .tool(name: "fax", input: [:]))])
        #expect(throws: WorkflowError.self) {
            _ = try Orchestrator(model: planningModel([]), tools: try Self.tools(ToolBench()), workflows: [broken])
        }
    }
}
