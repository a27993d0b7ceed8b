import Foundation
import OrchestraAgents
import Testing

@Suite("Agent plans")
struct AgentPlanTests {
    static func tools() throws -> ToolRegistry {
        let bench = ToolBench()
        return try ToolRegistry([
            bench.tool(
                "search",
                parameters: .object(properties: ["query": .string(), "limit": .integer()], required: ["query"]))
        ])
    }

    static let search = #"{"id": "s", "kind": "tool", "tool": "search", "input": {"query": "${input}"}}"#

    @Test(
        "every broken plan is refused with its exact diagnostics",
        arguments: [
            (#"["s"]"#, ["$: a plan is an object with 'steps', not array"]),
            (
                #"{"plan": []}"#,
                ["$.plan: a plan has only 'steps'; remove 'plan'", "$: missing 'steps': an array of steps"]
            ),
            (#"{"steps": []}"#, ["$.steps: a workflow needs at least one step"]),
            (
                #"{"steps": [{"id": "b", "kind": "branch", "condition": {"value": "x", "exists": true}, "then": [\#(search)]}]}"#,
                ["$.steps[0].kind: a plan's steps are llm or tool steps, not branch; use depends_on to order them"]
            ),
            (
                #"{"steps": [{"id": "s", "kind": "tool", "tool": "browse", "input": {}}]}"#,
                ["$.steps[0].tool: no tool 'browse' is registered; the tools are search"]
            ),
            (
                #"{"steps": [{"id": "s", "kind": "tool", "tool": "search", "input": {"limit": "ten"}}]}"#,
                [
                    "$.steps[0].input: is missing the required member 'query', for the parameters of search",
                    #"$.steps[0].input.limit: expected integer, found string "ten", for the parameters of search"#,
                ]
            ),
            (
                #"{"steps": [\#(search), {"id": "t", "kind": "llm", "prompt": "${u.output}", "depends_on": ["u"]}]}"#,
                [
                    "$.steps[1].depends_on[0]: no step 'u'; the steps at this level are s",
                    "$.steps[1].prompt: ${u.output} names no step there is",
                ]
            ),
            (
                #"{"steps": [{"id": "a", "kind": "llm", "prompt": ".", "depends_on": ["b"]}, {"id": "b", "kind": "llm", "prompt": ".", "depends_on": ["a"]}]}"#,
                ["$.steps[0].depends_on: dependency cycle: a → b → a"]
            ),
            (
                #"{"steps": [\#(search), \#(search), \#(search)]}"#,
                [
                    "$.steps: the plan has 3 steps; it may have at most 2",
                    "$.steps[1].id: the id 's' is already the id of the step at $.steps[0]",
                    "$.steps[2].id: the id 's' is already the id of the step at $.steps[0]",
                ]
            ),
        ])
    func broken(plan: String, messages: [String]) throws {
        let (value, tools) = (try JSONValue(json: plan), try Self.tools())
        do {
            _ = try AgentPlan(value, tools: tools, maxSteps: 2)
            Issue.record("accepted \(plan)")
        } catch {
            #expect(error.diagnostics.map(\.description) == messages)
        }
    }

    @Test("a plan of what remains may use the steps that ran, may not take their ids, and may be empty")
    func remaining() throws {
        let tools = try Self.tools()
        let after = try AgentPlan(
            try JSONValue(
                json: #"{"steps": [{"id": "t", "kind": "llm", "depends_on": ["s"], "prompt": "${s.output}"}]}"#),
            tools: tools, completed: ["s"])
        #expect(after.steps.map(\.id) == ["t"])
        #expect(try AgentPlan(try JSONValue(json: #"{"steps": []}"#), tools: tools, completed: ["s"]).steps.isEmpty)
        let reused = try JSONValue(json: #"{"steps": [\#(Self.search)]}"#)
        do {
            _ = try AgentPlan(reused, tools: tools, completed: ["s"])
            Issue.record("a plan reused the id of a step that ran")
        } catch {
            #expect(
                error.diagnostics.map(\.description)
                    == ["$.steps[0].id: the id 's' is the id of a step that has already run; give this step another id"]
            )
        }
    }

    @Test("the schema built from the tools offers an llm step and one tool step per tool, with its parameters")
    func schema() throws {
        let tools = try Self.tools()
        let schema = AgentPlan.schema(tools: tools, maxSteps: 4)
        let steps = try #require(schema.properties?["steps"])
        #expect(steps.maxItems == 4)
        let kinds = try #require(steps.items?.anyOf)
        #expect(kinds.count == 2)
        #expect(kinds[1].properties?["tool"]?.constant == "search")
        // The tool's parameters, with a reference to an earlier step's output allowed for the integer.
        let input = try #require(kinds[1].properties?["input"])
        #expect(input.required == ["query"])
        #expect(input.properties?["query"] == JSONSchema.string())
        #expect(input.properties?["limit"]?.anyOf?.first == JSONSchema.integer())
        #expect(
            schema.accepts(
                try JSONValue(
                    json:
                        #"{"steps": [{"id": "s", "kind": "tool", "tool": "search", "input": {"query": "q", "limit": "${t.output}"}}]}"#
                )))
        #expect(
            !schema.accepts(
                try JSONValue(
                    json: #"{"steps": [{"id": "s", "kind": "tool", "tool": "search", "input": {"limit": 3}}]}"#)))
        let plan = try JSONValue(json: #"{"steps": [\#(Self.search), {"id": "t", "kind": "llm", "prompt": "."}]}"#)
        #expect(schema.validate(plan) == [])
        #expect(
            !schema.accepts(
                try JSONValue(json: #"{"steps": [{"id": "s", "kind": "tool", "tool": "browse", "input": {}}]}"#)))
    }
}
