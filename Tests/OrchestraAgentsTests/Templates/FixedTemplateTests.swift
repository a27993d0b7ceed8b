import Foundation
import OrchestraTesting
import Synchronization
import Testing

@testable import OrchestraAgents

@Suite("The Fixed template: running a workflow")
struct FixedTemplateTests {
    static func definition(_ steps: String, output: String? = nil) throws -> WorkflowDefinition {
        let extra = output.map { #", "output": "\#($0)""# } ?? ""
        return try WorkflowDefinition(json: Data(#"{"name": "w", "version": "1", "steps": \#(steps)\#(extra)}"#.utf8))
    }

    /// Runs `workflow` on `input`, recording its events.
    static func run(
        _ workflow: WorkflowDefinition, _ input: JSONValue = .null, model: any ChatModel = ScriptedModel([]),
        tools: ToolRegistry = ToolRegistry(), answer: WorkflowRunnable.Answer? = nil
    ) async throws -> (Result<JSONValue, OrchestrationError>, EventRecorder) {
        let orchestration = try Orchestration.fixed(workflow, model: model, tools: tools, answer: answer)
        let recorder = EventRecorder()
        _ = recorder.attach(to: orchestration)
        let handle = orchestration.start(input)
        let result = await handle.result
        await orchestration.waitForHooks()
        return (result, recorder)
    }

    static func paths(_ recorder: EventRecorder, _ kind: String) -> [String] {
        recorder.events.filter { $0.kind.name == kind }.map(\.path.description)
    }

    /// A recorded step's path, as in `w/visualize/chart`.
    static func path(_ step: RunRecord.Step) -> String {
        (step.parent.map { "\($0)/" } ?? "") + step.state
    }

    @Test("the seed's data-analysis workflow runs: values flow through references, the output is its template's")
    func dataAnalysis() async throws {
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("database_query") { _ in
                ["rows": [["region": "north", "total": 120], ["region": "south", "total": 80]]]
            },
            bench.tool("chart_create") { arguments in ["chart": .string("bars of \(arguments["values"] ?? .null)")] },
            bench.tool("report_generate") { arguments in .string("Report: \(arguments["summary"]?.stringValue ?? "")")
            },
        ])
        let model = ScriptedModel([.json(["chart_data": [120, 80], "summary": "North sold more."])])
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("Examples/Workflows/data-analysis.json"))
        let workflow = try WorkflowDefinition(json: data, tools: tools)

        let (result, recorder) = try await Self.run(workflow, ["year": 2025], model: model, tools: tools)

        #expect(
            try result.get()
                == ["chart": ["chart": "bars of [120,80]"], "report": "Report: North sold more."])
        // A string that is one reference stands for the value; one with text around it is text.
        #expect(
            bench.arguments(of: "database_query") == [
                ["query": "SELECT region, month, total FROM sales WHERE year = 2025"]
            ])
        #expect(bench.arguments(of: "chart_create") == [["values": [120, 80]]])
        let prompt = try #require(model.requests.first.map(lastUserText))
        #expect(prompt.hasSuffix(#"[{"region":"north","total":120},{"region":"south","total":80}]"#))
        guard case .jsonSchema(_, let schema) = model.requests[0].responseFormat else {
            Issue.record("the llm step's request does not carry its output_schema")
            return
        }
        #expect(schema.required == ["chart_data", "summary"])
        #expect(
            Set(Self.paths(recorder, "stateCompleted"))
                == [
                    "data-analysis/load_data", "data-analysis/analyze", "data-analysis/visualize/chart",
                    "data-analysis/visualize/report", "data-analysis/visualize", "data-analysis",
                ])
    }

    @Test("steps whose dependencies are met run at once, and a step waits for all of its dependencies")
    func concurrency() async throws {
        let meeting = Rendezvous()
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("left") { _ in .bool(await meeting.arrive()) },
            bench.tool("right") { _ in .bool(await meeting.arrive()) },
            bench.tool("join") { arguments in arguments },
        ])
        let workflow = try Self.definition(
            #"""
            [{"id": "a", "kind": "tool", "tool": "left"}, {"id": "b", "kind": "tool", "tool": "right"},
             {"id": "c", "kind": "tool", "tool": "join", "depends_on": ["a", "b"],
              "input": {"a": "${a.output}", "b": "${b.output}"}}]
            """#)
        let (result, recorder) = try await Self.run(workflow, tools: tools)
        #expect(try result.get() == ["a": true, "b": true])
        let order = recorder.events.filter { $0.kind.name == "stateCompleted" || $0.kind.name == "stateStarted" }
            .map { "\($0.kind.name == "stateStarted" ? "+" : "-")\($0.path.last)" }
        let joinStarts = try #require(order.firstIndex(of: "+c"))
        #expect(order.firstIndex(of: "-a").map { $0 < joinStarts } == true)
        #expect(order.firstIndex(of: "-b").map { $0 < joinStarts } == true)
    }

    @Test("a step is retried as its retry says, and each attempt is limited by its timeout")
    func retryAndTimeout() async throws {
        struct Flaky: Error {}
        let calls = Mutex(0)
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("flaky") { _ in
                guard
                    calls.withLock({
                        $0 += 1; return $0
                    }) > 2
                else { throw Flaky() }
                return "fine"
            },
            bench.tool("slow") { _ in
                try await Task.sleep(for: .seconds(600))
                return "late"
            },
        ])
        let retried = try Self.definition(
            #"[{"id": "a", "kind": "tool", "tool": "flaky", "retry": {"max_attempts": 3, "initial_delay": 0}}]"#)
        let (result, recorder) = try await Self.run(retried, tools: tools)
        #expect(try result.get() == "fine")
        #expect(Self.paths(recorder, "retrying") == ["w/a", "w/a"])

        let timed = try Self.definition(#"[{"id": "a", "kind": "tool", "tool": "slow", "timeout": 0.01}]"#)
        let (late, _) = try await Self.run(timed, tools: tools)
        guard case .failure(let error) = late else {
            Issue.record("a step past its timeout completed")
            return
        }
        #expect(error.code == .timedOut)
        #expect(error.state == "w/a")
    }

    @Test("a run error is never retried, not even inside a step whose retry would run its steps again")
    func runErrorsAreNotRetried() async throws {
        let workflow = try Self.definition(
            #"""
            [{"id": "p", "kind": "parallel", "retry": {"max_attempts": 3, "initial_delay": 0},
              "steps": [{"id": "a", "kind": "llm", "prompt": "${input.missing}"}]}]
            """#)
        let (result, recorder) = try await Self.run(workflow, [:])
        guard case .failure(let error) = result else {
            Issue.record("a missing value was answered")
            return
        }
        #expect(WorkflowExecutor.isRunError(error))
        #expect(Self.paths(recorder, "retrying").isEmpty)
    }

    @Test("a branch runs the side its condition picks, and returns that side's last output")
    func branch() async throws {
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("score") { arguments in ["value": arguments["value"] ?? .null] },
            bench.tool("praise") { _ in "well done" }, bench.tool("scold") { _ in "try again" },
        ])
        let workflow = try Self.definition(
            #"""
            [{"id": "check", "kind": "tool", "tool": "score", "input": {"value": "${input.score}"}},
             {"id": "verdict", "kind": "branch", "depends_on": ["check"],
              "condition": {"value": "${check.output.value}", "greater_than": 0.8},
              "then": [{"id": "good", "kind": "tool", "tool": "praise"}],
              "else": [{"id": "bad", "kind": "tool", "tool": "scold"}]}]
            """#)
        let (high, recorder) = try await Self.run(workflow, ["score": 0.9], tools: tools)
        #expect(try high.get() == "well done")
        #expect(Self.paths(recorder, "stateCompleted").contains("w/verdict/good"))
        #expect(!Self.paths(recorder, "stateStarted").contains("w/verdict/bad"))
        let (low, _) = try await Self.run(workflow, ["score": 0.3], tools: tools)
        #expect(try low.get() == "try again")

        let (text, _) = try await Self.run(workflow, ["score": "high"], tools: tools)
        guard case .failure(let error) = text, let problem = error.underlying as? WorkflowRunError else {
            Issue.record("a condition on text that is no number passed: \(text)")
            return
        }
        #expect(problem.code == .notComparable)
        #expect(
            problem.description == #"step 'verdict': ${check.output.value} is string "high", not a number to compare"#)
    }

    @Test("a loop runs until its condition holds, each iteration seeing the one before; past its bound it fails")
    func loop() async throws {
        let model = ScriptedModel { request in
            let draft = lastUserText(request)
            return .text(draft.count >= 11 ? "\(draft) DONE" : "\(draft)+")
        }
        let workflow = try Self.definition(
            #"""
            [{"id": "refine", "kind": "loop", "max_iterations": 5,
              "until": {"value": "${draft.output}", "contains": "DONE"},
              "steps": [{"id": "draft", "kind": "llm", "prompt": "${input}${refine.output}"}]}]
            """#)
        let (result, recorder) = try await Self.run(workflow, "draft", model: model)
        #expect(try result.get() == "draftdraft+ DONE")
        #expect(model.requests.map(lastUserText) == ["draft", "draftdraft+"])
        #expect(Self.paths(recorder, "stateCompleted").prefix(2) == ["w/refine[0]/draft", "w/refine[1]/draft"])

        // In the first iteration the loop's output, and any path into it, is null: it writes as nothing.
        let paths = try Self.definition(
            #"""
            [{"id": "refine", "kind": "loop", "max_iterations": 2,
              "steps": [{"id": "draft", "kind": "llm", "prompt": "[${refine.output.text}]",
                         "output_schema": {"type": "object", "properties": {"text": {"type": "string"}}}}]}]
            """#)
        let echo = ScriptedModel { request in .json(["text": .string(lastUserText(request) + "!")]) }
        let (echoed, _) = try await Self.run(paths, model: echo)
        #expect(try echoed.get() == ["text": "[[]!]!"])

        let bounded = try Self.definition(
            #"""
            [{"id": "refine", "kind": "loop", "max_iterations": 2,
              "until": {"value": "${draft.output}", "equals": "never"},
              "steps": [{"id": "draft", "kind": "llm", "prompt": "again"}]}]
            """#)
        let (endless, _) = try await Self.run(bounded, model: ScriptedModel { _ in .text("still") })
        guard case .failure(let error) = endless else {
            Issue.record("a loop past its bound completed")
            return
        }
        #expect(error.code == .iterationLimitReached)
        #expect(error.message == "loop 'refine' ran its 2 iterations and ${draft.output} never met its condition")
    }

    @Test("an input step asks the workflow's answer handler; a workflow with one and no handler is refused")
    func input() async throws {
        let workflow = try Self.definition(
            #"[{"id": "ask", "kind": "input", "prompt": "Approve ${input.title}?"}]"#)
        let (result, _) = try await Self.run(workflow, ["title": "the report"]) { question in
            .string("\(question.step): yes to '\(question.prompt)'")
        }
        #expect(try result.get() == "ask: yes to 'Approve the report?'")
        #expect(throws: WorkflowError.self) {
            _ = try WorkflowRunnable(workflow, model: ScriptedModel([]))
        }
        do {
            _ = try WorkflowRunnable(workflow, model: ScriptedModel([]))
        } catch {
            #expect(error.diagnostics.map(\.code) == [.needsPerson])
            #expect(error.diagnostics.map(\.path) == ["$.steps[0]"])
        }
    }

    @Test("a value missing at run time, or a tool input its schema rejects, fails the run naming the step")
    func runtimeErrors() async throws {
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("load") { _ in ["items": [1, 2]] },
            bench.tool(
                "count", parameters: .object(properties: ["n": .integer()], required: ["n"], additionalProperties: nil)),
        ])
        let missing = try Self.definition(
            #"""
            [{"id": "load", "kind": "tool", "tool": "load"},
             {"id": "use", "kind": "llm", "depends_on": ["load"], "prompt": "Sum ${load.output.rows}"}]
            """#)
        let (result, recorder) = try await Self.run(missing, tools: tools)
        guard case .failure(let error) = result, let problem = error.underlying as? WorkflowRunError else {
            Issue.record("a missing value did not fail the run: \(result)")
            return
        }
        #expect(problem.code == .missingValue)
        #expect(
            problem.description
                == "step 'use': ${load.output.rows} has no value: the output of 'load' has no member 'rows'; its members are items"
        )
        #expect(try #require(recorder.events.last?.record).steps.map(Self.path).contains("w/load"))

        let badInput = try Self.definition(
            #"""
            [{"id": "load", "kind": "tool", "tool": "load"},
             {"id": "tally", "kind": "tool", "tool": "count", "depends_on": ["load"], "input": {"n": "${load.output.items}"}}]
            """#)
        let (rejected, _) = try await Self.run(badInput, tools: tools)
        guard case .failure(let failure) = rejected, let reason = failure.underlying as? WorkflowRunError else {
            Issue.record("an input the tool's schema rejects reached the tool: \(rejected)")
            return
        }
        #expect(reason.code == .invalidToolInput)
        #expect(bench.arguments(of: "count").isEmpty)
    }

    @Test("a step that fails ends the run naming it, cancels its running siblings, and keeps what completed")
    func failure() async throws {
        struct Broken: Error {}
        let bench = ToolBench()
        let tools = try ToolRegistry([
            bench.tool("ok") { _ in "done" },
            bench.tool("broken") { _ in throw Broken() },
            bench.tool("slow") { _ in
                try await Task.sleep(for: .seconds(600))
                return "late"
            },
        ])
        let workflow = try Self.definition(
            #"""
            [{"id": "first", "kind": "tool", "tool": "ok"},
             {"id": "slow", "kind": "tool", "tool": "slow", "depends_on": ["first"]},
             {"id": "bad", "kind": "tool", "tool": "broken", "depends_on": ["first"]}]
            """#)
        let (result, recorder) = try await Self.run(workflow, tools: tools)
        guard case .failure(let error) = result else {
            Issue.record("a failing step did not fail the run")
            return
        }
        #expect(error.code == .stateFailed)
        #expect(error.state == "w/bad")
        #expect(error.underlying is Broken)
        let record = try #require(recorder.events.last?.record)
        #expect(record.steps.first { Self.path($0) == "w/first" }?.failed == false)
        #expect(record.steps.first { Self.path($0) == "w/slow" }?.failed == true)
    }

    @Test("an llm step with an output schema has a broken answer repaired, and answers its JSON")
    func outputSchema() async throws {
        let model = ScriptedModel([.json(["score": "high"]), .json(["score": 0.7])])
        let workflow = try Self.definition(
            #"""
            [{"id": "rate", "kind": "llm", "prompt": "Rate it",
              "output_schema": {"type": "object", "properties": {"score": {"type": "number"}}, "required": ["score"]}}]
            """#)
        let (result, _) = try await Self.run(workflow, model: model)
        #expect(try result.get() == ["score": 0.7])
        #expect(model.requests.count == 2)
        #expect(lastUserText(model.requests[1]).contains("$.score"))
    }

    @Test("the Simple template answers in one model call, streaming its tokens")
    func simple() async throws {
        let model = ScriptedModel([.text("A state machine is a set of states and the moves between them.")])
        let simple = Orchestration.simple(model: model, instructions: "Answer in one sentence.")
        let handle = simple.start("What is a state machine?")
        var tokens = ""
        for await event in handle.events {
            if case .token(let text)? = event.chunk(as: StreamChunk.self) { tokens += text }
        }
        let answer = try await handle.value
        #expect(answer == "A state machine is a set of states and the moves between them.")
        #expect(tokens == answer)
        #expect(model.requests.count == 1)
        #expect(model.requests[0].messages.first?.content == "Answer in one sentence.")
    }
}
