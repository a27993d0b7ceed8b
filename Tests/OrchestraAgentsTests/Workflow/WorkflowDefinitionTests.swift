import Foundation
import OrchestraAgents
import Testing

@Suite("Workflow definitions")
struct WorkflowDefinitionTests {
    /// The tools `tool` steps may call; a registry that cannot be made fails the test that asks for it.
    static func tools(
        _ names: [String] = ["database_query", "chart_create", "report_generate", "search"]
    ) throws -> ToolRegistry {
        try ToolRegistry(
            names.map { name in
                FunctionTool(
                    name: name, description: name, parameters: .object(properties: [:], additionalProperties: nil)
                ) {
                    _ in .null
                }
            })
    }

    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test("the sample data-analysis workflow reads, checks, and is valid against the format's schema")
    func sample() throws {
        let tools = try Self.tools()
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Examples/Workflows/data-analysis.json"))
        let workflow = try WorkflowDefinition(json: data, tools: tools)
        #expect(workflow.name == "data-analysis")
        #expect(workflow.steps.map(\.id) == ["load_data", "analyze", "visualize"])
        #expect(workflow.steps[1].dependsOn == ["load_data"])
        #expect(workflow.steps[1].retry == WorkflowStep.Retry(maxAttempts: 2))
        #expect(workflow.steps[0].timeout == .seconds(30))
        guard case .parallel(let children) = workflow.steps[2].kind else {
            Issue.record("visualize is not a parallel step")
            return
        }
        #expect(children.map(\.id) == ["chart", "report"])
        #expect(workflow.output?.references.map(\.description) == ["${visualize.output}"])
        #expect(WorkflowDefinition.schema.validate(try JSONDecoder().decode(JSONValue.self, from: data)) == [])
        #expect(workflow.validate(tools: tools) == [])
    }

    /// A one-step workflow around `steps`.
    static func workflow(_ steps: String, extra: String = "") -> String {
        #"{"name": "w", "version": "1", "steps": \#(steps)\#(extra)}"#
    }

