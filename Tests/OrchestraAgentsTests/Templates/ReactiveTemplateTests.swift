import Foundation
import OrchestraTesting
import Synchronization
import Testing

@testable import OrchestraAgents

@Suite("The Reactive template")
struct ReactiveTemplateTests {
    struct Unreachable: Error, CustomStringConvertible {
        var description: String { "the mirror is unreachable" }
    }

    /// `fetch` fails; `mirror` and `search` work, `search` finding nothing for a query with "nothing" in it.
    static func tools(_ bench: ToolBench) throws -> ToolRegistry {
        try ToolRegistry([
            bench.tool("fetch") { _ in throw Unreachable() },
            bench.tool("mirror") { _ in "the page" },
            bench.tool("search", parameters: .object(properties: ["query": .string()], required: ["query"])) {
                arguments in
                let query = arguments["query"]?.stringValue ?? ""
                return ["results": query.contains("nothing") ? [] : [.string("about \(query)")]]
            },
        ])
    }

    static func run(_ reactive: Orchestration<String, String>, _ request: String) async throws
        -> (Result<String, OrchestrationError>, EventRecorder)
    {
        let recorder = EventRecorder()
        _ = recorder.attach(to: reactive)
        let result = await reactive.start(request).result
        await reactive.waitForHooks()
        return (result, recorder)
    }