    @Test(
        "every broken definition is refused with its exact diagnostics",
        arguments: [
            ("{", [("not JSON", "$")]),
            (#"{"version": "1", "steps": [{"id": "a", "kind": "input", "prompt": "?"}]}"#, [("missing field", "$")]),
            (workflow("[]"), [("bad value", "$.steps")]),
            (workflow(#"[{"id": "a", "kind": "llmm", "prompt": "hi"}]"#), [("bad kind", "$.steps[0].kind")]),
            (workflow(#"[{"id": "a", "prompt": "hi"}]"#), [("missing field", "$.steps[0]")]),
            (workflow(#"[{"id": "a", "kind": "llm"}]"#), [("missing field", "$.steps[0]")]),
            (
                workflow(#"[{"id": "a", "kind": "llm", "prompt": "hi", "depend_on": []}]"#),
                [("unknown field", "$.steps[0].depend_on")]
            ),
            (workflow(#"[{"id": "a", "kind": "llm", "prompt": 3}]"#), [("wrong type", "$.steps[0].prompt")]),
            (
                workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?"}, {"id": "a", "kind": "input", "prompt": "?"}]"#),
                [("duplicate id", "$.steps[1].id")]
            ),
            (
                workflow(#"[{"id": "a", "kind": "input", "prompt": "?", "depends_on": ["b"]}]"#),
                [("unknown step", "$.steps[0].depends_on[0]")]
            ),
            (
                workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?", "depends_on": ["c"]}, {"id": "b", "kind": "input", "prompt": "?", "depends_on": ["a"]}, {"id": "c", "kind": "input", "prompt": "?", "depends_on": ["b"]}]"#
                ), [("dependency cycle", "$.steps[0].depends_on")]
            ),
            (
                workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?"}, {"id": "b", "kind": "llm", "prompt": "${a.output}"}]"#
                ),
                [("not upstream", "$.steps[1].prompt")]
            ),
            (
                workflow(#"[{"id": "a", "kind": "llm", "prompt": "${nope.output}"}]"#),
                [("unknown step", "$.steps[0].prompt")]
            ),
            (
                workflow(#"[{"id": "a", "kind": "llm", "prompt": "${a.result}"}]"#),
                [("bad reference", "$.steps[0].prompt")]
            ),
            (workflow(#"[{"id": "a", "kind": "llm", "prompt": "${input"}]"#), [("bad reference", "$.steps[0].prompt")]),
            (workflow(#"[{"id": "a", "kind": "tool", "tool": "srch"}]"#), [("unknown tool", "$.steps[0].tool")]),
            (
                workflow(#"[{"id": "a", "kind": "tool", "tool": "search", "input": {"q": ["${b.output}"]}}]"#),
                [("unknown step", "$.steps[0].input.q[0]")]
            ),
            (
                workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?", "retry": {"max_attempts": 0}, "timeout": -1}]"#),
                [("bad value", "$.steps[0].retry.max_attempts"), ("bad value", "$.steps[0].timeout")]
            ),
            (
                // Past what a Duration holds: reported, where converting it would trap.
                workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?", "retry": {"max_attempts": 2, "initial_delay": 1e300}, "timeout": -1e300}]"#
                ),
                [("bad value", "$.steps[0].retry.initial_delay"), ("bad value", "$.steps[0].timeout")]
            ),
            (workflow(#"[{"id": "a.b", "kind": "input", "prompt": "?"}]"#), [("bad value", "$.steps[0].id")]),
            (
                workflow(
                    #"[{"id": "l", "kind": "loop", "max_iterations": 0, "steps": [{"id": "x", "kind": "input", "prompt": "?"}]}]"#
                ),
                [("bad value", "$.steps[0].max_iterations")]
            ),
            (
                workflow(
                    #"[{"id": "c", "kind": "branch", "condition": {"value": "${input}"}, "then": [{"id": "x", "kind": "input", "prompt": "?"}]}]"#
                ),
                [("bad value", "$.steps[0].condition")]
            ),
            (
                workflow(
                    #"[{"id": "p", "kind": "parallel", "steps": [{"id": "x", "kind": "input", "prompt": "?"}, {"id": "y", "kind": "llm", "prompt": "${x.output}", "depends_on": ["x"]}]}, {"id": "z", "kind": "llm", "prompt": "?", "depends_on": ["x"]}]"#
                ), [("unknown step", "$.steps[1].depends_on[0]")]
            ),
            (
                workflow(#"[{"id": "a", "kind": "input", "prompt": "?"}]"#, extra: #", "output": "${b.output}""#),
                [("unknown step", "$.output")]
            ),
        ] as [(String, [(String, String)])])
    func broken(json: String, expected: [(String, String)]) throws {
        let tools = try Self.tools()
        do {
            _ = try WorkflowDefinition(json: Data(json.utf8), tools: tools)
            Issue.record("accepted: \(json)")
        } catch {
            let found = error.diagnostics.map { ($0.code.rawValue, $0.path) }
            #expect(found.map { "\($0.0) at \($0.1)" } == expected.map { "\($0.0) at \($0.1)" }, "\(error)")
        }
    }

    @Test("diagnostics say what to fix: the cycle spelled out, the steps there are, the near name")
    func messages() throws {
        let tools = try Self.tools()
        let cases: [(String, String)] = [
            (
                Self.workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?", "depends_on": ["c"]}, {"id": "b", "kind": "input", "prompt": "?", "depends_on": ["a"]}, {"id": "c", "kind": "input", "prompt": "?", "depends_on": ["b"]}]"#
                ), "$.steps[0].depends_on: dependency cycle: a → c → b → a"
            ),
            (
                Self.workflow(
                    #"[{"id": "load", "kind": "input", "prompt": "?"}, {"id": "b", "kind": "input", "prompt": "?", "depends_on": ["lod"]}]"#
                ),
                "$.steps[1].depends_on[0]: no step 'lod'; the steps at this level are load"
            ),
            (
                Self.workflow(#"[{"id": "a", "kind": "llm", "prompt": "hi", "depend_on": []}]"#),
                "$.steps[0].depend_on: unknown field 'depend_on'; did you mean 'depends_on'?"
            ),
            (
                Self.workflow(
                    #"[{"id": "a", "kind": "input", "prompt": "?"}, {"id": "b", "kind": "llm", "prompt": "${a.output.x}"}]"#
                ),
                "$.steps[1].prompt: ${a.output.x} names 'a', which does not run before 'b'; add 'a' to its depends_on, "
                    + "or to the depends_on of a step it depends on"
            ),
            (
                Self.workflow(#"[{"id": "a", "kind": "tool", "tool": "srch"}]"#),
                "$.steps[0].tool: no tool 'srch' is registered; the tools are chart_create, database_query, "
                    + "report_generate, search"
            ),
        ]
        for (json, message) in cases {
            #expect(throws: WorkflowError.self) { try WorkflowDefinition(json: Data(json.utf8), tools: tools) }
            do {
                _ = try WorkflowDefinition(json: Data(json.utf8), tools: tools)
            } catch {
                #expect(error.diagnostics.map(\.description) == [message])
            }
        }
    }

    @Test("references reach through levels: a nested step sees what its container depends on")
    func nestedReferences() throws {
        let json = Self.workflow(
            #"[{"id": "a", "kind": "input", "prompt": "?"}, {"id": "loop", "kind": "loop", "depends_on": ["a"], "max_iterations": 3, "until": {"value": "${draft.output.done}", "equals": true}, "steps": [{"id": "draft", "kind": "llm", "prompt": "Improve ${a.output} and ${loop.output} with ${input.style}"}, {"id": "after", "kind": "parallel", "steps": [{"id": "deep", "kind": "llm", "prompt": "x"}]}]}, {"id": "later", "kind": "llm", "depends_on": ["loop"], "prompt": "${loop.output}"}]"#
        )
        // `until` sees the loop's own steps and output; inside, `${loop.output}` is the iteration before.
        let workflow = try WorkflowDefinition(json: Data(json.utf8))
        #expect(workflow.steps.count == 3)
        // It does not see a step nested deeper in the loop, nor one that runs after the loop.
        for (written, value, path, message) in [
            (
                "${draft.output.done}", "${deep.output}", "$.steps[1].until.value",
                "${deep.output} names 'deep', at $.steps[1].steps[1].steps[0], inside a step at another level; refer "
                    + "to the step at this level that holds it, once it is upstream"
            ),
            (
                "${draft.output.done}", "${later.output}", "$.steps[1].until.value",
                "${later.output} names 'later', which does not run before 'loop'; add 'later' to its depends_on, or "
                    + "to the depends_on of a step it depends on"
            ),
            (
                "${a.output} and", "${after.output} and", "$.steps[1].steps[0].prompt",
                "${after.output} names 'after', which does not run before 'draft'; add 'after' to its depends_on, or "
                    + "to the depends_on of a step it depends on"
            ),
            (
                #"{"id": "deep", "kind": "llm", "prompt": "x"}"#,
                #"{"id": "deep", "kind": "llm", "prompt": "${after.output}"}"#,
                "$.steps[1].steps[1].steps[0].prompt",
                "${after.output} names 'after', which holds 'deep': its output is not there until the steps inside it "
                    + "have run (only a loop's steps see the loop's output, of the iteration before)"
            ),
            (
                "${a.output} and", "${later.output} and", "$.steps[1].steps[0].prompt",
                "${later.output} names 'later', which does not run before the step that holds 'draft'; add 'later' "
                    + "to the depends_on of that step"
            ),
        ] {
            let broken = json.replacingOccurrences(of: written, with: value)
            do {
                _ = try WorkflowDefinition(json: Data(broken.utf8))
                Issue.record("accepted \(value) at \(path)")
            } catch {
                #expect(error.diagnostics.map(\.description) == ["\(path): \(message)"])
            }
        }
    }

    @Test("the broken definition in Docs/Templates.md gets the diagnostics the page shows, in order")
    func documentedDiagnostics() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("Docs/Templates.md"), encoding: .utf8)
        let section = try #require(page.components(separatedBy: "### Checked before it runs").dropFirst().first)
        let blocks = section.components(separatedBy: "```")
        // blocks[1] is "json\n{…}\n", blocks[3] is "text\nthe workflow definition has …\n".
        let json = String(try #require(blocks.dropFirst().first).dropFirst("json\n".count))
        let shown = String(try #require(blocks.dropFirst(3).first).dropFirst("text\n".count))
        do {
            _ = try WorkflowDefinition(
                json: Data(json.utf8), tools: try Self.tools(["chart_create", "database_query", "report_generate"]))
            Issue.record("the page's broken definition was accepted")
        } catch {
            #expect("\(error)\n" == shown)
        }
    }

    @Test("a definition made in code is checked as one read from JSON, with paths from its structure")
    func madeInCode() throws {
        let tools = try Self.tools()
        let workflow = WorkflowDefinition(
            name: "w", version: "1",
            steps: [
                WorkflowStep(id: "a", kind: .tool(name: "search", input: ["q": "${input}"])),
                WorkflowStep(
                    id: "b",
                    kind: .llm(prompt: try WorkflowTemplate("${c.output}"), instructions: nil, outputSchema: nil)),
                WorkflowStep(id: "c", kind: .input(prompt: try WorkflowTemplate("?")), dependsOn: ["c"]),
            ])
        #expect(
            workflow.validate(tools: tools).map(\.description) == [
                "$.steps[1].prompt: ${c.output} names 'c', which does not run before 'b'; add 'c' to its depends_on, "
                    + "or to the depends_on of a step it depends on",
                "$.steps[2].depends_on[0]: dependency cycle: 'c' depends on itself",
            ])
    }

    @Test("templates cut text into literals and references; $$ is a dollar sign")
    func templates() throws {
        let template = try WorkflowTemplate("Total: $$${load.output.rows.0.total} for ${input.region}.")
        #expect(
            template.parts == [
                .literal("Total: $"),
                .reference(try #require(template.references.first)),
                .literal(" for "),
                .reference(try #require(template.references.last)),
                .literal("."),
            ])
        #expect(template.references.map(\.description) == ["${load.output.rows.0.total}", "${input.region}"])
        #expect(template.references.first?.step == "load")
        #expect(template.references.first?.path == ["rows", "0", "total"])
        #expect(template.references.last?.source == .input)
        #expect(try WorkflowTemplate("costs $5").parts == [.literal("costs $5")])
        #expect(throws: WorkflowTemplate.Malformed.self) { try WorkflowTemplate("${load.rows}") }
        #expect(throws: WorkflowTemplate.Malformed.self) { try WorkflowTemplate("${}") }
    }

    @Test("orchestration types are their names in JSON")
    func orchestrationType() throws {
        #expect(try JSONEncoder().encode(OrchestrationType.planner) == Data(#""planner""#.utf8))
        #expect(try JSONDecoder().decode(OrchestrationType.self, from: Data(#""reactive""#.utf8)) == .reactive)
        #expect(OrchestrationType.schema.validate("fixed") == [])
        #expect(OrchestrationType.schema.validate("agentic").count == 1)
    }

    @Test(
        "the schema files in Docs/Schemas are generated from the code",
        arguments: [
            ("OrchestrationType.schema.json", OrchestrationType.schema),
            ("FixedWorkflow.schema.json", WorkflowDefinition.schema),
            ("AgentPlan.schema.json", AgentPlan.schema()),
            ("SelectionRules.schema.json", RuleBasedSelector.schema),
        ])
    func schemaFiles(file: String, schema: JSONSchema) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let generated = String(decoding: try encoder.encode(schema), as: UTF8.self) + "\n"
        let url = Self.root.appendingPathComponent("Docs/Schemas/\(file)")
        if ProcessInfo.processInfo.environment["ORCHESTRA_UPDATE_SCHEMAS"] == "1" {
            try Data(generated.utf8).write(to: url)
            Issue.record("wrote Docs/Schemas/\(file); run the tests again without ORCHESTRA_UPDATE_SCHEMAS to check it")
            return
        }
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(
            written == generated,
            "Docs/Schemas/\(file) differs from the code; run `ORCHESTRA_UPDATE_SCHEMAS=1 swift test --filter schemaFiles`"
        )
    }
}