    @Test("a step that fails has the remaining steps planned again; what completed is kept and not run again")
    func replansAfterFailure() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"""
            {"steps": [
              {"id": "topic", "kind": "tool", "tool": "search", "input": {"query": "${input}"}},
              {"id": "page", "kind": "tool", "tool": "fetch", "input": {}, "depends_on": ["topic"]},
              {"id": "sum", "kind": "llm", "depends_on": ["page"], "prompt": "Summarise ${page.output}"}
            ]}
            """#,
            #"""
            {"steps": [
              {"id": "copy", "kind": "tool", "tool": "mirror", "input": {}},
              {"id": "sum", "kind": "llm", "depends_on": ["copy", "topic"], "prompt": "Summarise ${copy.output} and ${topic.output.results.0}"}
            ]}
            """#,
        ])
        let reactive = Orchestration.reactive(model: model, tools: try Self.tools(bench))
        let (result, recorder) = try await Self.run(reactive, "tides")

        let answer = try result.get()
        #expect(answer.contains("- page (tool fetch) failed: the mirror is unreachable"))
        #expect(answer.contains("- sum (llm): llm(Summarise the page and about tides)"))
        #expect(bench.made.map(\.tool) == ["search", "fetch", "mirror"])
        let replans = recorder.events.compactMap { event -> Replan? in
            if case .replanned(let replan)? = event.chunk(as: PlanChunk.self) { return replan }
            return nil
        }
        #expect(replans.count == 1)
        #expect(replans.first?.number == 1)
        #expect(replans.first?.reason == "step 'page' failed: the mirror is unreachable")
        #expect(replans.first?.old.map(\.id) == ["sum"])
        #expect(replans.first?.new.map(\.id) == ["copy", "sum"])
        // The model saw what ran, why it plans again, and what it had planned.
        let replanRequest = lastUserText(try #require(planRequests(model).last))
        #expect(replanRequest.contains(#"- topic (tool search): {"results":["about tides"]}"#))
        #expect(replanRequest.contains("Why plan again: step 'page' failed: the mirror is unreachable"))
        #expect(replanRequest.contains(#""id":"sum""#))
        let states = recorder.events.filter { $0.kind.name == "stateCompleted" && !$0.path.description.contains("/") }
            .map(\.state)
        #expect(states == ["Plan", "Act", "Act", "Replan", "Act", "Act", "Answer"])
    }

    @Test("a step whose output meets the caller's condition has the remaining steps planned again")
    func replansOnCondition() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"{"steps": [{"id": "first", "kind": "tool", "tool": "search", "input": {"query": "nothing here"}}, {"id": "sum", "kind": "llm", "depends_on": ["first"], "prompt": "${first.output}"}]}"#,
            #"{"steps": [{"id": "second", "kind": "tool", "tool": "search", "input": {"query": "tides"}}]}"#,
        ])
        let reactive = Orchestration.reactive(model: model, tools: try Self.tools(bench)) { progress in
            progress.latest.contains { $0.output?["results"] == [] } ? .replan(because: "a search found nothing") : nil
        }
        let (result, recorder) = try await Self.run(reactive, "tides")
        let answer = try result.get()
        #expect(answer.contains(#"- second (tool search): {"results":["about tides"]}"#))
        #expect(!answer.contains("- sum"))
        #expect(bench.arguments(of: "search") == [["query": "nothing here"], ["query": "tides"]])
        let replan = recorder.events.compactMap { $0.chunk(as: PlanChunk.self) }.last
        #expect(
            replan
                == .replanned(
                    Replan(number: 1, reason: "a search found nothing", old: [try Self.sum()], new: [try Self.second()])
                ))
    }

    static func sum() throws -> WorkflowStep {
        try WorkflowDefinition(
            json: Data(
                #"{"name": "x", "version": "1", "steps": [{"id": "first", "kind": "llm", "prompt": "."}, {"id": "sum", "kind": "llm", "depends_on": ["first"], "prompt": "${first.output}"}]}"#
                    .utf8)
        ).steps[1]
    }

    static func second() throws -> WorkflowStep {
        WorkflowStep(id: "second", kind: .tool(name: "search", input: ["query": "tides"]))
    }

    @Test("the caller can finish early: the remaining steps do not run, and the answer uses what completed")
    func finishesEarly() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"{"steps": [{"id": "a", "kind": "tool", "tool": "search", "input": {"query": "tides"}}, {"id": "b", "kind": "tool", "tool": "mirror", "input": {}, "depends_on": ["a"]}]}"#
        ])
        let reactive = Orchestration.reactive(model: model, tools: try Self.tools(bench)) { progress in
            progress.outputs["a"] != nil ? .finish : nil
        }
        let answer = try await reactive.run("tides")
        #expect(answer.contains(#"- a (tool search): {"results":["about tides"]}"#))
        #expect(bench.made.map(\.tool) == ["search"])
    }

    @Test("re-plans are bounded: one more needed after a failure fails the run with ReplanLimitReached")
    func replanLimit() async throws {
        let bench = ToolBench()
        let failing = #"{"steps": [{"id": "page%d", "kind": "tool", "tool": "fetch", "input": {}}]}"#
        let model = planningModel((1...4).map { String(format: failing, $0) })
        let reactive = Orchestration.reactive(
            model: model, tools: try Self.tools(bench), limits: PlanLimits(maxReplans: 2))
        let (result, recorder) = try await Self.run(reactive, "x")
        guard case .failure(let error) = result else {
            Issue.record("a run past its re-plans completed")
            return
        }
        #expect(error.state == "Act")
        let limit = try #require(error.underlying as? ReplanLimitReached)
        #expect(limit == ReplanLimitReached(replans: 2, reason: "step 'page3' failed: the mirror is unreachable"))
        #expect(bench.made.count == 3)
        #expect(recorder.events.compactMap { $0.chunk(as: PlanChunk.self) }.count == 3)
    }

    @Test("the decision after a visit, as a table")
    func decisions() throws {
        func progress(_ plan: String, ran outcomes: [StepOutcome] = [], replans: Int = 0) throws -> PlanProgress {
            let plan = try AgentPlan(try JSONValue(json: plan), tools: try Self.tools(ToolBench()))
            return PlanProgress(request: "r", plan: plan, ran: outcomes, replans: replans)
        }
        let two =
            #"{"steps": [{"id": "a", "kind": "llm", "prompt": "."}, {"id": "b", "kind": "llm", "depends_on": ["a"], "prompt": "${a.output}"}]}"#
        let a = try progress(two).remaining[0]
        let limits = PlanLimits(maxReplans: 1)
        let cases: [(PlanProgress, ReactiveDecision?, ReactiveDecision?)] = [
            (try progress(two, ran: [.completed(a, "x")]), nil, .continue),
            (try progress(two, ran: [.failed(a, "down")]), nil, .replan(because: "step 'a' failed: down")),
            (try progress(two, ran: [.completed(a, "x")]), .finish, .finish),
            // Continuing past a failure leaves b waiting forever: that needs a re-plan.
            (
                try progress(two, ran: [.failed(a, "down")]), .continue,
                .replan(because: "the steps b wait for steps that did not complete")
            ),
            // Past the bound, a re-plan the caller asks for without a failure is skipped.
            (try progress(two, ran: [.completed(a, "x")], replans: 1), .replan(because: "why not"), .continue),
            // Past the bound after a failure, the run cannot go on.
            (try progress(two, ran: [.failed(a, "down")], replans: 1), nil, nil),
        ]
        for (progress, asked, expected) in cases {
            let decision = try? ReactiveStates.resolve(asked, after: progress, limits: limits)
            #expect(decision == expected, "asked \(String(describing: asked)) after \(progress.latest)")
        }
    }
}

@Suite("Planner and Reactive bounds")
struct PlanBoundsTests {
    @Test("a re-plan after the first step failed may answer that nothing remains, and the run answers")
    func emptyReplan() async throws {
        let bench = ToolBench()
        let model = planningModel([
            #"{"steps": [{"id": "step1", "kind": "tool", "tool": "fetch", "input": {}}]}"#, #"{"steps": []}"#,
        ])
        let reactive = Orchestration.reactive(model: model, tools: try ReactiveTemplateTests.tools(bench))
        let answer = try await reactive.run("x")
        #expect(answer.contains("- step1 (tool fetch) failed: the mirror is unreachable"))
        // The re-plan's schema offered ids past the failed step's, and allowed no steps.
        guard case .jsonSchema(_, let schema)? = planRequests(model).last?.responseFormat else {
            Issue.record("no re-plan request")
            return
        }
        #expect(schema.properties?["steps"]?.minItems == 0)
        #expect(schema.properties?["steps"]?.items?.anyOf?.first?.properties?["id"]?.allowedValues?.first == "step2")
    }

    @Test("limits out of range fail the run at its first state, naming the field")
    func badLimits() async throws {
        let model = planningModel([])
        for (limits, problem) in [
            (PlanLimits(maxSteps: 0), "PlanLimits.maxSteps is 0; it must be at least 1"),
            (PlanLimits(maxRepairs: -1), "PlanLimits.maxRepairs is -1; it must be 0 or more"),
            (PlanLimits(outputExcerpt: 0), "PlanLimits.outputExcerpt is 0; it must be at least 1"),
        ] {
            do {
                _ = try await Orchestration.planner(model: model, tools: ToolRegistry(), limits: limits).run("x")
                Issue.record("ran with \(limits)")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(error.message == problem)
            }
        }
        #expect(model.requests.isEmpty)
    }
}
